"""The rule for text people and files send in: no NUL, no characters that reorder what is shown.

NUL cannot be stored in PostgreSQL and means nothing in a treaty or a proposal, so it is refused
wherever it arrives (forms and the API say which field; a URL or query string holding one gets
400). The explicit bidirectional formatting characters (embeddings, overrides and isolates,
U+202A–U+202E and U+2066–U+2069) make a line read differently from the characters it holds, the
"Trojan Source" trick, so they are stripped from text as it is saved. The implicit marks (LRM,
RLM, ALM) stay: they cannot reorder a run of text and right-to-left writing needs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
)
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
# Why every C0 and C1 control (a tab goes with the other whitespace): a header or subject is
# one line, and a control character in one (a line break, an escape) is an injection or a
# mistake, never meant.
_LINE_BREAKING = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u0085]+")
NUL_MESSAGE = "Remove the NUL character (U+0000): text may not contain one."


def strip_bidi_controls(value: str) -> str:
    """``value`` without the explicit bidirectional formatting characters."""
    return _BIDI.sub("", value)


def clean_text(value: str) -> str:
    """Text as it is kept: refused with a NUL, stripped of bidi controls."""
    refuse_nul(value)
    return strip_bidi_controls(value)


def refuse_nul(value: Any) -> None:
    """A validator: a NUL character is refused with a message saying so."""
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")


def single_line(value: str, limit: int) -> str:
    """``value`` as one line of at most ``limit`` characters, for a mail subject or header.

    Line breaks and other control characters become one space each run, bidi controls go, the
    ends are trimmed; a cut line ends with an ellipsis.
    """
    line = " ".join(_LINE_BREAKING.sub(" ", strip_bidi_controls(value)).split())
    if len(line) <= limit:
        return line
    return line[: max(limit - 1, 0)].rstrip() + "…"


def has_nul(request: HttpRequest) -> bool:
    query = unquote_plus(request.META.get("QUERY_STRING", ""))
    return "\x00" in request.path or "\x00" in query


NUL_IN_ADDRESS = "The address holds a NUL character (%00), which no page accepts."


class RefuseNulMiddleware:
    """Answers 400 to a request whose path or query string holds a NUL (``%00``).

    Why here: a URL reaches lookups and filters before any form sees it, and PostgreSQL refuses
    a NUL in a query parameter with an error, not an empty result.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            # Why before signing in counts: the address is refused whoever sends it.
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "detail": NUL_IN_ADDRESS}, status=400)
            return HttpResponseBadRequest(NUL_IN_ADDRESS, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PlainTextForm:
    """A form mixin: every text a form cleans loses its bidi controls (NUL is refused already
    by Django's character fields). Put it first among the bases."""

    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = strip_bidi_controls(value)
        return cleaned
