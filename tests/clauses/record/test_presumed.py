"""Days a version is only presumed to cover: the real STA's 1984 and 2011 extensions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from clauses.models import Agreement, system_user
from clauses.record.pointintime import state_on
from clauses.record.presumed import presumed_spans, term_months
from clauses.record.reference import sta_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def sta(shared_sta_dir: Any) -> Agreement:
    sta_load(acting_user=system_user(), reason="test load")
    return Agreement.objects.get(slug="sta")


@pytest.mark.parametrize(
    ("term", "months"),
    [("Five years, renewable", 60), ("Six months", 6), ("2 years", 24), ("", None), ("x", None)],
)
def test_a_term_in_words_is_read_as_months(term: str, months: int | None) -> None:
    assert term_months(term) == months


def test_the_1984_extension_is_presumed_after_its_term_until_the_2006_protocol(
    sta: Agreement,
) -> None:
    versions = list(sta.versions.select_related("instrument"))
    spans = {s.version.label: s for s in presumed_spans(versions, sta.instruments.all())}
    assert sorted(spans) == ["1984-extension", "2011-extension"]
    span = spans["1984-extension"]
    assert (span.start.isoformat(), span.end.isoformat()) == ("1989-01-31", "2006-04-18")
    assert [i.slug for i in span.missing] == ["1989-extension", "1996-extension", "2001-extension"]
    assert [i.slug for i in spans["2011-extension"].missing] == ["2016-2018-interim-extensions"]


def test_the_box_leads_with_presumed_where_the_extensions_were_not_found(
    client: Client, dana: Any, sta: Agreement
) -> None:
    client.force_login(dana)
    html = client.get("/agreements/sta/on/1995-06-01/").content.decode()
    assert '<h2 id="pit-heading">In force (presumed): As extended in 1984</h2>' in html
    assert "the extensions that would cover 1 June 1995 were not found" in html
    assert "Extension of 1989 (not found), Extension of 1996 (not found) and Extension of 2001" in (
        html
    )


def test_a_day_inside_the_term_is_not_presumed(client: Client, dana: Any, sta: Agreement) -> None:
    client.force_login(dana)
    html = client.get("/agreements/sta/on/1986-01-01/").content.decode()
    assert '<h2 id="pit-heading">In force: As extended in 1984</h2>' in html
    assert (
        "presumed" not in html.split('<section class="point-in-time', 1)[1].split("</section>")[0]
    )


def test_a_lapse_day_leads_with_the_lapse_then_the_retroactive_cover(
    client: Client, dana: Any, sta: Agreement
) -> None:
    client.force_login(dana)
    html = client.get("/agreements/sta/on/2024-10-01/").content.decode()
    heading = re.search(r'<h2 id="pit-heading">(.*?)</h2>', html)
    assert heading is not None
    assert heading[1] == (
        "Lapsed on this day; later covered retroactively by Protocol to Amend and Extend the "
        "Agreement on Cooperation in Science and Technology (2024)"
    )
    assert "In force:" not in html


def test_without_the_instruments_the_state_is_not_presumed(sta: Agreement) -> None:
    """The rule needs the instruments never found; the API's state without them says nothing."""
    import datetime as dt

    assert state_on(sta, dt.date(1995, 6, 1)).presumed is None


def test_the_timeline_hatches_the_presumed_part_with_a_legend_and_words(
    client: Client, dana: Any, sta: Agreement
) -> None:
    client.force_login(dana)
    html = client.get("/agreements/sta/").content.decode()
    overview = html.split('<figure class="timeline">', 2)[1]
    assert overview.count('fill="url(#timeline-overview-presumed)" class="tl-presumed"') == 2
    assert '<span class="swatch swatch-presumed"></span> Presumed in force' in html
    assert (
        "<li>As extended in 1984: presumed in force from 31 January 1989 to 18 April 2006; "
        "not found: Extension of 1989 (not found)"
    ) in overview
