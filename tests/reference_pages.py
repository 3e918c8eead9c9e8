"""The templates as they were before their HTML was built in Python, to compare pages with."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).parent / "reference_templates"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def use_reference_templates(settings: Any) -> None:
    """Put the kept templates in front of the site's own (pytest-django's ``settings``)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [REFERENCE, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


def without_tokens(html: str) -> str:
    """The page with its CSRF tokens, different on every render, left out."""
    return CSRF.sub("csrf", html)
