"""Publishing an import plan: the version, its effects and the instrument's own document."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from clauses.importing.modes import (
    AmendmentError,
    plan_amending,
    plan_consolidated,
    plan_document,
    plan_partial,
)
from clauses.importing.parse import parse_text
from clauses.models import (
    Clause,
    DocumentClause,
    Effect,
    Instrument,
    InstrumentDocument,
    InstrumentKind,
    Version,
)
from clauses.record.services import import_plan_publish
from clauses.record.versions import VersionError, previous_clauses
from tests.factories import article, make_agreement, make_instrument, make_version

pytestmark = pytest.mark.django_db

SIGNED = dt.date(2018, 6, 27)
PROTOCOL = """Protocol amending the Agreement

Article 1

Article 5 of the Agreement is replaced by the following:

“Each Party shall designate an Executive Agent.”

Article 2

Article 10 is deleted.

The Agreement is extended for a period of five years.

In Article 7, the words “scientists” are replaced by “researchers”.
"""


@pytest.fixture
def v2018(db: Any) -> Version:
    agreement = make_agreement()
    return make_version(
        agreement,
        "2018",
        [article(n, f"Text of article {n}.") for n in range(1, 12)],
        in_force_from=SIGNED,
    )


def protocol(version: Version, slug: str = "2024-protocol") -> Instrument:
    return make_instrument(
        version.agreement, slug, kind=InstrumentKind.PROTOCOL, effective_from=dt.date(2024, 8, 27)
    )


def publish(version: Version, plan: Any, document: Any, erin: Any, **kw: Any) -> Any:
    return import_plan_publish(
        agreement=version.agreement,
        instrument=kw.pop("instrument", None) or protocol(version),
        plan=plan,
        document=document,
        label=kw.pop("label", "2024"),
        title="As amended by the 2024 protocol",
        in_force_from=kw.pop("in_force_from", dt.date(2024, 8, 27)),
        in_force_until=None,
        text_status="official",
        acting_user=erin,
        reason=kw.pop("reason", "The 2024 protocol"),
        **kw,
    )


def test_an_amending_instrument_publishes_the_amended_version_its_effects_and_its_text(
    v2018: Version, erin: Any
) -> None:
    document = parse_text(PROTOCOL)
    plan = plan_amending(previous_clauses(v2018), document)
    version = publish(v2018, plan, document, erin)
    assert isinstance(version, Version)
    rows = version.clauses.order_by("order")
    assert [(c.key, c.change, c.wording) for c in rows if c.change != "unchanged"] == [
        ("art_5", "amended", "official"),
        ("art_10", "repealed", "official"),
    ]
    assert {c.wording for c in rows if c.change == "unchanged"} == {"carried_over"}
    assert rows.get(key="art_5").text == "Each Party shall designate an Executive Agent."
    effects = Effect.objects.filter(instrument=version.instrument).order_by("order")
    assert [
        (e.order, e.kind, e.affected_key, e.affected_label, e.affecting_provision,
         e.effective_from, e.applied, e.version_id, e.term)
        for e in effects
    ] == [
        (1, "substitution", "art_5", "Article 5", "Article 1", dt.date(2024, 8, 27), True,
         version.pk, ""),
        (2, "repeal", "art_10", "Article 10", "Article 2", dt.date(2024, 8, 27), True,
         version.pk, ""),
        (3, "extension", "", "", "Article 2", dt.date(2024, 8, 27), True, version.pk,
         "for a period of five years"),
        (4, "other", "", "", "Article 2", dt.date(2024, 8, 27), False, None, ""),
    ]  # fmt: skip
    assert effects[3].note == "Not understood: apply it by hand or leave it unapplied."
    kept = InstrumentDocument.objects.get(instrument=version.instrument)
    assert kept.get_absolute_url() == "/agreements/sta/instruments/2024-protocol/"
    assert str(effects[1]) == "Repealed: Article 10 by Instrument 2024-protocol"
    assert (kept.language, kept.title, kept.text_status) == (
        "en", "Instrument 2024-protocol", "official",
    )  # fmt: skip
    assert list(kept.clauses.values_list("key", "order", "depth")) == [
        ("preamble", 1, 0), ("art_1", 2, 0), ("art_2", 3, 0),
    ]  # fmt: skip
    v2018.refresh_from_db()
    assert v2018.in_force_until == dt.date(2024, 8, 27)
    history = Effect.history.filter(instrument_id=version.instrument_id)  # type: ignore[attr-defined]
    assert history.count() == 4
    assert {(h.history_user, h.history_change_reason) for h in history} == {
        (erin, "The 2024 protocol")
    }
    assert DocumentClause.history.count() == 3  # type: ignore[attr-defined]
    assert InstrumentDocument.history.count() == 1  # type: ignore[attr-defined]


def test_a_partial_text_publishes_a_version_repealing_nothing_with_the_wording_of_each_clause(
    v2018: Version, erin: Any
) -> None:
    document = parse_text("Article 2\n\nText of article 2, officially worded.")
    plan = plan_partial(previous_clauses(v2018), document)
    version = publish(v2018, plan, document, erin, label="2019-partial")
    rows = version.clauses.order_by("order")
    assert rows.count() == 11
    assert [(c.key, c.change, c.wording) for c in rows if c.wording != "carried_over"] == [
        ("art_2", "amended", "partial")
    ]
    assert not rows.filter(change="repealed").exists()
    assert list(Effect.objects.values_list("kind", "affected_key", "applied")) == [
        ("substitution", "art_2", True)
    ]
    assert not InstrumentDocument.objects.exists()


def test_a_consolidated_text_records_the_effects_of_its_diff(v2018: Version, erin: Any) -> None:
    texts = [article(n, f"Text of article {n}.") for n in range(1, 11)]
    document = parse_text("\n\n".join(f"Article {c.number[8:]}\n\n{c.text}" for c in texts))
    plan = plan_consolidated(previous_clauses(v2018), document)
    version = publish(v2018, plan, document, erin)
    assert list(Effect.objects.values_list("kind", "affected_key", "version")) == [
        ("repeal", "art_11", version.pk)
    ]
    assert version.clauses.get(key="art_11").change == "repealed"


def test_a_side_document_is_kept_with_its_clauses_and_makes_no_version(
    v2018: Version, erin: Any
) -> None:
    document = parse_text(
        "Agreed minutes\n\nSection I\n\nThe Parties met.\n\n1. They agreed on a plan.\n\n"
        "2. They will meet again."
    )
    plan = plan_document(document)
    minutes = make_instrument(v2018.agreement, "2019-minutes", kind="exchange_of_notes")
    kept = publish(v2018, plan, document, erin, instrument=minutes, label="unused")
    assert isinstance(kept, InstrumentDocument)
    assert Version.objects.count() == 1
    assert not Effect.objects.exists()
    rows = list(kept.clauses.order_by("order"))
    assert [(c.key, c.depth, c.parent.key if c.parent else None) for c in rows] == [
        (c.key, 0 if c.parent is None else 1, c.parent) for c in document.clauses
    ]
    v2018.refresh_from_db()
    assert v2018.in_force_until is None


def test_a_second_text_of_a_document_in_the_same_language_is_refused(
    v2018: Version, erin: Any
) -> None:
    document = parse_text("Agreed minutes\n\nArticle 1\n\nThe Parties met.")
    minutes = make_instrument(v2018.agreement, "2019-minutes", kind="exchange_of_notes")
    publish(v2018, plan_document(document), document, erin, instrument=minutes)
    with pytest.raises(VersionError, match="already has its text in this language"):
        publish(v2018, plan_document(document), document, erin, instrument=minutes)
    assert InstrumentDocument.objects.count() == 1


def test_an_effect_dated_before_the_version_it_amends_is_refused_and_nothing_written(
    v2018: Version, erin: Any
) -> None:
    document = parse_text(PROTOCOL)
    plan = plan_amending(previous_clauses(v2018), document)
    with pytest.raises(VersionError) as error:
        publish(v2018, plan, document, erin, in_force_from=dt.date(2017, 1, 1))
    assert str(error.value) == (
        "The effects would take effect on 2017-01-01, before the 2018 version they change "
        "starts (2018-06-27)."
    )
    assert Version.objects.count() == 1
    assert not Effect.objects.exists()
    assert not InstrumentDocument.objects.exists()


def test_an_instrument_naming_a_clause_the_version_lacks_is_refused_and_nothing_written(
    v2018: Version,
) -> None:
    document = parse_text("Protocol\n\nArticle 2\n\nArticle 14 is deleted.")
    with pytest.raises(AmendmentError) as error:
        plan_amending(
            previous_clauses(v2018), document, previous_label="the 2018 version",
            instrument_name="the protocol",
        )  # fmt: skip
    assert str(error.value) == (
        "The protocol's Article 2 amends Article 14, which the 2018 version does not have."
    )
    assert (Version.objects.count(), Clause.objects.count(), Effect.objects.count()) == (1, 11, 0)


def test_a_publication_without_a_reason_is_refused(v2018: Version, erin: Any) -> None:
    document = parse_text(PROTOCOL)
    plan = plan_amending(previous_clauses(v2018), document)
    with pytest.raises(VersionError, match="Say why"):
        publish(v2018, plan, document, erin, reason="  ")
    assert Version.objects.count() == 1


def test_an_instrument_of_another_agreement_is_refused(v2018: Version, erin: Any) -> None:
    other = make_agreement("cet", short_title="CET")
    stranger = make_instrument(other, "2024-protocol", kind="protocol")
    document = parse_text(PROTOCOL)
    plan = plan_amending(previous_clauses(v2018), document)
    with pytest.raises(VersionError, match="is not an instrument of STA"):
        publish(v2018, plan, document, erin, instrument=stranger)
    assert not Effect.objects.exists()
