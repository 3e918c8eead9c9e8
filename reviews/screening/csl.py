"""Reading a Consolidated Screening List CSV file into entries, or saying exactly why not."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

COLUMNS = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
)
MAX_REPORTED_ERRORS = 20


class CslFormatError(ValueError):
    """The file is not a screening list; ``errors`` lists each problem with its line."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        text = "\n".join(shown) + (f"\n… and {more} more." if more > 0 else "")
        super().__init__(text)


@dataclass(frozen=True)
class CslEntry:
    line: int
    source: str
    entity_number: str
    type: str
    name: str
    alt_names: tuple[str, ...]
    addresses: str
    programs: str
    federal_register_notice: str
    start_date: dt.date | None
    source_list_url: str
    columns: dict[str, str] = field(hash=False)


def split_alt_names(cell: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in cell.split(";") if name.strip())


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CslFormatError(
            [f"The file is not UTF-8 text (bad byte at position {exc.start})."]
        ) from None


def parse_csl(text: str) -> tuple[CslEntry, ...]:
    """Every entry of a CSL CSV file whose first row names the 29 columns in their order."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CslFormatError(["The file is empty."]) from None
    except csv.Error as exc:
        raise CslFormatError([f"Line 1: {exc}."]) from None
    found = tuple(cell.strip().lower() for cell in header)
    if found != COLUMNS:
        raise CslFormatError([_header_problem(found)])

    entries: list[CslEntry] = []
    errors: list[str] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(f"Line {reader.line_num}: {exc}.")
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(COLUMNS):
            errors.append(f"Line {line}: expected {len(COLUMNS)} columns, found {len(cells)}.")
            continue
        row = {column: cell.strip() for column, cell in zip(COLUMNS, cells, strict=True)}
        problems = []
        if not row["name"]:
            problems.append("the name is empty")
        if not row["source"]:
            problems.append("the source list is empty")
        start = _date(row["start_date"])
        if row["start_date"] and start is None:
            problems.append(f"start_date {row['start_date']!r} is not a date (YYYY-MM-DD)")
        if problems:
            errors.append(f"Line {line}: " + "; ".join(problems) + ".")
            continue
        entries.append(
            CslEntry(
                line=line,
                source=row["source"],
                entity_number=row["entity_number"],
                type=row["type"],
                name=row["name"],
                alt_names=split_alt_names(row["alt_names"]),
                addresses=row["addresses"],
                programs=row["programs"],
                federal_register_notice=row["federal_register_notice"],
                start_date=start,
                source_list_url=row["source_list_url"],
                columns=row,
            )
        )
    if errors:
        raise CslFormatError(errors)
    if not entries:
        raise CslFormatError(["The file has a header but no entries."])
    return tuple(entries)


def _header_problem(found: tuple[str, ...]) -> str:
    if len(found) != len(COLUMNS):
        return (
            f"Line 1: expected the {len(COLUMNS)} columns of the Consolidated Screening List "
            f"({', '.join(COLUMNS)}), found {len(found)}."
        )
    position = next(i for i, (a, b) in enumerate(zip(found, COLUMNS, strict=True)) if a != b)
    return (
        f"Line 1: column {position + 1} should be {COLUMNS[position]!r}, found "
        f"{found[position]!r}; the columns must follow the Consolidated Screening List order."
    )


def _date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
