"""Work done once when the web server starts, so that no visitor's request pays for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse

PROJECT_APPS = ("clauses", "reviews", "sta_tracker")


def template_names() -> list[str]:
    """The name of every template the project itself holds (not Django's or other packages')."""
    engine: dict[str, Any] = settings.TEMPLATES[0]
    roots = [Path(d) for d in engine["DIRS"]]
    roots += [Path(apps.get_app_config(label).path) / "templates" for label in PROJECT_APPS]
    names = {
        path.relative_to(root).as_posix()
        for root in roots
        if root.is_dir()
        for path in root.rglob("*.html")
    }
    return sorted(names)


def warm_up() -> int:
    """Compile every project template into Django's template cache and build the URL map.

    Touches no database, so it is safe in gunicorn's master before the workers fork (they
    inherit what it loaded). Returns the number of templates compiled.
    """
    reverse("clauses:agreement_list")
    names = template_names()
    for name in names:
        get_template(name)
    return len(names)
