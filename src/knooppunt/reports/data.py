"""The plain data a report is rendered from: the same object feeds HTML and PDF.

A builder's `gather` returns a subclass of `ReportData`. Everything in it is already
scoped and suppressed (it comes from `monitoring.queries` through the dashboards' panel
functions); the renderers only lay it out. Numbers are kept twice in a `Cell`: the raw
value (for tests and the checksum) and the text as the dashboards show it ('<5', '1.234').
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from knooppunt.charts.tables import NO_DATA, SUPPRESSED, Table


@dataclass(frozen=True)
class Cell:
    text: str  # as shown: localised number, "<5", "–", "geen gegevens"
    value: float | int | str | None  # raw; None when withheld or missing
    suppressed: bool = False


@dataclass(frozen=True)
class ReportColumn:
    key: str
    label: str
    numeric: bool
    wide: bool = False  # long text (a reason, a source): takes the rest of the line


WIDE_COLUMNS = frozenset({"waarom", "bron", "onderbouwing", "indicator"})


@dataclass
class ReportTable:
    key: str
    title: str
    columns: list[ReportColumn]
    rows: list[list[Cell]]
    note: str = ""  # source, date and method, as under the dashboard's table
    chart: str = ""  # key into ReportData.charts, or ""

    def column(self, key: str) -> list[Cell]:
        """The cells of one column, top to bottom."""
        index = next(i for i, c in enumerate(self.columns) if c.key == key)
        return [row[index] for row in self.rows]

    @property
    def has_suppressed(self) -> bool:
        return any(cell.suppressed for row in self.rows for cell in row)

    @property
    def pairs(self) -> list[list[tuple[ReportColumn, Cell]]]:
        """Per row: (column, cell), for templates."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Chart:
    """An SVG drawn by `knooppunt.charts` (trend, bars, map), with its title."""

    key: str
    title: str
    svg: str


@dataclass
class ReportData:
    """What every report has: its header and footer. Builders add their own fields."""

    kind: str
    title: str
    subject_code: str
    subject_name: str
    subject_kind: str
    period_code: str
    period_label: str
    period_running: bool
    language: str
    made_at: str  # ISO timestamp; left out of the checksum, as is made_by
    made_by: str
    threshold: int
    synthetic: bool
    tables: list[ReportTable] = field(default_factory=list)
    charts: dict[str, Chart] = field(default_factory=dict)

    def table(self, key: str) -> ReportTable | None:
        return next((t for t in self.tables if t.key == key), None)

    @property
    def has_suppressed(self) -> bool:
        return any(t.has_suppressed for t in self.tables)


def cell_from(table: Table, column, value: object) -> Cell:
    if value is SUPPRESSED:
        return Cell(str(SUPPRESSED), None, True)
    if value is NO_DATA:
        return Cell(str(NO_DATA), None)
    raw = value if isinstance(value, int | float | str) or value is None else str(value)
    return Cell(table.display(column, value), raw)


def from_table(table: Table, *, chart: str = "", title: str | None = None) -> ReportTable:
    """A dashboard `Table` as report data: the columns the page shows, values as shown."""
    columns = table.page_columns
    return ReportTable(
        key=table.key, title=title or table.title,
        columns=[ReportColumn(c.key, str(c.label), c.numeric, c.key in WIDE_COLUMNS)
                 for c in columns],
        rows=[[cell_from(table, c, row.get(c.key)) for c in columns] for row in table.rows],
        note=str(table.note), chart=chart)


def as_json(data: ReportData, *, chart_files: dict[str, str] | None = None) -> dict[str, Any]:
    """The data as JSON-ready dict; charts by file name (for typst) instead of SVG text."""
    plain = dataclasses.asdict(data)
    plain["charts"] = {
        key: {"key": key, "title": chart.title,
              "file": (chart_files or {}).get(key, "")}
        for key, chart in data.charts.items()
    }
    plain["has_suppressed"] = data.has_suppressed
    return plain


def checksum(data: ReportData) -> str:
    """SHA-256 of the data (charts included; who made it and when left out, so two
    people with the same view of the same figures get the same checksum)."""
    plain = dataclasses.asdict(data)
    plain.pop("made_at", None)
    plain.pop("made_by", None)
    raw = json.dumps(plain, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
