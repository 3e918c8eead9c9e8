from __future__ import annotations

import datetime as dt

import pytest

from reviews.screening.csl import COLUMNS, CslFormatError, decode, parse_csl
from tests.reviews.factories import LISTED, csl_csv


def test_it_reads_every_entry_with_alt_names_split_and_dates_parsed() -> None:
    entries = parse_csl(decode(csl_csv(*LISTED)))
    assert [(e.line, e.name, e.alt_names, e.type, e.start_date) for e in entries] == [
        (
            2,
            "National University of Defense Technology",
            ("NUDT", "Guofang Keji Daxue"),
            "Entity",
            dt.date(2015, 2, 18),
        ),
        (3, "Harbin Institute of Technology", ("HIT",), "Entity", dt.date(2020, 6, 5)),
        (4, "ZHANG, Wei", (), "Individual", None),
    ]
    assert entries[0].federal_register_notice == "80 FR 8524"
    assert entries[0].columns["_id"] == "1"
    assert set(entries[0].columns) == set(COLUMNS)


def test_a_byte_order_mark_is_ignored() -> None:
    (entry,) = parse_csl(decode(b"\xef\xbb\xbf" + csl_csv(LISTED[1])))
    assert entry.name == "Harbin Institute of Technology"


def test_columns_out_of_order_are_refused_naming_the_first_wrong_one() -> None:
    header = ("_id", "name", "source", *COLUMNS[3:])
    with pytest.raises(CslFormatError, match="column 2 should be 'source', found 'name'"):
        parse_csl(decode(csl_csv(LISTED[0], header=header)))


def test_a_file_with_too_few_columns_is_refused() -> None:
    with pytest.raises(CslFormatError, match=r"expected the 29 columns .* found 3"):
        parse_csl("name,source,type\nA,B,C\n")


def test_every_bad_row_is_reported_with_its_line() -> None:
    rows = (LISTED[0], {"source": "EL"}, {"name": "X", "source": "EL", "start_date": "18/02/2015"})
    text = decode(csl_csv(*rows)) + "only,three,cells\n"
    with pytest.raises(CslFormatError) as caught:
        parse_csl(text)
    assert caught.value.errors == [
        "Line 3: the name is empty.",
        "Line 4: start_date '18/02/2015' is not a date (YYYY-MM-DD).",
        "Line 5: expected 29 columns, found 3.",
    ]


def test_a_file_with_a_header_only_is_refused() -> None:
    with pytest.raises(CslFormatError, match="no entries"):
        parse_csl(decode(csl_csv()))


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(CslFormatError, match="empty"):
        parse_csl("")


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(CslFormatError, match="not UTF-8"):
        decode(b"_id,source\n\xff\xfe")
