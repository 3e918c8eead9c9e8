"""`make run`: the port it is told, what it installs, and a start-up that skips what is done."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def make_dry_run(*args: str) -> str:
    """What ``make`` would run (``-n``: nothing is run), with a venv that does not exist."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(  # noqa: S603 - make, with fixed arguments
        ["make", "-n", *args, "VENV=/nonexistent/sta-venv"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_make_run_serves_and_prints_the_port_it_is_given() -> None:
    out = make_dry_run("run", "PORT=8123")
    assert 'manage.py runserver "127.0.0.1:8123"' in out
    assert 'echo "STA Tracker is starting on http://127.0.0.1:8123/"' in out
    assert "8000" not in out


def test_make_run_installs_what_running_needs_and_make_test_the_dev_tools() -> None:
    run = make_dry_run("run")
    assert "pip install --quiet ." in run
    assert ".[dev]" not in run
    assert 'pip install --quiet ".[dev]"' in make_dry_run("test")


def test_make_run_skips_loaded_data_and_prints_the_accounts_last() -> None:
    out = make_dry_run("run").splitlines()
    commands = "\n".join(out)
    assert "load_sta --unless-loaded" in commands
    assert "seed_demo --unless-seeded" in commands
    server = next(n for n, line in enumerate(out) if "runserver" in line)
    accounts = next(n for n, line in enumerate(out) if "Accounts (password:" in line)
    seed = next(n for n, line in enumerate(out) if "seed_demo" in line)
    assert seed < accounts < server


def test_the_demo_logs_tasks_and_mail_at_warning_and_writes_mail_to_a_named_folder() -> None:
    out = make_dry_run("run", "DEMO_MAIL_DIR=/srv/sta-demo-mail")
    server = next(line for line in out.splitlines() if "runserver" in line)
    assert "STA_TASK_LOG_LEVEL=WARNING STA_MAIL_LOG_LEVEL=WARNING" in server
    assert "STA_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend" in server
    assert 'STA_EMAIL_FILE_PATH="/srv/sta-demo-mail"' in server
    assert 'echo "Mail is not sent: each message is written to /srv/sta-demo-mail"' in out


def test_the_log_level_variables_set_the_task_and_mail_loggers() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STA_")}
    clean.pop("DATABASE_URL", None)
    script = (
        "import logging, django; django.setup(); from django.conf import settings; "
        "print(logging.getLogger('celery.app.trace').getEffectiveLevel(), "
        "logging.getLogger('reviews.services.notifications').getEffectiveLevel(), "
        "logging.getLogger('clauses').getEffectiveLevel(), settings.EMAIL_FILE_PATH)"
    )
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "sta_tracker.settings",
        "STA_DEBUG": "true",
        "STA_TASK_LOG_LEVEL": "WARNING",
        "STA_MAIL_LOG_LEVEL": "ERROR",
        "STA_EMAIL_FILE_PATH": "/srv/sta-demo-mail",
    }
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["30", "40", "20", "/srv/sta-demo-mail"]


@pytest.mark.django_db
def test_seed_demo_unless_seeded_skips_a_database_that_has_the_demo() -> None:
    call_command("load_sta", verbosity=0)
    call_command("seed_demo", password="demo-pass-1", stdout=StringIO())
    before = {u.username: u.password for u in get_user_model().objects.all()}
    out = StringIO()
    call_command("seed_demo", "--unless-seeded", password="demo-pass-1", stdout=out)
    assert out.getvalue() == "The demo accounts and proposals are already there; nothing done.\n"
    assert {u.username: u.password for u in get_user_model().objects.all()} == before


@pytest.mark.django_db
def test_seed_demo_unless_seeded_seeds_an_empty_database_or_a_new_password() -> None:
    out = StringIO()
    call_command("seed_demo", "--unless-seeded", password="demo-pass-1", stdout=out)
    assert "created or updated" in out.getvalue()
    assert get_user_model().objects.filter(username="admin").exists()
    # No proposals (the STA is not loaded), so it is not seeded yet: it runs again.
    again = StringIO()
    call_command("seed_demo", "--unless-seeded", password="demo-pass-1", stdout=again)
    assert "nothing done" not in again.getvalue()


@pytest.mark.django_db
def test_load_sta_unless_loaded_reads_nothing_when_the_sta_is_there() -> None:
    from clauses.models import Version

    first = StringIO()
    call_command("load_sta", "--unless-loaded", stdout=first)
    assert "STA reference data loaded" in first.getvalue()
    count = Version.objects.count()
    again = StringIO()
    call_command("load_sta", "--unless-loaded", stdout=again)
    assert again.getvalue().startswith("The STA is already loaded; nothing read")
    assert Version.objects.count() == count
