"""The rows built in Python are the rows the templates they replace wrote, byte for byte.

``templates_before/`` holds those templates as they were; each case renders both over the same
rows, for every pair of the STA's versions in every view, the real texts and markup in a text.
"""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.template import Context, Engine, Template

from clauses.comparison.cache import version_diff
from clauses.comparison.display import compare_rows
from clauses.comparison.redline_html import redline_html, rows_html
from clauses.diffing import ClauseText, Op, VersionDiff, diff_versions
from clauses.importing.document import read_document
from clauses.models import Agreement, Version
from tests.factories import article, make_agreement, make_version

BEFORE = Engine(
    dirs=[str(Path(__file__).with_name("templates_before"))],
    app_dirs=True,
    libraries={"redline": "clauses.templatetags.redline"},
)
VIEWS = list(itertools.product((False, True), (False, True)))


def before(name: str) -> Template:
    return BEFORE.get_template(name)


def assert_same_rows(diff: VersionDiff, older: str = "1979", newer: str = "2024") -> None:
    for side, changed_only in VIEWS:
        rows = compare_rows(diff, changed_only=changed_only)
        context = {
            "rows": rows,
            "options": {"side": side, "changed_only": changed_only},
            "older": {"version": {"short_name": older}},
            "newer": {"version": {"short_name": newer}},
            "change_count": len(diff.changes),
        }
        expected = before("redline_rows.html").render(Context(context))
        built = rows_html(rows, side=side, older=older, newer=newer, change_count=len(diff.changes))
        assert built == expected, (side, changed_only)


def versions(slug: str) -> list[Version]:
    return list(Version.objects.filter(agreement__slug=slug).order_by("in_force_from", "label"))


@pytest.mark.django_db
def test_every_pair_of_the_sta_versions_in_both_languages() -> None:
    cache.clear()
    call_command("load_sta", stdout=StringIO())
    for old, new in itertools.combinations(versions("sta"), 2):
        for language, ignore in itertools.product(("en", "zh"), (False, True)):
            diff = version_diff(
                older=old, newer=new, ignore_whitespace_and_punctuation=ignore, language=language
            )
            assert_same_rows(diff, old.short_name, new.short_name)
    cache.clear()


def real_version(agreement: Agreement, label: str, path: Path, day: dt.date) -> Version:
    document = read_document(path.read_bytes(), path.name)
    return make_version(agreement, label, list(document.clauses), in_force_from=day)


@pytest.mark.django_db
def test_the_real_texts_chinese_and_two_unrelated_english_ones(real_corpus_dir: Path) -> None:
    cache.clear()
    shanghai = make_agreement("shanghai", short_title="上海")
    zh = real_corpus_dir / "zh-pairs"
    old = real_version(shanghai, "2010", zh / "shanghai-st-progress-2010.md", dt.date(2010, 9, 17))
    new = real_version(shanghai, "2024", zh / "shanghai-st-progress-2024.md", dt.date(2024, 5, 10))
    assert_same_rows(version_diff(older=old, newer=new, language="zh"), "2010", "2024")
    nl = make_agreement("nl", short_title="NL")
    md = real_corpus_dir / "md"
    old = real_version(nl, "1996", md / "nl-jp-st-1996.BWBV0001290.md", dt.date(1996, 10, 1))
    new = real_version(
        nl, "2012", md / "nl-us-st-homeland-2012.BWBV0006073.md", dt.date(2012, 4, 19)
    )
    for ignore in (False, True):
        diff = version_diff(older=old, newer=new, ignore_whitespace_and_punctuation=ignore)
        assert_same_rows(diff, "1996 <b>&", '2012 "x"')
    cache.clear()


MARKUP = "<script>alert(\"x\")</script> & 'quoted'"


def test_markup_in_a_heading_a_text_a_number_and_a_name_is_escaped() -> None:
    old = [
        ClauseText("art_1", "article", "Article <1>", f"Old {MARKUP}", "Line one\r\nline two"),
        ClauseText("art_1__p", "paragraph", "1.", "", f"Kept {MARKUP}\rend.", parent="art_1"),
        ClauseText("art_2", "article", "Article 2", "Gone <i>", "Removed & away.", order=2),
    ]
    new = [
        ClauseText("art_1", "article", "Article <1>", f"New {MARKUP}", "Line one\nline 2"),
        ClauseText("art_1__p", "paragraph", "1.", "", f"Kept {MARKUP}\nend!", parent="art_1"),
        ClauseText("art_3", "article", "Article 3", "", "Added <b>bold</b>.", order=3),
    ]
    for ignore in (False, True):
        diff = diff_versions(old, new, ignore_whitespace_and_punctuation=ignore)
        assert_same_rows(diff, "<old>", "new & 'x'")
    html = rows_html(compare_rows(diff), side=False, older="", newer="", change_count=1)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "ops",
    [
        (Op("equal", "a\r\nb <c> "), Op("delete", "forms"), Op("insert", "and & more\r")),
        (Op("insert", "x"),),
        (),
        (Op("equal", "new", old_text="old"),),
    ],
)
def test_a_redline_is_what_the_redline_partial_writes(ops: tuple[Op, ...]) -> None:
    expected = before("clauses/partials/redline.html").render(Context({"ops": ops}))
    assert redline_html(ops) == expected


@pytest.mark.django_db
def test_a_version_with_markup_in_its_clauses_compares_the_same() -> None:
    agreement = make_agreement("markup")
    old = make_version(
        agreement, "one", [article(1, MARKUP, heading="<h1>")], in_force_from=dt.date(2000, 1, 1)
    )
    new = make_version(
        agreement,
        "two",
        [article(1, MARKUP + " more", heading="<h2>")],
        in_force_from=dt.date(2001, 1, 1),
    )
    assert_same_rows(version_diff(older=old, newer=new), old.short_name, new.short_name)
