"""A bilingual print: its further language texts are added to the version it makes."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from clauses.importing.document import read_document
from clauses.importing.services import instrument_import
from clauses.models import ImportJob, VersionText
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version

from .test_view import logged_in, publish, upload

pytestmark = pytest.mark.django_db

# A small print of our own: the English text, then the Dutch text, each with a title and two
# articles of two sentences (the reader needs a few lines of each language to tell them apart).
BILINGUAL = """Agreement on the Status of the Forces of the Parties

Article 1
The members of the force shall respect the law of the receiving state.
They shall abstain from any activity that is not in the spirit of this agreement.

Article 2
The receiving state shall grant the members of the force the freedom of movement.
That freedom is given within its territory as far as their duties require it.

Overeenkomst inzake de status van de strijdkrachten van de partijen

Artikel 1
De leden van de strijdmacht eerbiedigen het recht van de ontvangende staat.
Zij onthouden zich van iedere activiteit die niet in de geest van deze overeenkomst is.

Artikel 2
De ontvangende staat verleent de leden van de strijdmacht de vrijheid van verkeer.
Die vrijheid wordt gegeven binnen zijn grondgebied voor zover hun taken het vereisen.
"""
REASON = "Second language text of the same print"


@pytest.fixture
def grace(db: Any) -> Any:
    return make_user("grace", Role.ADMINISTRATOR, is_staff=True)


def test_the_print_reads_as_an_english_text_with_a_dutch_text() -> None:
    document = read_document(BILINGUAL.encode(), "sofa.txt")
    assert document.language == "en"
    assert [c.key for c in document.clauses] == ["art_1", "art_2"]
    assert [(o.language, [c.number for c in o.clauses]) for o in document.other_texts] == [
        ("nl", ["", "Artikel 1", "Artikel 2"])
    ]


def test_the_preview_says_the_dutch_text_will_be_added_and_lists_its_unaligned_clause(
    client: Client, erin: Any
) -> None:
    response = logged_in(client, erin).post(
        "/import/", upload("sofa.txt", BILINGUAL.encode(), mode="consolidated")
    )
    job = ImportJob.objects.get()
    assert job.preview["other_texts"] == [
        {"language": "nl", "language_name": "Dutch", "clauses": 3, "unaligned": ["Preamble"]}
    ]
    # Why: each language text is accounted against its own part of the print, none is extra.
    accounting = job.preview["accounting"]
    assert (accounting["extra_words"], accounting["lost_words"]) == (0, 0)
    html = client.get(response["Location"]).content.decode()
    assert (
        "<strong>The file also holds a Dutch text of 3 clauses</strong>; it will be added as "
        "the version's Dutch text (nl). It changes nothing in force. These of its clauses match "
        "no clause of the first text and keep keys of their own: Preamble."
    ) in html
    assert not VersionText.objects.exists()


def test_publishing_a_consolidated_bilingual_print_adds_the_dutch_text(
    client: Client, erin: Any, grace: Any
) -> None:
    sta = make_agreement()
    before = make_version(
        sta,
        "1990",
        [
            article(1, "The members of the force shall respect the law of the receiving state."),
            article(2, "The receiving state shall grant the freedom of movement."),
        ],
        in_force_from=dt.date(1990, 1, 1),
    )
    logged_in(client, erin).post(
        "/import/", upload("sofa.txt", BILINGUAL.encode(), agreement=sta, mode="consolidated")
    )
    job = ImportJob.objects.get()
    fields = {"period_reason": "Replaced by the 2024 text", "confirm_repeals": "on"}
    assert publish(client, job, grace, **fields).status_code == 302
    job.refresh_from_db()
    version = job.version
    assert version is not None
    texts = {t.language: t for t in version.texts.all()}
    assert sorted(texts) == ["en", "nl"]
    assert (texts["nl"].text_status, texts["nl"].source_name) == ("official", "sofa.txt")
    record = texts["nl"].history.get()
    assert (record.history_user, record.history_change_reason) == (grace, REASON)
    english = list(
        version.clauses.filter(language="en").order_by("order").values_list("key", "change")
    )
    dutch = list(
        version.clauses.filter(language="nl")
        .order_by("order")
        .values_list("key", "number", "change", "changed_by")
    )
    # Why: the old Article 2 says something else, so the new one is a clause of its own.
    assert english == [("art_1", "amended"), ("art_2", "repealed"), ("art_2_2", "added")]
    # The Dutch text takes the English clauses' keys and changes and adds none of its own to
    # what is in force; its title, matching no English clause, keeps a key of its own.
    instrument = version.instrument_id
    assert dutch == [
        ("preamble_nl", "", "added", instrument),
        ("art_1", "Artikel 1", "amended", instrument),
        ("art_2_2", "Artikel 2", "added", instrument),
    ]
    for clause in version.clauses.filter(language="nl"):
        assert clause.history.get().history_change_reason == REASON
    assert set(before.clauses.values_list("language", flat=True)) == {"en"}
    assert sorted(t.language for t in before.texts.all()) == ["en"]
    before.refresh_from_db()
    in_force = (before.in_force_until, version.in_force_from, version.in_force_until)
    assert in_force == (dt.date(2024, 8, 27), dt.date(2024, 8, 27), None)


def test_a_partial_import_adds_the_dutch_text_and_a_side_document_does_not(erin: Any) -> None:
    sta = make_agreement()
    old = [article(1, "Old."), article(2, "Old too.")]
    make_version(sta, "1990", old, in_force_from=dt.date(1990, 1, 1))
    document = read_document(BILINGUAL.encode(), "sofa.txt")
    common: dict[str, Any] = {
        "agreement": sta,
        "document": document,
        "signed_on": dt.date(2024, 1, 1),
        "effective_from": dt.date(2024, 2, 1),
        "acting_user": erin,
        "reason": "Official text",
        "text_status": "official",
    }
    version = instrument_import(label="2024", kind="protocol", mode="partial", **common)
    assert sorted(t.language for t in version.texts.all()) == ["en", "nl"]  # type: ignore[union-attr]
    instrument_import(label="letters", kind="exchange_of_notes", mode="document", **common)
    assert VersionText.objects.filter(language="nl").count() == 1


def test_the_dry_run_lists_the_further_language_texts(tmp_path: Path) -> None:
    path = tmp_path / "sofa.txt"
    path.write_text(BILINGUAL, encoding="utf-8")
    out = StringIO()
    call_command("import_instrument", str(path), "--dry-run", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["other_texts"] == [{"language": "nl", "clauses": 3, "unaligned": ["Preamble"]}]
    assert [c["key"] for c in data["clauses"]] == ["art_1", "art_2"]


def test_an_unofficial_translation_print_publishes_both_texts_as_unofficial(erin: Any) -> None:
    sta = make_agreement()
    make_version(sta, "1990", [article(1, "Old.")], in_force_from=dt.date(1990, 1, 1))
    version = instrument_import(
        agreement=sta,
        document=read_document(BILINGUAL.encode(), "sofa.txt"),
        label="2024",
        kind="protocol",
        mode="consolidated",
        signed_on=dt.date(2024, 1, 1),
        effective_from=dt.date(2024, 2, 1),
        acting_user=erin,
        reason="Unofficial translation",
        text_status="unofficial",
    )
    statuses = {t.language: t.text_status for t in version.texts.all()}  # type: ignore[union-attr]
    assert statuses == {"en": "unofficial", "nl": "unofficial"}
