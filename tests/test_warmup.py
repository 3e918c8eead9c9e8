"""The start-up warm-up compiles every project template and touches no database."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import engines

from sta_tracker.warmup import template_names, warm_up


def test_every_project_template_is_named() -> None:
    names = template_names()
    assert "base.html" in names
    assert "clauses/reading/partials/version_text.html" in names
    assert "clauses/comparison/partials/redline_rows.html" in names
    assert all(not n.startswith("admin/") for n in names)


@pytest.mark.django_db
def test_the_warm_up_compiles_them_into_the_template_cache(
    django_assert_num_queries: Any,
) -> None:
    loader = engines["django"].engine.template_loaders[0]  # type: ignore[attr-defined]
    loader.reset()
    with django_assert_num_queries(0):
        count = warm_up()
    assert count == len(template_names())
    cached = {key.split("-")[0] for key in loader.get_template_cache}
    assert set(template_names()) <= cached
