from __future__ import annotations

import datetime as dt

import pytest

from clauses.importing.structure import ParsedClause
from clauses.models import ChangeKind, Clause, TextStatus, system_user
from clauses.record.versions import VersionError, version_publish
from tests.factories import article, make_agreement, make_instrument, make_version

pytestmark = pytest.mark.django_db

D1979 = dt.date(1979, 1, 31)
D1984 = dt.date(1984, 1, 31)


def test_an_extension_carries_every_clause_forward_unchanged() -> None:
    sta = make_agreement()
    make_version(
        sta,
        "1979",
        [article(1, "Cooperate."), article(2, "Exchange scientists.")],
        in_force_from=D1979,
    )
    ext = make_version(sta, "1984", None, in_force_from=D1984)
    rows = list(ext.clauses.values_list("key", "change", "changed_by"))
    assert rows == [("art_1", "unchanged", None), ("art_2", "unchanged", None)]


def test_a_renumbered_clause_keeps_its_key_and_new_text_gets_a_fresh_one() -> None:
    sta = make_agreement()
    make_version(
        sta,
        "1979",
        [
            article(1, "The parties cooperate on the basis of equality."),
            article(2, "A joint commission meets every year."),
            article(3, "Each party bears its own costs of participation."),
        ],
        in_force_from=D1979,
    )
    v2 = make_version(
        sta,
        "2024",
        [
            article(1, "The parties cooperate on the basis of equality."),
            article(2, "Each party bears its own costs of participation."),
            article(3, "Researchers' safety is protected by both parties."),
        ],
        in_force_from=dt.date(2024, 8, 27),
    )
    rows = [(c.key, c.number, c.change, c.previous_number) for c in v2.clauses.order_by("order")]
    assert rows == [
        ("art_1", "Article 1", "unchanged", ""),
        ("art_2", "Article 2", "repealed", "Article 2"),
        ("art_3", "Article 2", "renumbered", "Article 3"),
        ("art_3_2", "Article 3", "added", ""),
    ]


def test_each_clause_gets_one_history_row_naming_user_and_reason() -> None:
    sta = make_agreement()
    version = make_version(sta, "1979", [article(1, "Cooperate.")], in_force_from=D1979)
    clause = version.clauses.get()
    records = list(clause.history.all())
    assert len(records) == 1
    assert records[0].history_user.username == "sta-system"
    assert records[0].history_change_reason == "test data"


def test_a_label_that_already_exists_is_refused_and_nothing_is_written() -> None:
    sta = make_agreement()
    make_version(sta, "1979", [article(1, "Cooperate.")], in_force_from=D1979)
    before = Clause.objects.count()
    instrument = make_instrument(sta, "another")
    with pytest.raises(VersionError, match="already has a version labelled '1979'"):
        version_publish(
            agreement=sta,
            instrument=instrument,
            label="1979",
            title="Again",
            in_force_from=D1984,
            in_force_until=None,
            text_status=TextStatus.ILLUSTRATIVE,
            clauses=[article(1, "Other.")],
            acting_user=system_user(),
            reason="test",
        )
    assert Clause.objects.count() == before
    assert not Clause.objects.filter(change=ChangeKind.ADDED, text="Other.").exists()


def test_a_new_version_ends_the_open_period_of_the_one_it_supersedes() -> None:
    sta = make_agreement()
    first = make_version(sta, "1979", [article(1, "Cooperate.")], in_force_from=D1979)
    make_version(sta, "1984", None, in_force_from=D1984)
    first.refresh_from_db()
    assert first.in_force_until == D1984
    record = first.history.first()
    assert record.history_change_reason == "Superseded by version 1984"
    assert record.history_user.username == "sta-system"


def test_the_publishers_reason_for_ending_the_period_is_in_the_superseded_versions_history() -> (
    None
):
    sta = make_agreement()
    first = make_version(sta, "1979", [article(1, "Cooperate.")], in_force_from=D1979)
    reason = "The 1984 extension takes over from 31 January 1984, " + "as the Parties agreed " * 8
    version_publish(
        agreement=sta,
        instrument=make_instrument(sta, "1984-extension", effective_from=D1984),
        label="1984",
        title="Extended",
        in_force_from=D1984,
        in_force_until=None,
        text_status=TextStatus.ILLUSTRATIVE,
        clauses=None,
        acting_user=system_user(),
        reason="Extension published",
        period_reason=reason,
    )
    record = first.history.first()
    assert record.in_force_until == D1984
    assert record.history_change_reason == f"Superseded by version 1984: {reason.strip()}"
    assert len(record.history_change_reason) > 100


def test_a_version_published_between_two_others_ends_where_the_later_one_starts() -> None:
    sta = make_agreement()
    make_version(sta, "1979", [article(1, "Cooperate.")], in_force_from=D1979)
    make_version(sta, "2006", None, in_force_from=dt.date(2006, 4, 18))
    middle = make_version(sta, "1984", None, in_force_from=D1984)
    assert middle.in_force_until == dt.date(2006, 4, 18)
    assert sta.versions.get(label="1979").in_force_until == D1984


def test_a_closed_earlier_period_is_left_alone() -> None:
    sta = make_agreement()
    first = make_version(
        sta,
        "1979",
        [article(1, "Cooperate.")],
        in_force_from=D1979,
        in_force_until=dt.date(1983, 1, 1),
    )
    make_version(sta, "1984", None, in_force_from=D1984)
    first.refresh_from_db()
    assert first.in_force_until == dt.date(1983, 1, 1)
    assert first.history.count() == 1


def test_a_long_reason_is_kept_whole_in_the_history() -> None:
    sta = make_agreement()
    reason = "Official text received from the Department of State; " * 8
    instrument = make_instrument(sta, "official")
    version = version_publish(
        agreement=sta,
        instrument=instrument,
        label="official",
        title="Official",
        in_force_from=D1979,
        in_force_until=None,
        text_status=TextStatus.OFFICIAL,
        clauses=[article(1, "Cooperate.")],
        acting_user=system_user(),
        reason=reason,
    )
    assert version.clauses.get().history.get().history_change_reason == reason.strip()


def test_a_clause_extended_to_twice_its_length_keeps_its_key_as_amended() -> None:
    sta = make_agreement()
    old = "Accords shall deal with the funding of the activities and any other matter."
    extended = (
        old[:-1] + " that calls for it. Intellectual property created in the course of "
        "cooperative activities shall be treated as provided in Annex 1, and research data as "
        "provided in Annex 2; both Annexes form an integral part of this Agreement."
    )
    make_version(sta, "1979", [article(5, old)], in_force_from=D1979)
    later = make_version(sta, "2024", [article(5, extended)], in_force_from=D1984)
    assert list(later.clauses.values_list("key", "change")) == [("art_5", "amended")]


def test_an_unrelated_text_under_the_same_number_gets_a_new_key() -> None:
    sta = make_agreement()
    make_version(
        sta,
        "1979",
        [article(5, "A joint commission meets every year in each country.")],
        in_force_from=D1979,
    )
    later = make_version(
        sta,
        "2024",
        [article(5, "Either Party may terminate this Agreement by written notice.")],
        in_force_from=D1984,
    )
    assert list(later.clauses.values_list("key", "change")) == [
        ("art_5", "repealed"),
        ("art_5_2", "added"),
    ]


def test_a_published_version_holds_its_english_text_with_history() -> None:
    sta = make_agreement()
    version = make_version(sta, "1979", [article(1, "Cooperate.")], in_force_from=D1979)
    text = version.texts.get()
    assert (text.language, text.text_status) == ("en", version.text_status)
    record = text.history.get()
    assert (record.history_user, record.history_type) == (system_user(), "+")
    assert set(version.clauses.values_list("language", flat=True)) == {"en"}


def test_footnotes_of_a_parsed_clause_are_stored_apart_from_its_text() -> None:
    sta = make_agreement()
    noted = ParsedClause("art_1", "article", "Article 1", "", "Cooperate.", notes=("OJ L 1.",))
    version = make_version(sta, "1979", [noted], in_force_from=D1979)
    clause = version.clauses.get()
    assert (clause.text, clause.notes) == ("Cooperate.", ["OJ L 1."])
