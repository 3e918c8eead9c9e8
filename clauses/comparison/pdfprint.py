"""The PDF comparative print: the compare page's rows through the print stylesheet, by WeasyPrint.

WeasyPrint lays out the whole document in memory, in time that grows with its length. The print
refuses comparisons of more than ``MAX_PDF_ROWS`` rows with a message that points to the Word
print and the CSV, which scale, so one request stays inside the web worker's timeout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from ..diffing import VersionDiff
from ..models import DEFAULT_LANGUAGE, language_name
from .sides import ComparedTexts
from .wordprint import unchanged_note

# Why this figure: 450 rows (24 pages) printed in 16.5 s, 23 MB, on the shared test machine under
# heavy load (docs/diff-export.md); 600 stays inside gunicorn's 30 s worker timeout.
MAX_PDF_ROWS = 600
STYLESHEETS = ("css/site.css", "css/compare.css", "css/comparative-print.css")


class TooLargeForPdf(ValueError):
    """The comparison has more rows than one PDF print makes; the message says what to do."""


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    # Why: the print embeds nothing from elsewhere; an address in a text is never fetched.
    raise ValueError(f"The comparative print loads no outside resource ({url}).")


def _stylesheets() -> list[Any]:
    from weasyprint import CSS

    sheets = []
    for name in STYLESHEETS:
        found = finders.find(name)
        if not found:
            raise FileNotFoundError(f"Stylesheet {name} not found by the static files finders.")
        path = Path(found if isinstance(found, str) else found[0])
        sheets.append(CSS(string=path.read_text(encoding="utf-8"), url_fetcher=_no_fetching))
    return sheets


def print_html(
    *,
    texts: ComparedTexts,
    diff: VersionDiff,
    page_url: str,
    language: str = DEFAULT_LANGUAGE,
    changed_only: bool = False,
) -> str:
    """The HTML that WeasyPrint lays out: the page's summary and rows, and the running header.

    Raises ``TooLargeForPdf`` past ``MAX_PDF_ROWS``, before anything is laid out.
    """
    rows = texts.rows(diff, changed_only=changed_only)
    if len(rows) > MAX_PDF_ROWS:
        raise TooLargeForPdf(too_large_message(len(rows)))
    return render_to_string(
        "clauses/comparison/print.html",
        {
            "title": texts.title,
            "header": texts.header,
            "notice": texts.notice,
            "notes": texts.notes,
            "older": {"version": {"short_name": texts.older.title}},
            "newer": {"version": {"short_name": texts.newer.title}},
            "sides": (texts.older, texts.newer),
            "stats": diff.stats,
            "counts": texts.clause_counts(diff),
            "change_count": len(diff.changes),
            "rows": rows,
            "options": {"side": False, "changed_only": changed_only},
            "unchanged_note": unchanged_note(diff, changed_only=changed_only),
            "language": language,
            "language_name": language_name(language),
            "page_url": page_url,
        },
    )


def too_large_message(count: int) -> str:
    return (
        f"This comparison has {count} clauses; a PDF print holds at most {MAX_PDF_ROWS}. "
        "Leave out the unchanged clauses, or download the Word print or the CSV, which hold "
        "any number."
    )


def comparative_pdf(**print_args: Any) -> bytes:
    """The PDF of ``print_html(**print_args)``; raises ``TooLargeForPdf`` past the bound."""
    from weasyprint import HTML

    html = print_html(**print_args)
    document = HTML(string=html, url_fetcher=_no_fetching, media_type="print")
    pdf = document.write_pdf(stylesheets=_stylesheets())
    if pdf is None:
        raise RuntimeError("WeasyPrint wrote no PDF.")
    return bytes(pdf)
