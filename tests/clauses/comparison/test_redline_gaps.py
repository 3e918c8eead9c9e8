"""A deletion and the insertion that replaces it never run together, on the page or in a copy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

from clauses.comparison.display import Run, gapped_runs, inline_redline
from clauses.diffing import Op, diff_texts, new_side, old_side
from tests.factories import article, make_agreement, make_version

OLD = "The commission which forms the basis."
NEW = "The commission which and the basis."


def test_a_replaced_word_gets_a_gap_between_it_and_its_replacement() -> None:
    ops = diff_texts(OLD, NEW).ops
    assert gapped_runs(ops) == (
        Run("equal", "The commission which "),
        Run("delete", "forms"),
        Run("gap", " "),
        Run("insert", "and"),
        Run("equal", " the basis."),
    )


def test_leaving_out_the_gaps_gives_both_texts_back_exactly() -> None:
    ops = diff_texts(OLD, NEW).ops
    runs = gapped_runs(ops)
    assert "".join(r.text for r in runs if r.kind in ("equal", "insert")) == NEW == new_side(ops)
    assert "".join(r.text for r in runs if r.kind in ("equal", "delete")) == OLD == old_side(ops)


@pytest.mark.parametrize(
    ("ops", "gap"),
    [
        ((Op("delete", "forms"), Op("insert", "and")), True),
        ((Op("insert", "and"), Op("delete", "forms")), True),
        ((Op("delete", "forms "), Op("insert", "and")), False),
        ((Op("delete", "forms"), Op("insert", " and")), False),
        ((Op("delete", "forms"), Op("equal", "and")), False),
        ((Op("insert", "new"), Op("insert", "er")), False),
        ((Op("delete", ""), Op("insert", "and")), False),
    ],
)
def test_a_gap_stands_only_where_a_deletion_meets_an_insertion_without_a_space(
    ops: tuple[Op, ...], gap: bool
) -> None:
    assert ("gap" in [r.kind for r in gapped_runs(ops)]) is gap


def test_the_plain_text_redline_marks_both_sides_and_keeps_them_apart() -> None:
    assert inline_redline(diff_texts(OLD, NEW).ops) == (
        "The commission which [-forms-] {+and+} the basis."
    )
    assert inline_redline(diff_texts("", "New text.").ops) == "{+New text.+}"
    assert inline_redline(diff_texts("Old text.", "").ops) == "[-Old text.-]"


def test_the_redline_partial_puts_the_gap_outside_both_marks() -> None:
    html = render_to_string("clauses/partials/redline.html", {"ops": diff_texts(OLD, NEW).ops})
    assert html == (
        'The commission which <del>forms</del><span class="redline-gap"> </span><ins>and</ins>'
        " the basis."
    )


@pytest.mark.django_db
def test_the_compare_page_shows_the_gap(client: Client, dana: Any) -> None:
    odd = make_agreement("odd")
    make_version(odd, "a", [article(1, OLD)], in_force_from=dt.date(2001, 1, 1))
    make_version(odd, "b", [article(1, NEW)], in_force_from=dt.date(2011, 1, 1))
    client.force_login(dana)
    for view in ("inline", "side"):
        html = client.get(f"/agreements/odd/compare/a...b/?view={view}").content.decode()
        if view == "inline":
            assert '<del>forms</del><span class="redline-gap"> </span><ins>and</ins>' in html
        else:
            # Side by side keeps each text on its own side: nothing to keep apart.
            assert "redline-gap" not in html
            assert "<del>forms</del> the basis." in html
