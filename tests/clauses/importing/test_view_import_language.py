"""The import page's way in for a language text of an existing version: the real Chinese 1979
text as the zh text of the 1979 version, aligned by number path, paired by hand, published by a
second administrator; and every refusal, with nothing written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from clauses.importing.by_hand import import_job_pairs_save
from clauses.importing.language_jobs import language_job_create
from clauses.importing.review import ImportRefused
from clauses.importing.services import import_job_publish
from clauses.models import Clause, ImportJob, ImportStatus, Version, VersionText
from clauses.permissions import FOUR_EYES_HAND_RULE, FOUR_EYES_RULE
from reviews.models import ClauseChangeFlag
from sta_tracker.roles import Role
from tests.factories import article, make_agreement, make_user, make_version
from tests.reviews.factories import proposal_in

from ..languages_data import load_sta_english_only

pytestmark = pytest.mark.django_db

# The Chinese 1979 text's own articles are 第一条 to 第五条; one more of our own writing
# has no English counterpart by number.
EXTRA_ARTICLE = "第十二条 双方可商定其他合作方式。\n"


@pytest.fixture
def grace(db: Any) -> Any:
    """Grace is a second administrator: she publishes what Erin uploads (four eyes)."""
    return make_user("grace", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def v1979(tmp_path: Path) -> Version:
    return load_sta_english_only(tmp_path)


@pytest.fixture
def zh_bytes(shared_sta_dir: Path) -> bytes:
    return (shared_sta_dir / "1979-agreement.zh.txt").read_bytes()


def form(content: bytes, version: Version, **fields: Any) -> dict[str, Any]:
    return {
        "file": SimpleUploadedFile("1979-agreement.zh.txt", content),
        "agreement": version.agreement_id,
        "mode": "language",
        "target_version": version.pk,
        "language": "zh",
        "text_status": "partial",
        "reason": "The Chinese authentic text, articles 1 to 5",
        **fields,
    }


def upload(client: Client, user: Any, content: bytes, version: Version, **fields: Any) -> ImportJob:
    client.force_login(user)
    response = client.post("/import/", form(content, version, **fields))
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.latest("pk")


def snapshot() -> dict[str, Any]:
    """What a language text must leave alone."""
    return {
        "english": list(
            Clause.objects.filter(language="en")
            .order_by("pk")
            .values_list("pk", "key", "text", "change", "changed_by_id")
        ),
        "periods": list(
            Version.objects.order_by("pk").values_list("pk", "in_force_from", "in_force_until")
        ),
        "in_force_1990": [v.label for v in Version.objects.in_force_on(dt.date(1990, 1, 1))],
        "versions_history": Version.history.count(),
    }


def nothing_written() -> tuple[int, int, int]:
    return (
        ImportJob.objects.count(),
        VersionText.objects.exclude(language="en").count(),
        Clause.objects.exclude(language="en").count(),
    )


def test_the_form_offers_the_language_way_in_with_a_version_and_a_code(
    client: Client, erin: Any, v1979: Version
) -> None:
    client.force_login(erin)
    html = client.get("/import/").content.decode()
    assert 'name="mode" value="language" id="id_mode_language"' in html
    assert "Another authentic language of a version already published" in html
    assert (
        f'<option value="{v1979.pk}">{v1979.agreement.short_title}: 1979 Agreement, '
        "in force from 31 January 1979</option>"
    ) in html
    assert 'name="language"' in html
    assert "checked" not in html


def test_the_chinese_text_is_previewed_paired_and_published_by_a_second_administrator(
    client: Client,
    erin: Any,
    grace: Any,
    alice: Any,
    v1979: Version,
    zh_bytes: bytes,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Alignment shown, nothing moves, published by Grace; the version page shows both."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(1980, 1, 1))
    proposal_in("submitted", submitter=alice, version=v1979)
    before = snapshot()
    job = upload(client, erin, zh_bytes, v1979)
    assert (job.mode, job.language, job.target_version, job.text_status) == (
        "language",
        "zh",
        v1979,
        "partial",
    )
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "Adding this text changes nothing in force, repeals nothing and flags no proposal" in (
        html
    )
    assert "<div><dt>Clauses aligned</dt><dd>14</dd></div>" in html
    assert "<div><dt>Clauses it could not align</dt><dd>0</dd></div>" in html
    assert "<div><dt>Version's clauses without a counterpart</dt><dd>15</dd></div>" in html
    assert "<caption>14 clauses aligned with the version's</caption>" in html
    assert "<td>第一条</td>" in html
    assert '<td>第一条</td>\n    <td lang="zh"></td>\n    <td>Article 1</td>' in html
    assert "<td>Article 1, paragraph 2: The main objective of this Agreement is to …</td>" in html
    assert "Every clause of the file aligned by its number." in html
    assert "This text is marked partial" in html
    assert "Another administrator publishes it." in html
    assert nothing_written()[1:] == (0, 0)

    client.force_login(grace)
    page = client.get(f"/import/{job.pk}/publish/").content.decode()
    assert "Publish the Chinese text: 14 aligned, 0 unaligned" in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/import/{job.pk}/publish/", {})
    assert response["Location"] == f"/import/{job.pk}/status/"
    assert callbacks == []
    job.refresh_from_db()
    assert (job.status, job.version, job.published_by) == (ImportStatus.DONE, v1979, grace)
    text = v1979.texts.get(language="zh")
    assert (text.text_status, text.source_name) == ("partial", "1979-agreement.zh.txt")
    assert text.history.get().history_user == grace
    assert v1979.clauses.filter(language="zh").count() == 14
    assert snapshot() == before
    assert not ClauseChangeFlag.objects.exists()
    status = client.get(f"/import/{job.pk}/status/").content.decode()
    assert "Published as the Chinese text (zh) of version “1979 Agreement” of U.S." in status
    assert "Uploaded by erin, published by grace." in status

    both = client.get("/agreements/sta/versions/1979/?lang=both").content.decode()
    assert '<div class="lang-cell" lang="zh">' in both
    assert "缔约双方根据本协定在平等、互利和互惠的基础上发展合作。" in both
    assert both.count('class="lang-row"') == 13


def test_a_clause_that_did_not_align_is_paired_by_hand_before_publishing(
    client: Client, erin: Any, grace: Any, v1979: Version, zh_bytes: bytes
) -> None:
    """第十二条 matches no English number; Erin pairs it with Article 6; Grace publishes."""
    job = upload(client, erin, zh_bytes + EXTRA_ARTICLE.encode(), v1979)
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "<div><dt>Clauses it could not align</dt><dd>1</dd></div>" in html
    assert '<select name="pair-art_12" id="id-pair-art_12">' in html
    assert '<label for="id-pair-art_12">第十二条</label>' in html
    assert "Leave unaligned</option>" in html
    assert '<option value="art_6">Article 6' in html

    response = client.post(f"/import/{job.pk}/pairs/", {"pair-art_12": "art_6"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.language_pairs == {"art_12": {"key": "art_6", "by": "erin", "by_id": erin.pk}}
    last = job.history.latest("history_id")
    assert (last.history_user, last.history_change_reason) == (
        erin,
        "Paired by hand: 第十二条 with art_6",
    )
    html = client.get(f"/import/{job.pk}/").content.decode()
    assert "<div><dt>Clauses aligned</dt><dd>15</dd></div>" in html
    assert "paired by hand by erin" in html
    assert '<option value="art_6" selected>' in html

    import_job_publish(job=job, acting_user=grace)
    assert v1979.clauses.get(language="zh", key="art_6").number == "第十二条"
    assert not Clause.objects.filter(key="art_12_zh").exists()
    reasons = list(
        job.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons[:3] == [
        "Uploaded for preview: The Chinese authentic text, articles 1 to 5",
        "Paired by hand: 第十二条 with art_6",
        "Confirmed for publication",
    ]
    assert reasons[-1] == "Published"


def test_a_pairing_can_be_taken_back_and_the_clause_left_unaligned(
    client: Client, erin: Any, grace: Any, v1979: Version, zh_bytes: bytes
) -> None:
    job = upload(client, erin, zh_bytes + EXTRA_ARTICLE.encode(), v1979)
    client.post(f"/import/{job.pk}/pairs/", {"pair-art_12": "art_6"})
    client.post(f"/import/{job.pk}/pairs/", {"pair-art_12": ""})
    job.refresh_from_db()
    assert job.language_pairs == {}
    assert job.history.latest("history_id").history_change_reason == (
        "Paired by hand: 第十二条 no longer paired by hand"
    )
    import_job_publish(job=job, acting_user=grace)
    assert v1979.clauses.filter(language="zh", key="art_12_zh").exists()


def test_a_pairing_the_alignment_cannot_make_is_refused_and_nothing_changes(
    client: Client, erin: Any, v1979: Version, zh_bytes: bytes
) -> None:
    job = upload(client, erin, zh_bytes + EXTRA_ARTICLE.encode(), v1979)
    response = client.post(f"/import/{job.pk}/pairs/", {"pair-art_12": "art_77"})
    assert response.status_code == 400
    assert "The version has no clause &#x27;art_77&#x27; to pair &#x27;art_12&#x27; with." in (
        response.content.decode()
    )
    job.refresh_from_db()
    assert (job.language_pairs, job.history.count()) == ({}, 1)


def test_whoever_paired_by_hand_does_not_publish_with_four_eyes_on(
    client: Client, erin: Any, grace: Any, v1979: Version, zh_bytes: bytes
) -> None:
    """Grace pairs, so a third administrator publishes; Erin uploaded, so not her either."""
    job = upload(client, erin, zh_bytes + EXTRA_ARTICLE.encode(), v1979)
    import_job_pairs_save(job=job, acting_user=grace, pairs={"art_12": "art_6"})
    with pytest.raises(ImportRefused, match=re.escape(FOUR_EYES_HAND_RULE)):
        import_job_publish(job=job, acting_user=grace)
    with pytest.raises(ImportRefused, match=re.escape(FOUR_EYES_RULE)):
        import_job_publish(job=job, acting_user=erin)
    client.force_login(grace)
    assert FOUR_EYES_HAND_RULE in client.get(f"/import/{job.pk}/").content.decode()
    henry = make_user("henry", Role.ADMINISTRATOR, is_staff=True)
    assert import_job_publish(job=job, acting_user=henry).status == ImportStatus.DONE


def test_a_language_preview_is_discarded_like_any_other(
    client: Client, erin: Any, grace: Any, v1979: Version, zh_bytes: bytes
) -> None:
    job = upload(client, erin, zh_bytes, v1979)
    client.force_login(grace)
    client.post(f"/import/{job.pk}/discard/", {"reason": "Wrong edition"})
    job.refresh_from_db()
    assert (job.status, job.discard_reason) == (ImportStatus.DISCARDED, "Wrong edition")
    with pytest.raises(ImportRefused, match="This import is discarded"):
        import_job_publish(job=job, acting_user=grace)
    assert nothing_written()[1:] == (0, 0)


def test_a_language_the_version_already_holds_is_refused_at_upload_and_at_publishing(
    client: Client, erin: Any, grace: Any, v1979: Version, zh_bytes: bytes
) -> None:
    client.force_login(erin)
    response = client.post("/import/", form(zh_bytes, v1979, language="en"))
    assert "Version 1979 already has a text in English (en)" in response.content.decode()
    assert nothing_written() == (0, 0, 0)
    first = upload(client, erin, zh_bytes, v1979)
    second = upload(client, erin, zh_bytes, v1979)
    import_job_publish(job=first, acting_user=grace)
    assert "Version 1979 already has a text in Chinese (zh)" in (
        client.get(f"/import/{second.pk}/").content.decode()
    )
    with pytest.raises(ImportRefused, match="already has a text in Chinese"):
        import_job_publish(job=second, acting_user=grace)
    assert v1979.clauses.filter(language="zh").count() == 14


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"language": "zh-CN"}, "&#x27;zh-CN&#x27; is not a language code"),
        ({"language": "Chinese"}, "&#x27;Chinese&#x27; is not a language code"),
        ({"language": ""}, "A language text needs this: say which version and which language."),
        ({"target_version": ""}, "A language text needs this"),
        ({"text_status": ""}, "Say what the text is: official, partial official"),
        ({"reason": ""}, "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_kept(
    client: Client, erin: Any, v1979: Version, zh_bytes: bytes, fields: dict[str, str], message: str
) -> None:
    client.force_login(erin)
    response = client.post("/import/", form(zh_bytes, v1979, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_written() == (0, 0, 0)


def test_a_version_of_another_agreement_is_refused(
    client: Client, erin: Any, v1979: Version, zh_bytes: bytes
) -> None:
    other = make_agreement(slug="ocean", short_title="Ocean")
    client.force_login(erin)
    response = client.post("/import/", form(zh_bytes, v1979, agreement=other.pk))
    assert f"Version 1979 is a version of {v1979.agreement.short_title}, not of Ocean." in (
        response.content.decode()
    )
    assert nothing_written() == (0, 0, 0)


def test_a_file_with_no_clauses_is_refused(client: Client, erin: Any, v1979: Version) -> None:
    client.force_login(erin)
    content = "这是一段没有任何条款结构的说明文字。".encode()
    response = client.post("/import/", form(content, v1979))
    assert "No structure was found in the text" in response.content.decode()
    assert nothing_written() == (0, 0, 0)


def test_people_who_are_not_administrators_cannot_upload_pair_or_publish(
    client: Client, erin: Any, dana: Any, v1979: Version, zh_bytes: bytes
) -> None:
    job = upload(client, erin, zh_bytes + EXTRA_ARTICLE.encode(), v1979)
    client.force_login(dana)
    assert client.post("/import/", form(zh_bytes, v1979)).status_code == 403
    assert client.get(f"/import/{job.pk}/").status_code == 403
    assert client.post(f"/import/{job.pk}/pairs/", {"pair-art_12": "art_6"}).status_code == 403
    assert client.post(f"/import/{job.pk}/publish/", {}).status_code == 403
    with pytest.raises(PermissionDenied, match="Only administrators"):
        language_job_create(
            agreement=v1979.agreement, target_version=v1979, filename="zh.txt",
            content=zh_bytes, language="zh", text_status="partial", acting_user=dana,
            reason="x",
        )  # fmt: skip
    with pytest.raises(PermissionDenied, match="Only administrators"):
        import_job_pairs_save(job=job, acting_user=dana, pairs={"art_12": "art_6"})
    with pytest.raises(PermissionDenied, match="Only administrators"):
        import_job_publish(job=job, acting_user=dana)
    job.refresh_from_db()
    assert (job.status, job.language_pairs, ImportJob.objects.count()) == (
        ImportStatus.PREVIEW,
        {},
        1,
    )


def test_the_language_preview_query_count_does_not_grow_with_the_clauses(
    client: Client, erin: Any, grace: Any, django_assert_max_num_queries: Any
) -> None:
    agreement = make_agreement()
    small = make_version(
        agreement, "small", [article(n, f"Provision {n}.") for n in range(1, 4)],
        in_force_from=dt.date(1979, 1, 31),
    )  # fmt: skip
    large = make_version(
        agreement, "large", [article(n, f"Provision {n}.") for n in range(1, 41)],
        in_force_from=dt.date(1990, 1, 31),
    )  # fmt: skip
    counts = []
    for version, n in ((small, 3), (large, 40)):
        text = "".join(f"第{k}条 条款{k}。\n" for k in range(1, n + 2))
        job = language_job_create(
            agreement=agreement, target_version=version, filename="zh.txt",
            content=text.encode(), language="zh", text_status="unofficial", acting_user=erin,
            reason="test",
        )  # fmt: skip
        client.force_login(grace)
        client.get(f"/import/{job.pk}/")  # the first request of a session renews it (a write)
        with django_assert_max_num_queries(14) as captured:
            assert client.get(f"/import/{job.pk}/").status_code == 200
        with django_assert_max_num_queries(14):
            assert client.get(f"/import/{job.pk}/publish/").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
