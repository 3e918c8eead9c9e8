"""The search page's filters and provisions, drawn in Python, are what its template wrote."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from clauses.models import Agreement, system_user
from clauses.record.reference import sta_load
from tests.factories import article, make_agreement, make_version
from tests.reference_pages import use_reference_templates, without_tokens

pytestmark = pytest.mark.django_db

MARKUP = '<b class="x">Tom & "Jerry"</b>'
PATHS = [
    "/search/",
    "/search/?agreement=sta",
    "/search/?agreement=odd",
    "/search/?q=parties",
    "/search/?q=parties&page=2",
    "/search/?q=parties&agreement=sta&version=1979",
    "/search/?q=parties&agreement=sta&version=nope",
    "/search/?q=parties&version=1979",
    "/search/?q=parties&in_force_on=2019-01-01",
    "/search/?q=parties&in_force_on=2024-02-30",
    "/search/?q=parties&kind=article&language=en",
    "/search/?q=parties&kind=bogus&language=xx",
    "/search/?q=合作",
    "/search/?q=合作&language=zh",
    "/search/?q=jerry",
    "/search/?q=jerry&agreement=odd&version=" + "%3Cb%3E",
    "/search/?q=zzqxjw",
    "/search/?q=a",
]


@pytest.fixture
def corpus(db: Any) -> None:
    """The STA with its Chinese texts, and an agreement whose names and text hold markup."""
    sta_load(acting_user=system_user(), reason="Reference data")
    odd = make_agreement("odd", short_title=MARKUP)
    make_version(
        odd,
        "first",
        [article(1, f"The text of {MARKUP} names Jerry twice: Jerry.", heading=MARKUP)],
        in_force_from=dt.date(2001, 1, 1),
    )
    assert Agreement.objects.count() == 2


def _pages(client: Client) -> list[str]:
    return [without_tokens(client.get(path).content.decode()) for path in PATHS]


def test_the_page_is_written_as_its_template_wrote_it(
    settings: Any, corpus: None, dana: Any
) -> None:
    client = Client()
    client.force_login(dana)
    ours = _pages(client)
    assert any('<datalist id="version-labels">' in page for page in ours)
    assert any('id="version-error"' in page for page in ours)
    assert any('class="hit-language"' in page for page in ours)
    assert any("&lt;b class=&quot;x&quot;&gt;" in page for page in ours)
    use_reference_templates(settings)
    assert _pages(client) == ours
