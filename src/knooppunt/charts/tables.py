"""`Table`: the one shape of every figure block on a page, in an export and under a chart.

Cells hold plain values. A count withheld by small-count suppression is the `SUPPRESSED`
marker (shown as "<5"), never the number; a figure of a period before Knooppunt had
records of its source is the `NO_DATA` marker (shown as "geen gegevens", an empty cell in
exports, decision 0021); a figure that does not exist is None (shown as "–"). Whoever
builds a table has already applied scope and suppression.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext

from .numbers import localized


class Suppressed:
    """A count withheld because it is below the small-count threshold."""

    _instance: Suppressed | None = None

    def __new__(cls) -> Suppressed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __str__(self) -> str:
        return f"<{settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD}"

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED = Suppressed()


class NoData:
    """A figure of a period that begins before Knooppunt had records of its source:
    not 0 and not a small count, but unknown ("geen gegevens")."""

    _instance: NoData | None = None

    def __new__(cls) -> NoData:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __str__(self) -> str:
        return gettext("geen gegevens")

    def __repr__(self) -> str:
        return "NO_DATA"


NO_DATA = NoData()
MISSING = "–"

# Column kinds: how a value is written.
TEXT, COUNT, NUMBER, PERCENT, INDEX, EURO, DATE = (
    "text", "count", "number", "percent", "index", "euro", "date",
)
NUMERIC_KINDS = frozenset({COUNT, NUMBER, PERCENT, INDEX, EURO})


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT
    decimals: int = 0
    on_page: bool = True  # False: only in the exports (e.g. long texts that crowd a page)

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass
class Table:
    """Rows of dicts keyed by column key; `note` states source, date and method."""

    key: str
    title: str
    columns: Sequence[Column]
    rows: list[dict[str, object]] = field(default_factory=list)
    note: str = ""

    def display(self, column: Column, value: object) -> str:
        """The value as the page shows it (localised numbers, '<5', '–')."""
        return display(column, value)

    def display_rows(self) -> list[list[tuple[Column, object, str]]]:
        """Per row: (column, raw value, shown text), for templates."""
        return [
            [(column, row.get(column.key), display(column, row.get(column.key)))
             for column in self.columns]
            for row in self.rows
        ]

    @property
    def page_columns(self) -> list[Column]:
        return [c for c in self.columns if c.on_page]

    @property
    def has_suppressed(self) -> bool:
        return any(value is SUPPRESSED for row in self.rows for value in row.values())


def display(column: Column, value: object) -> str:
    if value is SUPPRESSED or value is NO_DATA:
        return str(value)
    if value is None or value == "":
        return MISSING
    if isinstance(value, dt.date):
        return value.isoformat()
    if column.numeric and isinstance(value, int | float):
        decimals = column.decimals if column.kind != COUNT else 0
        text = localized(value, decimals)
        if column.kind == PERCENT:
            return f"{text}%"
        if column.kind == EURO:
            return f"€ {text}"
        return text
    return str(value)
