"""The instrument page (facts, effects, own text) and the effects on the clause page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clauses.importing.modes import plan_amending, plan_document
from clauses.importing.parse import parse_text
from clauses.models import Instrument, InstrumentKind, Version
from clauses.record.services import import_plan_publish
from clauses.record.versions import previous_clauses
from tests.factories import article, make_agreement, make_instrument, make_version

pytestmark = pytest.mark.django_db

PROTOCOL = """Protocol amending the Agreement

Article 1

Article 5 of the Agreement is replaced by the following:

“Each Party shall designate an Executive Agent.”

Article 2

Article 10 is deleted.

In Article 7, the words “scientists” are replaced by “researchers”.
"""


def amend(version: Version, text: str, slug: str, label: str, day: dt.date, erin: Any) -> Any:
    instrument = make_instrument(
        version.agreement, slug, kind=InstrumentKind.PROTOCOL, effective_from=day,
        title=f"Protocol {slug}",
    )  # fmt: skip
    document = parse_text(text)
    return import_plan_publish(
        agreement=version.agreement, instrument=instrument,
        plan=plan_amending(previous_clauses(version), document), document=document,
        label=label, title=f"Version {label}", in_force_from=day, in_force_until=None,
        text_status="official", acting_user=erin, reason="The protocol",
    )  # fmt: skip


@pytest.fixture
def amended(erin: Any) -> Version:
    agreement = make_agreement()
    v2018 = make_version(
        agreement,
        "2018",
        [article(n, f"Text of article {n}.") for n in range(1, 31)],
        in_force_from=dt.date(2018, 6, 27),
    )
    return amend(v2018, PROTOCOL, "2024-protocol", "2024", dt.date(2024, 8, 27), erin)  # type: ignore[no-any-return]


def effect_rows(html: str) -> list[str]:
    found = re.findall(r'<tr class="effect [^"]*">(.*?)</tr>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in found]


def test_anonymous_visitors_are_sent_to_log_in(client: Client, amended: Version) -> None:
    response = client.get("/agreements/sta/instruments/2024-protocol/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_role_is_refused(client: Client, amended: Version, nobody: Any) -> None:
    client.force_login(nobody)
    assert client.get("/agreements/sta/instruments/2024-protocol/").status_code == 403


def test_unknown_instruments_and_other_agreements_instruments_are_not_found(
    client: Client, amended: Version, dana: Any
) -> None:
    other = make_agreement("cet", short_title="CET")
    make_instrument(other, "cet-notes")
    client.force_login(dana)
    assert client.get("/agreements/sta/instruments/nope/").status_code == 404
    assert client.get("/agreements/sta/instruments/cet-notes/").status_code == 404
    assert client.get("/agreements/nope/instruments/2024-protocol/").status_code == 404


def test_the_instrument_page_lists_its_effects_and_its_own_text(
    client: Client, amended: Version, dana: Any
) -> None:
    client.force_login(dana)
    html = client.get("/agreements/sta/instruments/2024-protocol/").content.decode()
    assert effect_rows(html) == [
        "Article 5 Substituted Article 1 27 Aug 2024 Yes, in Version 2024",
        "Article 10 Repealed Article 2 27 Aug 2024 Yes, in Version 2024",
        "— Instruction not understood: In Article 7, the words “scientists” are replaced by "
        "“researchers”. Article 2 27 Aug 2024 No — Not understood: apply it by hand or leave "
        "it unapplied.",
    ]
    assert '<a href="/agreements/sta/clauses/art_5/">Article 5</a>' in html
    assert "1 instruction not applied" in html
    assert '<a href="/agreements/sta/versions/2024/">Version 2024</a>' in html
    assert "Article 5 of the Agreement is replaced by the following:" in html
    assert '<li class="depth-0" id="art_2"><h3>Article 2</h3>' in html


def test_a_side_document_page_shows_its_text_and_no_effects(
    client: Client, amended: Version, dana: Any, erin: Any
) -> None:
    minutes = make_instrument(amended.agreement, "2019-minutes", kind="exchange_of_notes")
    document = parse_text("Agreed minutes\n\nArticle 1\n\nThe Parties met in Beijing.")
    import_plan_publish(
        agreement=amended.agreement, instrument=minutes, plan=plan_document(document),
        document=document, label="", title="", in_force_from=dt.date(2019, 1, 1),
        in_force_until=None, text_status="official", acting_user=erin, reason="Minutes",
    )  # fmt: skip
    client.force_login(dana)
    html = client.get("/agreements/sta/instruments/2019-minutes/").content.decode()
    assert "No effects recorded" in html
    assert "none (it changes no text of the agreement)" in html
    assert "The Parties met in Beijing." in html


def test_the_clause_page_lists_the_effects_on_its_provision(
    client: Client, amended: Version, dana: Any
) -> None:
    client.force_login(dana)
    html = client.get("/agreements/sta/clauses/art_5/").content.decode()
    assert effect_rows(html) == [
        "Substituted Protocol 2024-protocol Article 1 27 Aug 2024 Yes, in Version 2024"
    ]
    assert '<a href="/agreements/sta/instruments/2024-protocol/">' in html
    untouched = client.get("/agreements/sta/clauses/art_4/").content.decode()
    assert effect_rows(untouched) == []
    assert "No effects recorded on this provision." in untouched


def test_the_agreement_page_links_each_instrument_page(
    client: Client, amended: Version, dana: Any
) -> None:
    client.force_login(dana)
    html = client.get("/agreements/sta/").content.decode()
    assert '<a href="/agreements/sta/instruments/2024-protocol/">Protocol 2024-protocol</a>' in html


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_instrument_and_clause_pages_cost_the_same_for_many_effects_as_for_few(
    client: Client, amended: Version, dana: Any, erin: Any, django_assert_max_num_queries: Any
) -> None:
    many = "Protocol\n\n" + "\n\n".join(
        f"Article {n}\n\nArticle {n + 10} is replaced by the following: “New text {n}.”"
        for n in range(1, 16)
    )
    amend(amended, many, "2026-protocol", "2026", dt.date(2026, 1, 1), erin)
    assert Instrument.objects.get(slug="2026-protocol").effects.count() == 15
    client.force_login(dana)
    few_url, many_url = (
        f"/agreements/sta/instruments/{s}/" for s in ("2024-protocol", "2026-protocol")
    )
    with django_assert_max_num_queries(11):
        client.get(many_url)
    assert count(client, few_url) == count(client, many_url)
    assert count(client, "/agreements/sta/clauses/art_5/") == count(
        client, "/agreements/sta/clauses/art_15/"
    )
