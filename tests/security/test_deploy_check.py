"""Production settings pass Django's deployment checklist with nothing to report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "STA_DEBUG": "false",
    "STA_SECRET_KEY": "deploy-check-only-7Hq2xV9pLm4Rt8Wz1Kc6Nb3Yd5Fg0Js-aQeUiOpZx",
    "STA_ALLOWED_HOSTS": "sta.example.gov",
}


def check_deploy(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STA_")}
    env.pop("DATABASE_URL", None)
    # Why: the browser tests set this for their own process; production never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(PRODUCTION, **overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks_with_nothing_to_report() -> None:
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("override", "warning"),
    [
        ({"STA_SSL_REDIRECT": "false"}, "security.W008"),
        ({"STA_HSTS_SECONDS": "0"}, "security.W004"),
    ],
)
def test_weakening_a_production_setting_fails_the_check(
    override: dict[str, str], warning: str
) -> None:
    result = check_deploy(**override)
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["STA_LOGIN_FAILURE_LIMIT", "STA_LOGIN_COOLOFF_MINUTES"])
def test_a_login_limit_below_one_stops_start_up_by_name(name: str) -> None:
    result = check_deploy(**{name: "0"})
    assert result.returncode != 0
    assert "STA_LOGIN_FAILURE_LIMIT and STA_LOGIN_COOLOFF_MINUTES must be at least 1" in (
        result.stderr
    )
