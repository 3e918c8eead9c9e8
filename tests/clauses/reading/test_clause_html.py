"""The clause page's versions drawn in Python are what the templates they replace drew.

``templates_before/`` holds those templates as they were; every clause of the reference STA, in
each language the page offers, is drawn both ways over the same rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.template import Context, Engine
from django.test import Client
from django.utils import timezone

from clauses.models import Agreement, Clause, system_user
from clauses.reading.clause_html import ThroughRow, clause_versions_html, written_at
from clauses.reading.languages import LanguageColumn
from clauses.record.reference import sta_load
from sta_tracker.history import save_with_history

pytestmark = pytest.mark.django_db

BEFORE = Engine(
    dirs=[str(Path(__file__).with_name("templates_before"))],
    app_dirs=True,
    libraries={
        "record_facts": "clauses.templatetags.record_facts",
        "reading_text": "clauses.templatetags.reading_text",
        "redline": "clauses.templatetags.redline",
    },
)


@pytest.fixture
def reader(client: Client, dana: Any, settings: Any) -> Client:
    settings.STA_FRAGMENT_CACHE = False
    sta_load(acting_user=system_user(), reason="Reference data")
    cache.clear()
    client.force_login(dana)
    return client


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each section the clause page drew, checked against the template's render."""
    sections: list[str] = []

    def both_ways(
        agreement: Agreement, rows: list[ThroughRow], other_language: LanguageColumn | None
    ) -> str:
        built = clause_versions_html(agreement, rows, other_language)
        context = {
            "agreement": agreement,
            "through_redlines": rows,
            "other_language": other_language,
        }
        expected = BEFORE.get_template("clauses/reading/partials/clause_versions.html").render(
            Context(context)
        )
        assert built == expected
        sections.append(built)
        return built

    monkeypatch.setattr("clauses.reading.views.clause_versions_html", both_ways)
    return sections


def test_every_clause_of_the_sta_in_every_language(reader: Client, drawn: list[str]) -> None:
    keys = sorted(set(Clause.objects.filter(version__agreement__slug="sta").values_list("key")))
    for (key,) in keys:
        for lang in ("", "zh", "both"):
            assert reader.get(f"/agreements/sta/clauses/{key}/?lang={lang}").status_code == 200
    assert len(drawn) == 3 * len(keys)
    page = "".join(drawn)
    for shown in ("through-repealed", "through-absent", "same-text", "clause-redline", "lang-row"):
        assert shown in page, shown


def test_markup_and_line_breaks_in_a_clause(reader: Client, drawn: list[str]) -> None:
    for clause in Clause.objects.filter(version__agreement__slug="sta", key="art_1"):
        clause.heading = '<b>Bold</b> & "quoted"'
        clause.text = f"Line <script>alert('x')</script>\r\nin {clause.version_id} & last"
        clause.previous_number = "<i>1</i>"
        save_with_history(clause, acting_user=system_user(), reason="markup test")
    assert reader.get("/agreements/sta/clauses/art_1/").status_code == 200
    assert "<script>" not in drawn[0]
    assert "&lt;i&gt;1&lt;/i&gt;" in drawn[0]


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2024, 1, 5, 9, 7, tzinfo=dt.UTC),
        dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2025, 9, 14, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ],
)
def test_a_history_row_says_when_as_the_date_filter_did(when: dt.datetime) -> None:
    expected = Engine().from_string('{{ when|date:"j M Y, H:i" }}').render(Context({"when": when}))
    assert written_at(when) == expected
    with timezone.override("Asia/Shanghai"):
        shifted = Engine().from_string('{{ when|date:"j M Y, H:i" }}')
        assert written_at(when) == shifted.render(Context({"when": when}))
