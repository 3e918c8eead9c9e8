from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from clauses.models import Agreement, EventKind, system_user
from clauses.reading.timeline import (
    LEFT,
    RIGHT_MARGIN,
    WIDTH,
    detail_window,
    overview_window,
    timeline_build,
)
from clauses.reading.timeline_svg import printer
from clauses.record.reference import sta_load
from sta_tracker.template_values import shown
from tests.factories import article, make_agreement, make_event, make_version

from ..pages_data import build_sta

pytestmark = pytest.mark.django_db


def loaded(agreement: Any) -> tuple[list[Any], list[Any], list[Any]]:
    versions = list(agreement.versions.select_related("instrument").order_by("in_force_from"))
    return versions, list(agreement.events.all()), list(agreement.instruments.all())


def test_the_overview_spans_whole_years_and_bars_follow_their_dates() -> None:
    versions, events, instruments = loaded(build_sta())
    start, end = overview_window(versions, events)
    assert (start, end) == (dt.date(1979, 1, 1), dt.date(2030, 1, 1))
    tl = timeline_build(
        dom_id="t",
        caption="c",
        versions=versions,
        events=events,
        instruments=instruments,
        start=start,
        end=end,
    )
    labels = [r.url.rstrip("/").rsplit("/", 1)[1] for r in tl.rows]
    assert labels == ["1979", "1984", "2018", "2023", "2024-03", "2024"]
    assert all(r.url.startswith("/agreements/sta/versions/") for r in tl.rows)
    xs = [r.bar_x for r in tl.rows]
    assert xs == sorted(xs)
    assert LEFT <= xs[0] < xs[-1] <= WIDTH - RIGHT_MARGIN
    assert [r.css for r in tl.rows] == [
        "tl-text",
        "tl-extension",
        "tl-text",
        "tl-extension",
        "tl-extension",
        "tl-text",
    ]
    assert [t.label for t in tl.ticks if t.major] == [str(y) for y in range(1980, 2031, 5)]


def test_retroactive_versions_get_a_bracket_from_signing_back_to_effect() -> None:
    versions, events, instruments = loaded(build_sta())
    tl = timeline_build(
        dom_id="t",
        caption="c",
        versions=versions,
        events=events,
        instruments=instruments,
        start=dt.date(2022, 7, 1),
        end=dt.date(2026, 1, 1),
    )
    brackets = {r.url.rstrip("/").rsplit("/", 1)[1]: r.bracket for r in tl.rows if r.bracket}
    assert set(brackets) == {"2024-03", "2024"}
    protocol = brackets["2024"]
    assert protocol.x_effective < protocol.x_signed
    assert protocol.label == ("Retroactive: signed 13 December 2024, effective from 27 August 2024")
    assert [r.end_note for r in tl.rows if r.end_note] == ["→ Aug 2029"]


def test_the_lapse_is_one_band_and_other_events_are_markers() -> None:
    versions, events, instruments = loaded(build_sta())
    tl = timeline_build(
        dom_id="t",
        caption="c",
        versions=versions,
        events=events,
        instruments=instruments,
        start=dt.date(2022, 7, 1),
        end=dt.date(2026, 1, 1),
    )
    assert [b.title for b in tl.lapses] == ["The 2024 lapse: 27 August 2024 to 13 December 2024"]
    assert [m.title for m in tl.markers] == ["H.R. 5245 received in the Senate (10 September 2024)"]


def test_lapses_close_together_are_labelled_once() -> None:
    agreement = make_agreement()
    make_version(
        agreement,
        "a",
        [article(1, "One.")],
        in_force_from=dt.date(2000, 1, 1),
        in_force_until=dt.date(2020, 1, 1),
    )
    make_event(agreement, "l1", dt.date(2010, 1, 1), dt.date(2010, 2, 1), kind=EventKind.LAPSE)
    make_event(agreement, "l2", dt.date(2010, 6, 1), dt.date(2010, 7, 1), kind=EventKind.LAPSE)
    make_event(agreement, "l3", dt.date(2018, 1, 1), dt.date(2018, 2, 1), kind=EventKind.LAPSE)
    versions, events, instruments = loaded(agreement)
    tl = timeline_build(
        dom_id="t",
        caption="c",
        versions=versions,
        events=events,
        instruments=instruments,
        start=dt.date(2000, 1, 1),
        end=dt.date(2021, 1, 1),
    )
    assert [b.label for b in tl.lapses] == ["Lapse", "", "Lapse"]


def test_a_close_up_is_offered_only_when_something_is_shorter_than_a_year() -> None:
    versions, events, _ = loaded(build_sta())
    assert detail_window(versions, events) == (dt.date(2022, 7, 1), dt.date(2026, 1, 1))
    agreement = make_agreement("long")
    make_version(
        agreement,
        "a",
        [article(1, "One.")],
        in_force_from=dt.date(2000, 1, 1),
        in_force_until=dt.date(2005, 1, 1),
    )
    versions, events, _ = loaded(agreement)
    assert detail_window(versions, events) is None


def test_assumed_and_partial_dates_are_said_as_recorded_on_the_timeline() -> None:
    sta_load(acting_user=system_user(), reason="test load")
    versions, events, instruments = loaded(Agreement.objects.get(slug="sta"))
    tl = timeline_build(
        dom_id="t",
        caption="c",
        versions=versions,
        events=events,
        instruments=instruments,
        start=dt.date(1978, 1, 1),
        end=dt.date(2030, 1, 1),
    )
    rows = {r.url.rstrip("/").rsplit("/", 1)[1]: r for r in tl.rows}
    assert [r.label for r in tl.rows][:3] == ["1979 agreement", "1984 extension", "2006 protocol"]
    extension = rows["2024-extension"]
    assert extension.signed is not None
    assert extension.signed.assumed
    assert extension.signed.title == (
        "Second six-month extension of 2024 signed on 7 March 2024 (assumed: the announcement date)"
    )
    assert extension.bracket is not None
    assert extension.bracket.label == (
        "Retroactive: signed 7 March 2024 (assumed: the announcement date), "
        "effective from 27 February 2024"
    )
    assert rows["1984-extension"].title == (
        "As extended in 1984: in force from 31 January 1984 (assumed: the end of the first "
        "five-year term) until 18 April 2006 (assumed: the date of signature of the 2006 protocol)"
    )
    assumed_rows = [
        r.url.rstrip("/").rsplit("/", 1)[1] for r in tl.rows if r.css.endswith(" tl-assumed")
    ]
    assert assumed_rows == ["1979", "1984-extension", "2006-protocol", "2011-extension",
                            "2018-amended"]  # fmt: skip
    assert rows["2024-protocol"].css == "tl-text"
    titles = {m.title for m in tl.markers}
    assert {
        "U.S. science delegation led by Frank Press visits China (July 1978)",
        "First meeting of the Joint Commission on Scientific and Technological Cooperation "
        "(January 1980)",
        "Congress repeals the biennial reporting requirement of section 1207 (2016)",
        "State Department has published the revised Agreement (by 21 April 2025)",
    } <= titles
    assert not any("1991" in t for t in titles)


def test_the_addresses_a_page_has_already_are_the_rows_links() -> None:
    versions, events, instruments = loaded(build_sta())
    start, end = overview_window(versions, events)
    drawn = {
        "dom_id": "t",
        "caption": "c",
        "versions": versions,
        "events": events,
        "instruments": instruments,
        "start": start,
        "end": end,
    }
    reversed_each = timeline_build(**drawn)
    given = timeline_build(**drawn, urls={v.pk: v.get_absolute_url() for v in versions})
    assert given == reversed_each
    marked = timeline_build(**drawn, urls={v.pk: f"/v/{v.label}/" for v in versions})
    assert [r.url for r in marked.rows] == [f"/v/{v.label}/" for v in versions]


@pytest.mark.parametrize("language", ["en", "zh-hans", "de"])
def test_the_figure_prints_each_value_as_the_template_printed_it(language: str) -> None:
    values: list[object] = [0.0, -0.0, 0, 1, 1.0, 1.5, -2.25, 1234567.5, 110.0, 110]
    values += ["", "a < b & \"c\" 'd'", SafeString("<b>kept</b>"), dt.date(2024, 8, 27), None]
    printed = printer(language)
    with translation.override(language):
        for value in values * 2:
            assert printed(value) == shown(value, language), value
