"""The report's sections (``spec.SECTIONS``) made into tables for the page, the CSV files and the
DOCX, and into the command's JSON, so no writer keeps a list of its own."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from ..charts import BarChart, bar_chart
from .figures import ProgrammeReport
from .spec import Audience, Section, sections_for

# What a table without rows says, on the page and in the DOCX.
EMPTY = "None in the period."


@dataclass(frozen=True)
class Table:
    """One section as the writers show it: a slug (its CSV file), a title, the header, the rows,
    the chart with the headings of the chart's own table, and whether it is per-project."""

    slug: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: BarChart | None = None
    chart_heading: str = ""
    chart_value_heading: str = ""
    detail: bool = False
    # The chart's own table already says all this table does (label and one count).
    charted_whole: bool = False


def _table(section: Section, report: ProgrammeReport) -> Table:
    header = tuple(column.heading for column in section.columns)
    rows = tuple(section.rows(report, section.columns))
    title = section.heading(report)
    detail = section.audience is Audience.PER_PROJECT
    spec = section.chart
    if spec is None:
        return Table(section.key, title, header, rows, detail=detail)
    if spec.rows is None:
        index = header.index(spec.column) if spec.column else 1
        bars = [(row[0], row[index]) for row in rows]
    else:
        bars = spec.rows(report)
    return Table(
        slug=section.key,
        title=title,
        header=header,
        rows=rows,
        chart=bar_chart(spec.title or title, bars, unit=spec.unit),
        chart_heading=spec.heading or header[0],
        chart_value_heading=spec.value_heading,
        detail=detail,
        charted_whole=spec.rows is None and len(header) == 2,
    )


def report_tables(report: ProgrammeReport, *, with_detail: bool = False) -> list[Table]:
    """Every table of the report the reader may see, in the order the page and the DOCX show
    them; per-project ones only ``with_detail``."""
    tables = []
    for section in sections_for(with_detail=with_detail):
        table = _table(section, report)
        if table.rows or not section.omit_when_empty:
            tables.append(table)
    return tables


def report_json(report: ProgrammeReport, *, with_detail: bool = False) -> dict[str, Any]:
    """The figures the sections read, under their names, in the sections' order: aggregate
    ones, whether a text in force is illustrative, then (``with_detail``) per-project ones."""
    data: dict[str, Any] = {
        "period": {"from": report.start.isoformat(), "to": report.end.isoformat()}
    }
    sections = sections_for(with_detail=with_detail)
    for audience in Audience:
        if audience is Audience.PER_PROJECT:
            data["illustrative_texts"] = report.illustrative
        for section in sections:
            if section.audience is audience and section.figure not in data:
                data[section.figure] = report.figure(section.figure)
    return data


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return out.getvalue()


def all_csv(tables: list[Table]) -> str:
    """Every table in one file, a row per cell: table, row label, column, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("table", "row", "column", "value"))
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.header[1:], row[1:], strict=True):
                writer.writerow((table.slug, row[0], column, value))
    return out.getvalue()
