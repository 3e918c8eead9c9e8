from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from clauses.importing.structure import ParsedClause
from clauses.models import TextStatus
from tests.factories import article, make_agreement, make_event, make_version

# The review personas and data of the review tests, shared rather than redefined.
from tests.reviews.conftest import frank, grace, heidi, lists, sta  # noqa: F401

ZH_TEXT = "双方在平等互利的基础上开展科学技术合作。"


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_key(user: Any, label: str = "") -> str:
    """A fresh API token of ``user``, as its key (the only time the key exists)."""
    from sta_tracker.tokens import token_create

    return token_create(user=user, label=label)[1]


def with_token(key: str) -> Client:
    """A client calling as the key's owner: ``Authorization: Token <key>``, no session."""
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def post_json(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json")


def put_json(client: Client, url: str, data: Any) -> Any:
    return client.put(url, data=json.dumps(data), content_type="application/json")


def make_corpus() -> dict[str, Any]:
    """An agreement with an illustrative 1979 version (one clause in Chinese), a lapse, and an
    official 2024 version signed after the day it took effect from."""
    agreement = make_agreement("sta-test", short_title="STA")
    old = make_version(
        agreement,
        "1979",
        [
            article(1, "The Parties cooperate in science and technology.", heading="Scope"),
            article(2, "A Joint Commission meets every year to review cooperation."),
            ParsedClause(key="art_3", kind="article", number="Article 3", heading="", text=ZH_TEXT),
        ],
        in_force_from=dt.date(1979, 1, 31),
        in_force_until=dt.date(2024, 8, 27),
        text_status=TextStatus.ILLUSTRATIVE,
    )
    lapse = make_event(
        agreement, "lapse-2024", dt.date(2024, 8, 27), dt.date(2024, 12, 13), title="Lapse"
    )
    new = make_version(
        agreement,
        "2024",
        [
            article(1, "The Parties cooperate in basic research only.", heading="Scope"),
            article(2, "A Joint Commission meets every two years to review cooperation."),
            ParsedClause(key="art_3", kind="article", number="Article 3", heading="", text=ZH_TEXT),
            article(4, "Each Party protects the safety of visiting researchers."),
        ],
        in_force_from=dt.date(2024, 8, 27),
        signed_on=dt.date(2024, 12, 13),
        text_status=TextStatus.OFFICIAL,
    )
    return {"agreement": agreement, "old": old, "new": new, "lapse": lapse}


@pytest.fixture
def corpus(db: Any) -> dict[str, Any]:
    return make_corpus()


@pytest.fixture
def dana_client(dana: Any) -> Client:
    return as_user(dana)
