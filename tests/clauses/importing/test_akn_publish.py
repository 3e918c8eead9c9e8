"""An Akoma Ntoso file with awkward eIds and long numbers, published and browsed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from clauses.importing.akn import parse_akn
from clauses.models import Clause
from tests.factories import make_agreement, make_version

from .test_akn import akn

pytestmark = pytest.mark.django_db

# Why: 200 characters, the column's size; a 63-character number once overflowed it.
LONG_NUMBER = "Article " + "1." * 96


def test_eids_with_slashes_and_long_numbers_publish_and_their_pages_answer(
    client: Client, dana: Any
) -> None:
    number = LONG_NUMBER
    assert len(number) == 200
    doc = parse_akn(
        akn(
            f'<article eId="art/1"><num>{number}</num><paragraph eId="art/1/para(1).a">'
            "<num>(1)</num><content><p>The Parties cooperate.</p></content></paragraph>"
            "</article>"
        )
    )
    agreement = make_agreement()
    make_version(agreement, "2024", list(doc.clauses), in_force_from=dt.date(2024, 8, 27))
    rows = list(Clause.objects.order_by("order").values_list("key", "number"))
    assert rows == [("art-1", number), ("art-1-para-1-a", "(1)")]
    client.force_login(dana)
    assert client.get("/agreements/sta/versions/2024/").status_code == 200
    assert client.get("/agreements/sta/clauses/art-1-para-1-a/").status_code == 200
