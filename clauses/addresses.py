"""Clause pages' addresses for pages that print many: reversed once, then filled in."""

from __future__ import annotations

import re

from django.urls import reverse

# What the address converters print as they are: a slug, and a key of letters, digits, "_", "."
# and "-". Any other key is reversed on its own, so that it is quoted as Django quotes it.
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLAIN_KEY = re.compile(r"[A-Za-z0-9_.-]+")
_SLUG_MARK, _KEY_MARK = "agreement-slug-mark", "clause-key-mark"


class ClauseAddresses:
    """The clause page's address for an agreement's slug and a clause key.

    Why: a version's text or a page of search results links a hundred and more clauses, and
    reversing each address was a tenth of such a page's time.
    """

    def __init__(self) -> None:
        pattern = reverse("clauses:clause_detail", args=[_SLUG_MARK, _KEY_MARK])
        self._head, rest = pattern.split(_SLUG_MARK, 1)
        self._middle, self._tail = rest.split(_KEY_MARK, 1)

    def __call__(self, slug: str, key: str) -> str:
        if PLAIN_SLUG.fullmatch(slug) and PLAIN_KEY.fullmatch(key):
            return f"{self._head}{slug}{self._middle}{key}{self._tail}"
        return reverse("clauses:clause_detail", args=[slug, key])
