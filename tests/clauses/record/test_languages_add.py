"""``version_text_add``: the real Chinese 1979 text as the zh text of the 1979 version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from clauses.importing.document import read_document
from clauses.importing.parse import parse_text
from clauses.importing.structure import ParsedDocument
from clauses.models import Clause, TextStatus, Version, VersionText, system_user
from clauses.record.languages import LanguageTextError, language_preview, version_text_add
from reviews.models import ClauseChangeFlag
from reviews.services import proposals_flag_for_version
from tests.reviews.factories import proposal_in

from ..languages_data import load_sta_english_only

pytestmark = pytest.mark.django_db

EXPECTED_PAIRS = [
    ("preamble", "preamble"),
    ("art_1", "art_1"),
    ("art_1__para_1", "art_1__para_1"),
    ("art_1__para_2", "art_1__para_2"),
    ("art_2", "art_2"),
    ("art_3", "art_3"),
    *((f"art_3__item_{n}", f"art_3__item_{n}") for n in range(1, 7)),
    ("art_4", "art_4"),
    ("art_5", "art_5"),
]
NO_COUNTERPART = [
    "art_5__para_1", "art_5__para_2", "art_5__para_3", "art_6", "art_7", "art_8", "art_9",
    "art_10", "art_10__para_1", "art_10__para_2", "art_11", "art_11__para_1", "art_11__para_2",
    "art_11__para_3", "signature",
]  # fmt: skip


@pytest.fixture
def sta(tmp_path: Path) -> Version:
    return load_sta_english_only(tmp_path)


@pytest.fixture
def chinese(shared_sta_dir: Path) -> ParsedDocument:
    path = shared_sta_dir / "1979-agreement.zh.txt"
    return read_document(path.read_bytes(), path.name)


def snapshot() -> dict[str, Any]:
    """Everything a language text must leave alone."""
    return {
        "english": list(
            Clause.objects.filter(language="en")
            .order_by("pk")
            .values_list("pk", "key", "text", "change", "changed_by_id", "order")
        ),
        "periods": list(
            Version.objects.order_by("pk").values_list("pk", "in_force_from", "in_force_until")
        ),
        "in_force_1990": list(Version.objects.in_force_on(dt.date(1990, 1, 1)).values("pk")),
        "history": Clause.history.filter(language="en").count(),
        "versions_history": Version.history.count(),
    }


def add(version: Version, document: ParsedDocument, **overrides: Any) -> VersionText:
    options: dict[str, Any] = {
        "version": version,
        "document": document,
        "language": "zh",
        "text_status": TextStatus.PARTIAL,
        "acting_user": system_user(),
        "reason": "The Chinese authentic text, articles 1 to 5",
        "source_name": "1979-agreement.zh.txt",
        **overrides,
    }
    return version_text_add(**options)


def test_the_preview_pairs_the_chinese_articles_with_the_english_ones(
    sta: Version, chinese: ParsedDocument
) -> None:
    """The preview lists exact pairs and both sides' unaligned clauses, and writes nothing."""
    preview = language_preview(sta, chinese, language="zh")
    assert [(p.new_key, p.key) for p in preview.pairs] == EXPECTED_PAIRS
    assert [(p.new_number, p.existing_label) for p in preview.pairs][1:3] == [
        ("第一条", "Article 1"),
        ("一、", "1."),
    ]
    assert preview.unaligned_new == ()
    assert [r.key for r in preview.unaligned_existing] == NO_COUNTERPART
    assert preview.held == ("en",)
    assert not Clause.objects.filter(language="zh").exists()


def test_adding_the_chinese_text_writes_its_clauses_under_the_english_keys(
    sta: Version, chinese: ParsedDocument, erin: Any
) -> None:
    """One VersionText and 14 zh clauses, each with one history row naming user and reason."""
    text = add(sta, chinese, acting_user=erin)
    assert (text.version, text.language, text.text_status, text.source_name) == (
        sta,
        "zh",
        "partial",
        "1979-agreement.zh.txt",
    )
    assert text.history.get().history_user == erin
    rows = list(sta.clauses.filter(language="zh").order_by("order"))
    assert [r.key for r in rows] == [key for key, _ in EXPECTED_PAIRS]
    assert rows[1].number == "第一条"
    assert rows[2].parent == rows[1]
    assert rows[2].text == chinese.clauses[2].text
    history = Clause.history.filter(language="zh")
    assert history.count() == 14
    assert set(history.values_list("history_user", "history_change_reason")) == {
        (erin.pk, "The Chinese authentic text, articles 1 to 5")
    }


def test_adding_a_language_text_changes_nothing_else_and_flags_no_proposal(
    sta: Version,
    chinese: ParsedDocument,
    alice: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """English clauses, periods, the version in force on 1990-01-01: all unchanged; no task."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(1980, 1, 1))
    proposal = proposal_in("submitted", submitter=alice, version=sta)
    assert proposal.cited_clauses.get().version == sta
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add(sta, chinese)
    assert callbacks == []
    assert snapshot() == before
    assert [v.label for v in Version.objects.in_force_on(dt.date(1990, 1, 1))] == ["1984-extension"]
    assert proposals_flag_for_version(version=sta, acting_user=system_user(), reason="x") == []
    assert not ClauseChangeFlag.objects.exists()


def test_a_person_can_pair_or_leave_unaligned_what_the_engine_could_not(
    sta: Version,
) -> None:
    """A clause only the new text has gets its own key unless a person pairs it."""
    document = parse_text("第一条 甲。\n第十二条 乙。\n第十三条 丙。\n")
    preview = language_preview(sta, document, language="fr")
    assert [(r.new_key, r.key) for r in preview.unaligned_new] == [
        ("art_12", "art_12_fr"),
        ("art_13", "art_13_fr"),
    ]
    add(sta, document, language="fr", pairs={"art_12": "art_6", "art_13": None})
    assert list(
        sta.clauses.filter(language="fr").order_by("order").values_list("key", "change")
    ) == [("art_1", "added"), ("art_6", "added"), ("art_13_fr", "added")]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"language": "en"}, "Version 1979 already has a text in English (en)"),
        ({"language": "ZH"}, "'ZH' is not a language code"),
        ({"language": "chi"}, "'chi' is not a language code"),
        ({"pairs": {"art_1": "art_99"}}, "The version has no clause 'art_99' to pair 'art_1'"),
        ({"text_status": "none"}, "Text status 'none' is not one of"),
        ({"reason": " "}, "Say why the text is added"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(
    sta: Version, chinese: ParsedDocument, overrides: dict[str, Any], message: str
) -> None:
    """A clear message naming the problem; no text, no clause, no history row."""
    before = (VersionText.history.count(), Clause.history.count(), Clause.objects.count())
    with pytest.raises(LanguageTextError, match=message.replace("(", r"\(").replace(")", r"\)")):
        add(sta, chinese, **overrides)
    assert (VersionText.history.count(), Clause.history.count(), Clause.objects.count()) == before


def test_it_refuses_a_language_already_added(sta: Version, chinese: ParsedDocument) -> None:
    """The second zh text of one version is refused and leaves the first one as it was."""
    add(sta, chinese)
    count = Clause.objects.filter(language="zh").count()
    with pytest.raises(LanguageTextError, match="already has a text in Chinese"):
        add(sta, chinese)
    assert Clause.objects.filter(language="zh").count() == count
