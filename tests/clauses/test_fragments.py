"""The kept HTML of a version's text and a comparison's rows: the same page, fresh after a write."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.signals import template_rendered

from clauses.comparison.redline_html import rows_html
from clauses.models import Agreement, Clause, EventKind
from clauses.reading.clause_html import clause_versions_html
from clauses.record.versions import clause_correct
from sta_tracker.history import save_with_history
from tests.factories import make_event

from .pages_data import build_sta

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')

PAGES = {
    "version": "/agreements/sta/versions/2024/",
    "first version": "/agreements/sta/versions/1979/",
    "on a date": "/agreements/sta/on/2019-01-01/",
    "compare": "/agreements/sta/compare/1979...2024/",
    "compare side, changed only": "/agreements/sta/compare/1979...2024/?view=side&changed=1",
    "compare ignoring punctuation": "/agreements/sta/compare/1979...2024/?ignore=1",
    "agreement": "/agreements/sta/",
    "clause through versions": "/agreements/sta/clauses/art_1/",
    "clause, a paragraph": "/agreements/sta/clauses/art_1__para_1/",
    "clause, another language asked for": "/agreements/sta/clauses/art_1/?lang=zh",
}


@pytest.fixture
def reader(client: Client, dana: Any) -> Iterator[Client]:
    build_sta()
    cache.clear()
    client.force_login(dana)
    yield client
    cache.clear()


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    # Why: the CSRF token is masked afresh on every render; nothing else may differ.
    return CSRF_VALUE.sub(r'\1-"', response.content.decode())


def templates_rendered(client: Client, url: str) -> list[str]:
    names: list[str] = []

    def record(sender: Any, template: Any, **kwargs: Any) -> None:
        names.append(template.name)

    template_rendered.connect(record)
    try:
        client.get(url)
    finally:
        template_rendered.disconnect(record)
    return names


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_is_the_same_rendered_in_full_and_from_the_kept_fragment(
    reader: Client, settings: Any, name: str
) -> None:
    url = PAGES[name]
    settings.STA_FRAGMENT_CACHE = False
    in_full = page(reader, url)
    settings.STA_FRAGMENT_CACHE = True
    first = page(reader, url)
    kept = page(reader, url)
    assert first == in_full
    assert kept == in_full


@pytest.mark.parametrize(
    ("url", "partial"),
    [
        (PAGES["version"], "clauses/reading/partials/version_text.html"),
        (PAGES["on a date"], "clauses/reading/partials/version_text.html"),
        (PAGES["agreement"], "clauses/reading/partials/agreement_body.html"),
    ],
)
def test_the_second_render_does_not_render_the_clauses_again(
    reader: Client, url: str, partial: str
) -> None:
    assert partial in templates_rendered(reader, url)
    assert partial not in templates_rendered(reader, url)


@pytest.mark.parametrize(
    ("name", "drawn", "drawer"),
    [
        (
            "clause through versions",
            "clauses.reading.views.clause_versions_html",
            clause_versions_html,
        ),
        ("compare", "clauses.comparison.views.rows_html", rows_html),
    ],
)
def test_the_second_render_does_not_draw_the_clauses_again(
    reader: Client, name: str, drawn: str, drawer: Any
) -> None:
    url = PAGES[name]
    with mock.patch(drawn, wraps=drawer) as first:
        first_page = page(reader, url)
    with mock.patch(drawn, wraps=drawer) as second:
        assert page(reader, url) == first_page
    assert first.call_count == 1
    assert second.call_count == 0


def test_fragments_off_renders_the_clauses_every_time(reader: Client, settings: Any) -> None:
    settings.STA_FRAGMENT_CACHE = False
    partial = "clauses/reading/partials/version_text.html"
    assert partial in templates_rendered(reader, PAGES["version"])
    assert partial in templates_rendered(reader, PAGES["version"])


@pytest.mark.parametrize("name", ["version", "on a date", "compare"])
def test_a_clause_correction_shows_at_once(reader: Client, erin: Any, name: str) -> None:
    url = PAGES[name]
    assert "Kept fresh." not in page(reader, url)
    # Why every version: the on-date page shows whichever text was in force that day.
    for clause in Clause.objects.filter(version__agreement__slug="sta", key="art_1"):
        clause_correct(
            clause=clause,
            heading=clause.heading,
            text=clause.text + " Kept fresh.",
            acting_user=erin,
            reason="proofreading",
        )
    after = page(reader, url)
    assert "Kept fresh." in after
    assert page(reader, url) == after


def test_a_correction_of_the_other_version_shows_in_the_badges_at_once(
    reader: Client, erin: Any
) -> None:
    """The 2024 text's badges compare with the version before it, whose token is in the key."""
    url = "/agreements/sta/versions/2024/"
    before = page(reader, url)
    previous = Clause.objects.get(
        version__agreement__slug="sta", version__label="2024", key="art_1"
    ).version.previous
    assert previous is not None
    clause = Clause.objects.get(version=previous, key="art_1")
    clause_correct(
        clause=clause,
        heading=clause.heading,
        text=clause.text + " Older wording.",
        acting_user=erin,
        reason="proofreading",
    )
    assert page(reader, url) != before


def test_a_renamed_agreement_shows_in_the_citations_at_once(reader: Client, erin: Any) -> None:
    url = PAGES["version"]
    assert 'data-citation="Renamed (' not in page(reader, url)
    agreement = Agreement.objects.get(slug="sta")
    agreement.short_title = "Renamed"
    save_with_history(agreement, acting_user=erin, reason="house style")
    assert 'data-citation="Renamed (' in page(reader, url)


def test_each_address_the_page_is_served_at_has_its_own_fragment(reader: Client) -> None:
    url = PAGES["version"]
    assert "http://testserver/agreements/sta/versions/2024/" in page(reader, url)
    other = reader.get(url, HTTP_HOST="localhost").content.decode()
    assert "http://localhost/agreements/sta/versions/2024/" in other
    assert "http://testserver/agreements/sta/versions/2024/" not in other


def test_a_clause_correction_shows_in_the_clause_redlines_at_once(
    reader: Client, erin: Any
) -> None:
    url = PAGES["clause through versions"]
    before = page(reader, url)
    assert "Kept fresh." not in before
    clause = Clause.objects.get(version__agreement__slug="sta", version__label="2024", key="art_1")
    clause_correct(
        clause=clause,
        heading=clause.heading,
        text=clause.text + " Kept fresh.",
        acting_user=erin,
        reason="proofreading",
    )
    after = page(reader, url)
    assert "Kept fresh." in after
    assert "<ins>" in after
    assert page(reader, url) == after


def test_a_correction_of_a_sub_clause_shows_on_its_article_at_once(
    reader: Client, erin: Any
) -> None:
    url = PAGES["clause through versions"]
    assert "Nine agents." not in page(reader, url)
    clause = Clause.objects.get(
        version__agreement__slug="sta", version__label="2024", key="art_1__para_2"
    )
    clause_correct(
        clause=clause,
        heading=clause.heading,
        text="Nine agents.",
        acting_user=erin,
        reason="proofreading",
    )
    assert "Nine agents." in page(reader, url)


def test_a_renamed_instrument_shows_on_the_agreement_and_its_timeline_at_once(
    reader: Client, erin: Any
) -> None:
    url = PAGES["agreement"]
    assert "Renamed protocol" not in page(reader, url)
    instrument = Agreement.objects.get(slug="sta").instruments.get(slug="2024-instrument")
    instrument.title = "Renamed protocol"
    save_with_history(instrument, acting_user=erin, reason="house style")
    after = page(reader, url)
    # Why twice at least: the version table and the timeline's bar both name it.
    assert after.count("Renamed protocol") >= 2
    assert page(reader, url) == after


def test_a_new_event_shows_on_the_agreement_at_once(reader: Client) -> None:
    url = PAGES["agreement"]
    assert "Talks resumed" not in page(reader, url)
    make_event(
        Agreement.objects.get(slug="sta"),
        "talks",
        dt.date(2025, 1, 6),
        title="Talks resumed",
        kind=EventKind.OTHER,
    )
    assert "Talks resumed" in page(reader, url)


def test_the_agreement_page_is_drawn_for_each_day(reader: Client, settings: Any) -> None:
    """Today's line and the state in force move with the date, so a new day renders afresh."""
    url = PAGES["agreement"]
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 9, 1)):
        in_lapse = page(reader, url)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2025, 3, 1)):
        protocol = page(reader, url)
    assert in_lapse != protocol
    settings.STA_FRAGMENT_CACHE = False
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 9, 1)):
        assert page(reader, url) == in_lapse


def test_the_kept_sections_sit_in_the_page_as_before(reader: Client) -> None:
    """The kept partials are cut from the page templates without a character more or less."""
    clause = page(reader, PAGES["clause through versions"])
    assert '<h2 id="versions-heading">In each version</h2>\n  <ol class="through">\n' in clause
    agreement = page(reader, PAGES["agreement"])
    assert '<main id="main">\n    \n<nav class="breadcrumbs"' in agreement
