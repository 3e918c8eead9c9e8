"""The lock files pin every dependency pyproject.toml names, within its range, with hashes.

They are written by ``make lock`` (pip-compile); this test fails when pyproject.toml changes
and the lock files were not written again, so that an audit of the lock files (docs/security.md)
audits what the project asks for.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.M)


def pins(name: str) -> dict[str, Version]:
    text = (ROOT / name).read_text()
    found = {canonicalize_name(n): Version(v) for n, v in PIN.findall(text)}
    assert found, name
    return found


def requirements(extra: str | None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    named = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(r) for r in named]


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("requirements.lock", [None]), ("requirements-dev.lock", [None, "dev"])],
)
def test_every_named_dependency_is_pinned_within_its_range(
    lock: str, extras: list[str | None]
) -> None:
    pinned = pins(lock)
    problems = []
    for extra in extras:
        for requirement in requirements(extra):
            name = canonicalize_name(requirement.name)
            if name not in pinned:
                problems.append(f"{requirement} is not pinned")
            elif not requirement.specifier.contains(pinned[name], prereleases=True):
                problems.append(f"{requirement} is pinned at {pinned[name]}, outside its range")
    assert problems == [], f"run `make lock`: {problems}"


def test_the_development_lock_pins_the_runtime_packages_at_the_same_versions() -> None:
    runtime, development = pins("requirements.lock"), pins("requirements-dev.lock")
    differ = {n: (v, development.get(n)) for n, v in runtime.items() if development.get(n) != v}
    assert differ == {}


def test_extras_pull_in_their_packages() -> None:
    # celery[redis] needs the redis client; a lock compiled without extras would lack it.
    assert "redis" in pins("requirements.lock")


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_pin_carries_its_hashes_and_no_machine_paths(lock: str) -> None:
    text = (ROOT / lock).read_text()
    entries = [e for e in re.split(r"\n(?=[A-Za-z0-9])", text) if PIN.match(e)]
    assert len(entries) == len(pins(lock))
    for entry in entries:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]
    # Why: the lock is read on other machines; a local wheel folder or index means nothing there.
    assert "--find-links" not in text
    assert "--index-url" not in text
    assert "--extra-index-url" not in text
