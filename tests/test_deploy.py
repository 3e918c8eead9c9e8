"""The docker-compose stack: nginx in front, gunicorn behind it, their limits consistent.

A test that trickles requests at gunicorn is not run here; docs/deploy.md gives the manual check.
"""

from __future__ import annotations

import re
import runpy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
NGINX = ROOT / "deploy" / "nginx.conf"
GUNICORN = ROOT / "deploy" / "gunicorn.conf.py"
VALIDATION_KEY = "compose-validation-only-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def nginx_value(name: str) -> str:
    found = re.findall(rf"^\s*{name}\s+([^;]+);", NGINX.read_text(), re.M)
    assert len(found) == 1, (name, found)
    return found[0].strip()


def seconds(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([sm]?)", value).groups()  # type: ignore[union-attr]
    return int(number) * (60 if unit == "m" else 1)


def test_only_nginx_faces_clients_and_it_serves_the_static_files(
    services: dict[str, Any],
) -> None:
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"nginx"}
    nginx = services["nginx"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in nginx["volumes"]
    assert "static:/srv/static:ro" in nginx["volumes"]
    assert nginx["depends_on"]["web"]["condition"] == "service_healthy"
    web = services["web"]
    assert "static:/data/static" in web["volumes"]
    assert web["environment"]["STA_STATIC_ROOT"] == "/data/static"
    assert "collectstatic" in web["command"]
    assert "--config deploy/gunicorn.conf.py" in web["command"]
    assert web["expose"] == ["8000"]


def test_django_trusts_exactly_the_one_proxy(services: dict[str, Any]) -> None:
    assert services["web"]["environment"]["STA_TRUSTED_PROXY_COUNT"] == "1"
    # nginx replaces the client's X-Forwarded-For rather than appending to it.
    assert nginx_value("proxy_set_header X-Forwarded-For") == "$remote_addr"


def test_gunicorn_settings_are_ones_gunicorn_knows() -> None:
    values = {k: v for k, v in runpy.run_path(str(GUNICORN)).items() if not k.startswith("_")}
    values = {k: v for k, v in values.items() if not callable(v) and k not in {"annotations"}}
    values.pop("multiprocessing", None)
    values.pop("os", None)
    config = Config()
    unknown = sorted(set(values) - set(config.settings))
    assert unknown == []
    for name, value in values.items():
        config.set(name, value)
    assert config.worker_class_str == "gthread"
    assert config.threads >= 2
    assert config.workers >= 1


def test_nginx_outlasts_gunicorn_and_admits_the_largest_upload() -> None:
    gunicorn = runpy.run_path(str(GUNICORN))
    assert seconds(nginx_value("proxy_read_timeout")) > gunicorn["timeout"]
    limit = nginx_value("client_max_body_size")
    assert limit.endswith("m")
    body_limit = int(limit[:-1]) * 1024 * 1024
    assert body_limit > settings.STA_IMPORT_MAX_BYTES
    assert body_limit > settings.STA_ATTACHMENT_MAX_BYTES
    # Slow clients are cut off well before a worker would be.
    for name in ("client_header_timeout", "client_body_timeout"):
        assert seconds(nginx_value(name)) <= 30, name
    assert nginx_value("proxy_request_buffering") == "on"
    assert nginx_value("proxy_buffering") == "on"


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed here")
def test_nginx_accepts_its_configuration(tmp_path: Path) -> None:
    # Why the substitution: the service name "web" resolves only inside the compose network.
    text = NGINX.read_text().replace("server web:8000;", "server 127.0.0.1:8000;")
    assert "127.0.0.1:8000" in text
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    result = subprocess.run(  # noqa: S603
        ["nginx", "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(conf)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is absent")
def test_docker_compose_accepts_the_file() -> None:
    result = subprocess.run(  # noqa: S603
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"STA_SECRET_KEY": VALIDATION_KEY, "PATH": "/usr/local/bin:/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_preloads_the_app_so_workers_start_warm() -> None:
    values = runpy.run_path(str(GUNICORN))
    assert values["preload_app"] is True
