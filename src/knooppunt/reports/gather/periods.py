"""The fixed calendar periods a report covers: a year, a half year or a quarter.

Reports take only whole calendar periods (never "any two dates"): two reports over
periods one day apart could be subtracted to reveal a small count (decision 0013).
Written as "2025", "2025-H1" or "2025-Q3" (also "2025-K3", Dutch); `parse` gives an
error in Dutch and English for anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import ReportInputError
from .text import english

YEAR, HALF, QUARTER = "year", "half", "quarter"
KINDS = (YEAR, HALF, QUARTER)
FIRST_YEAR, LAST_YEAR = 2000, 2100
_PARTS = {YEAR: 1, HALF: 2, QUARTER: 4}
_PATTERN = re.compile(r"^\s*(\d{4})(?:\s*-\s*([HhQqKk])\s*(\d))?\s*$")


@dataclass(frozen=True, order=True)
class Period:
    """One calendar year, half year (number 1-2) or quarter (number 1-4)."""

    year: int
    kind: str = YEAR
    number: int = 1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ReportInputError(f"Onbekende soort periode {self.kind!r}.",
                                   f"Unknown kind of period {self.kind!r}.")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ReportInputError(
                f"Jaar {self.year} valt buiten {FIRST_YEAR}-{LAST_YEAR}.",
                f"Year {self.year} is outside {FIRST_YEAR}-{LAST_YEAR}.")
        if not 1 <= self.number <= _PARTS[self.kind]:
            raise ReportInputError(
                f"Een {self.kind_label_nl} heeft nummer 1 tot en met {_PARTS[self.kind]}.",
                f"A {self.kind} has number 1 to {_PARTS[self.kind]}.")

    # ------------------------------------------------------------ dates

    @property
    def months(self) -> int:
        return 12 // _PARTS[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, (self.number - 1) * self.months + 1, 1)

    @property
    def end(self) -> date:
        """The last day, inclusive."""
        index = self.year * 12 + (self.number - 1) * self.months + self.months
        return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)

    @property
    def quarters(self) -> tuple[date, ...]:
        """First days of the quarters inside the period."""
        return tuple(date(self.year, m, 1)
                     for m in range(self.start.month, self.end.month + 1, 3))

    def previous(self) -> Period:
        """The period of the same kind just before (2025-H1 → 2024-H2)."""
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, _PARTS[self.kind])

    def year_before(self) -> Period:
        """The same period one year earlier (2025-Q3 → 2024-Q3)."""
        return Period(self.year - 1, self.kind, self.number)

    # ------------------------------------------------------------ text

    @property
    def code(self) -> str:
        """The form `parse` reads: "2025", "2025-H1", "2025-Q3"."""
        if self.kind == YEAR:
            return str(self.year)
        return f"{self.year}-{'H' if self.kind == HALF else 'Q'}{self.number}"

    @property
    def kind_label_nl(self) -> str:
        return {YEAR: "jaar", HALF: "halfjaar", QUARTER: "kwartaal"}[self.kind]

    @property
    def label_nl(self) -> str:
        if self.kind == YEAR:
            return str(self.year)
        if self.kind == HALF:
            return f"{'eerste' if self.number == 1 else 'tweede'} halfjaar {self.year}"
        return f"{self.number}e kwartaal {self.year}"

    @property
    def label_en(self) -> str:
        if self.kind == YEAR:
            return str(self.year)
        if self.kind == HALF:
            return f"{'first' if self.number == 1 else 'second'} half of {self.year}"
        return f"Q{self.number} {self.year}"

    @property
    def label(self) -> str:
        """The label in the active language."""
        return self.label_en if english() else self.label_nl

    def __str__(self) -> str:
        return self.code


def parse(text: object) -> Period:
    """A period from "2025", "2025-H1", "2025-Q3" or "2025-K3"; `ReportInputError` else."""
    if isinstance(text, Period):
        return text
    if not isinstance(text, str) or not (found := _PATTERN.match(text)):
        shown = str(text)[:40]
        raise ReportInputError(
            f"Onbekende periode {shown!r}: gebruik een jaar (2025), een halfjaar (2025-H1) "
            "of een kwartaal (2025-K3).",
            f"Unknown period {shown!r}: use a year (2025), a half year (2025-H1) or a "
            "quarter (2025-Q3).")
    year, letter, number = found.groups()
    if letter is None:
        return Period(int(year))
    kind = HALF if letter.upper() == "H" else QUARTER
    return Period(int(year), kind, int(number))


def require(period: Period, *kinds: str) -> None:
    """Refuse a period of a kind the report does not cover (a jaarbericht needs a year)."""
    if period.kind in kinds:
        return
    names_nl = {YEAR: "een jaar", HALF: "een halfjaar", QUARTER: "een kwartaal"}
    names_en = {YEAR: "a year", HALF: "a half year", QUARTER: "a quarter"}
    raise ReportInputError(
        f"Dit rapport gaat over {' of '.join(names_nl[k] for k in kinds)}, "
        f"niet over {names_nl[period.kind]} ({period.code}).",
        f"This report covers {' or '.join(names_en[k] for k in kinds)}, "
        f"not {names_en[period.kind]} ({period.code}).")
