"""Start-up refuses unsafe production settings; each case runs Django in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"


def start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STA_")}
    clean.pop("DATABASE_URL", None)
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], "
            "settings.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "sta_tracker.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_without_debug_a_missing_secret_key_stops_start_up_with_a_clear_message() -> None:
    result = start(STA_ALLOWED_HOSTS="example.gov")
    assert result.returncode != 0
    assert "STA_SECRET_KEY must be set to a random value of at least 50 characters" in result.stderr


@pytest.mark.parametrize("key", ["short-key", "a" * 60])
def test_without_debug_a_weak_secret_key_stops_start_up(key: str) -> None:
    result = start(STA_SECRET_KEY=key, STA_ALLOWED_HOSTS="example.gov")
    assert result.returncode != 0
    assert "STA_SECRET_KEY" in result.stderr


def test_without_debug_allowed_hosts_are_required() -> None:
    result = start(STA_SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "STA_ALLOWED_HOSTS" in result.stderr


def test_a_malformed_boolean_is_refused_by_name() -> None:
    result = start(STA_DEBUG="perhaps")
    assert result.returncode != 0
    assert "STA_DEBUG must be a boolean" in result.stderr


def test_with_no_environment_but_debug_the_demo_uses_sqlite_and_eager_tasks() -> None:
    result = start(STA_DEBUG="true", CELERY_BROKER_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3", "True"]


def test_a_good_key_and_hosts_start_in_production_mode() -> None:
    result = start(
        STA_SECRET_KEY=GOOD_KEY,
        STA_ALLOWED_HOSTS="example.gov",
        DATABASE_URL="postgres://u@db.example.gov/sta",
        CELERY_BROKER_URL="redis://cache.example.gov:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.postgresql", "False"]


def four_eyes(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.STA_IMPORT_FOUR_EYES)",
        ],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("STA_")}, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("value", "shown"), [("", "True"), ("false", "False"), ("on", "True")])
def test_four_eyes_on_imports_is_on_unless_turned_off(value: str, shown: str) -> None:
    result = four_eyes(
        STA_DEBUG="true", STA_IMPORT_FOUR_EYES=value, DJANGO_SETTINGS_MODULE="sta_tracker.settings"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [shown]


def test_a_malformed_four_eyes_setting_stops_start_up_by_name() -> None:
    result = four_eyes(
        STA_DEBUG="true",
        STA_IMPORT_FOUR_EYES="twice",
        DJANGO_SETTINGS_MODULE="sta_tracker.settings",
    )
    assert result.returncode != 0
    assert "STA_IMPORT_FOUR_EYES must be a boolean" in result.stderr


@pytest.mark.parametrize("value", ["88", "95", "30"])
def test_a_near_miss_threshold_not_below_the_match_threshold_stops_start_up(value: str) -> None:
    result = start(STA_DEBUG="true", STA_SCREENING_NEAR_MISS_THRESHOLD=value)
    assert result.returncode != 0
    assert (
        "STA_SCREENING_NEAR_MISS_THRESHOLD must be at least 40 and below "
        "STA_SCREENING_MATCH_THRESHOLD."
    ) in result.stderr


def test_a_near_miss_threshold_below_the_match_threshold_starts() -> None:
    result = start(STA_DEBUG="true", STA_SCREENING_NEAR_MISS_THRESHOLD="75")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STA_SLA_SECURITY_DAYS": "0"}, "STA_SLA_SECURITY_DAYS must be a number of days from 1"),
        ({"STA_SLA_DECISION_DAYS": "soon"}, "STA_SLA_DECISION_DAYS must be an integer"),
        ({"STA_SITE_URL": "sta.example.gov"}, "STA_SITE_URL must start with http:// or https://"),
    ],
)
def test_a_bad_service_level_or_site_address_stops_start_up_by_name(
    env: dict[str, str], message: str
) -> None:
    result = start(STA_DEBUG="true", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_service_levels_have_safe_defaults_and_follow_the_environment() -> None:
    shown = "from django.conf import settings as s; print(s.STA_SLA_SCREENING_DAYS, "
    shown += "s.STA_SLA_RISK_BENEFIT_DAYS, s.STA_SLA_SECURITY_DAYS, s.STA_SLA_DECISION_DAYS, "
    shown += "s.STA_SITE_URL)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STA_")}
    for env, expected in (
        ({}, "3 10 10 5 http://localhost:8000"),
        (
            {"STA_SLA_SECURITY_DAYS": "21", "STA_SITE_URL": "https://sta.example.gov/"},
            "3 10 21 5 https://sta.example.gov",
        ),
    ):
        result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", "import django; django.setup(); " + shown],
            cwd=ROOT,
            env={
                **clean,
                "STA_DEBUG": "true",
                **env,
                "DJANGO_SETTINGS_MODULE": "sta_tracker.settings",
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == expected


def test_the_page_cache_without_redis_stops_start_up_by_name() -> None:
    result = start(STA_DEBUG="true", STA_PAGE_CACHE="true", REDIS_URL="")
    assert result.returncode != 0
    assert "STA_PAGE_CACHE needs REDIS_URL" in result.stderr


def test_the_page_cache_is_on_with_redis_and_off_without() -> None:
    script = "import django; django.setup(); from django.conf import settings; "
    script += "print(settings.STA_PAGE_CACHE, settings.MIDDLEWARE[0])"
    for redis_url, shown in (("redis://127.0.0.1:6379/1", "True"), ("", "False")):
        clean = {k: v for k, v in os.environ.items() if not k.startswith("STA_")}
        clean.pop("DATABASE_URL", None)
        result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={
                **clean,
                "STA_DEBUG": "true",
                "REDIS_URL": redis_url,
                "DJANGO_SETTINGS_MODULE": "sta_tracker.settings",
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.stdout.split() == [shown, "sta_tracker.pagecache.PageCacheMiddleware"]
