"""Pages' addresses for pages that print many: reversed once, then filled in."""

from __future__ import annotations

import re
from typing import ClassVar

from django.urls import reverse

# What the address converters print as they are: a slug, and a key of letters, digits, "_", "."
# and "-". Any other key is reversed on its own, so that it is quoted as Django quotes it.
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLAIN_KEY = re.compile(r"[A-Za-z0-9_.-]+")


class _ReversedOnce:
    """The address of the page ``name`` for some values: its pattern reversed once, with a
    mark in place of each value, and filled in with the values each time.

    ``plain`` says, for each value, what it may hold to be printed as it is; a value holding
    anything else is reversed on its own.
    """

    name: ClassVar[str]
    plain: ClassVar[tuple[re.Pattern[str], ...]]

    def __init__(self) -> None:
        marks = [f"address-mark-{n}" for n in range(len(self.plain))]
        rest = reverse(self.name, args=marks)
        self._pieces: list[str] = []
        for mark in marks:
            head, rest = rest.split(mark, 1)
            self._pieces.append(head)
        self._tail = rest

    def __call__(self, *values: str) -> str:
        if all(plain.fullmatch(v) for plain, v in zip(self.plain, values, strict=True)):
            return "".join(p + v for p, v in zip(self._pieces, values, strict=True)) + self._tail
        return reverse(self.name, args=list(values))


class ClauseAddresses(_ReversedOnce):
    """The clause page's address for an agreement's slug and a clause key.

    Why: a version's text or a page of search results links a hundred and more clauses, and
    reversing each address was a tenth of such a page's time.
    """

    name = "clauses:clause_detail"
    plain = (PLAIN_SLUG, PLAIN_KEY)


class VersionAddresses(_ReversedOnce):
    """The version page's address for an agreement's slug and a version's label.

    Why: the version and on-date pages link every version of the agreement.
    """

    name = "clauses:version_detail"
    plain = (PLAIN_SLUG, PLAIN_SLUG)
