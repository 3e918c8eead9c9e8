"""One rule for "in force on a day": every caller gives the same version on the same days."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from clauses.models import Agreement, Clause, EventKind, Version, VersionText, system_user
from clauses.record.inforce import version_in_force
from reviews.services.proposals import clauses_in_force
from reviews.services.screening import _scope_hits
from sta_tracker.history import save_with_history
from sta_tracker.search.query import search
from tests.factories import article, make_agreement, make_event, make_version

pytestmark = pytest.mark.django_db

D = dt.date

# Day -> the label a treaty office would give, and why.
EXPECTED = {
    D(1999, 12, 31): None,  # before the agreement
    D(2000, 1, 1): "a",
    D(2005, 1, 1): "b",  # b's period overlaps a's: b took effect later and prevails
    D(2007, 12, 31): "b",
    D(2008, 1, 1): "a",  # b has ended; a's period still runs
    D(2010, 1, 1): "c2",  # c1 and c2 published the same day for the same date: the later one
    D(2014, 12, 31): "c2",
    D(2015, 2, 1): None,  # lapsed: c2's recorded period runs on, but it was signed long before
    D(2015, 6, 1): "d",  # lapsed, and covered retroactively by d, signed on 1 September 2015
    D(2015, 12, 31): "d",
    D(2016, 1, 1): "d",  # the lapse is over
}


def _period(version: Version, until: dt.date | None) -> None:
    """Record a period the publishing service would have shortened, as older records hold."""
    version.in_force_until = until
    save_with_history(version, acting_user=system_user(), reason="test data: overlapping period")


@pytest.fixture
def agreement() -> Agreement:
    agreement = make_agreement()

    def text(label: str) -> list[Any]:
        return [article(1, f"Telescopes are shared under version {label}.")]

    a = make_version(agreement, "a", text("a"), in_force_from=D(2000, 1, 1))
    make_version(
        agreement, "b", text("b"), in_force_from=D(2005, 1, 1), in_force_until=D(2008, 1, 1)
    )
    _period(a, D(2010, 1, 1))
    make_version(
        agreement, "c1", text("c1"), in_force_from=D(2010, 1, 1), in_force_until=D(2015, 3, 1)
    )
    make_version(
        agreement, "c2", text("c2"), in_force_from=D(2010, 1, 1), in_force_until=D(2015, 3, 1)
    )
    make_event(agreement, "lapse-2015", D(2015, 1, 1), D(2016, 1, 1), kind=EventKind.LAPSE)
    make_version(agreement, "d", text("d"), in_force_from=D(2015, 6, 1), signed_on=D(2015, 9, 1))
    # A second language text of c1 changes nothing about what is in force.
    save_with_history(
        VersionText(version=Version.objects.get(label="c1"), language="zh", text_status="partial"),
        acting_user=system_user(),
        reason="test data",
    )
    return agreement


def _labels(versions: Any) -> set[str]:
    return {v.label for v in versions}


def _one(labels: set[str]) -> str | None:
    assert len(labels) <= 1, labels
    return next(iter(labels), None)


def by_rule(agreement: Agreement, day: dt.date, client: Client) -> str | None:
    versions = list(agreement.versions.select_related("instrument"))
    found = version_in_force(day, versions, list(agreement.events.all()))
    return found.label if found is not None else None


def text_on_a_date_page(agreement: Agreement, day: dt.date, client: Client) -> str | None:
    response = client.get(reverse("clauses:on_date", args=[agreement.slug, day.isoformat()]))
    assert response.status_code == 200
    version = response.context["state"].version
    return version.label if version is not None else None


def api_in_force(agreement: Agreement, day: dt.date, client: Client) -> str | None:
    response = client.get(f"/api/agreements/{agreement.slug}/on/{day.isoformat()}/")
    assert response.status_code == 200
    version = response.json()["version"]
    return version["label"] if version is not None else None


def api_version_filter(agreement: Agreement, day: dt.date, client: Client) -> str | None:
    response = client.get("/api/versions/", {"agreement": agreement.slug, "in_force_on": day})
    assert response.status_code == 200
    return _one({v["label"] for v in response.json()["results"]})


def search_in_force_filter(agreement: Agreement, day: dt.date, client: Client) -> str | None:
    found = search(query="telescopes", user=system_user(), in_force_on=day)
    return _one({hit.version_label for hit in found.provisions})


def citation_of_a_clause(agreement: Agreement, day: dt.date, client: Client) -> str | None:
    # Read from the page as a person copies it (the text may come from the fragment cache).
    response = client.get(reverse("clauses:on_date", args=[agreement.slug, day.isoformat()]))
    citations = re.findall(r'data-citation="([^"]*)"', response.content.decode())
    cited = {
        v.label
        for v in agreement.versions.all()
        for citation in citations
        if f"{v.get_absolute_url()}#" in html.unescape(citation)
    }
    return _one(cited)


def proposal_scope_check(agreement: Agreement, day: dt.date, client: Client) -> str | None:
    cited = Clause.objects.filter(version__agreement=agreement, key="art_1")
    proposal = SimpleNamespace(start_date=day, cited_clauses=cited)
    flagged = {hit.clause.version.label for hit in _scope_hits(proposal)}  # type: ignore[arg-type]
    return _one(_labels(agreement.versions.all()) - flagged)


def decision_check(agreement: Agreement, day: dt.date, client: Client) -> str | None:
    return _one({c.version.label for c in clauses_in_force(day).select_related("version")})


CALLERS: list[Callable[[Agreement, dt.date, Client], str | None]] = [
    by_rule,
    text_on_a_date_page,
    api_in_force,
    api_version_filter,
    search_in_force_filter,
    citation_of_a_clause,
    proposal_scope_check,
    decision_check,
]


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.__name__)
def test_every_caller_names_the_same_version_on_every_day(
    caller: Callable[[Agreement, dt.date, Client], str | None], agreement: Agreement, dana: Any
) -> None:
    client = Client()
    client.force_login(dana)
    found = {day: caller(agreement, day, client) for day in EXPECTED}
    assert found == EXPECTED


def test_a_lapse_day_covered_only_by_an_earlier_instrument_says_it_lapsed(
    agreement: Agreement, dana: Any
) -> None:
    client = Client()
    client.force_login(dana)
    response = client.get(reverse("clauses:on_date", args=[agreement.slug, "2015-02-01"]))
    state = response.context["state"]
    assert (state.version, state.in_lapse, state.in_gap) == (None, True, False)
    assert "had lapsed" in state.explanations[0]


def test_once_the_lapse_is_over_the_earlier_period_governs_again(agreement: Agreement) -> None:
    lapse = agreement.events.get()
    lapse.ends_on = D(2015, 2, 1)
    save_with_history(lapse, acting_user=system_user(), reason="test data: shorter lapse")
    assert _labels(Version.objects.in_force_on(D(2015, 1, 31))) == set()
    assert _labels(Version.objects.in_force_on(D(2015, 2, 1))) == {"c2"}
