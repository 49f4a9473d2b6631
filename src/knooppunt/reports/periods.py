"""Report periods: a whole calendar year, a half year or a quarter, nothing else.

Fixed periods only (decision 0015): with arbitrary date ranges two reports a day apart
could be subtracted from each other to reveal one day's small count, which the
dashboards' suppression (per month and calendar year) does not guard against.
A period is written as a code: ``2025`` (year), ``2025-H1`` (half year), ``2025-K3``
(quarter; ``Q3`` is accepted too). A period that has not started is refused; a running
period is allowed and marked as such.

This is the one period type of the reports: the pages, the API, the builders and the
data gatherers (`reports.gather`) all take a `ReportPeriod`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeriodKind(StrEnum):
    YEAR = "jaar"
    HALF_YEAR = "halfjaar"
    QUARTER = "kwartaal"


PERIOD_KIND_LABELS = {
    PeriodKind.YEAR: gettext_lazy("heel kalenderjaar"),
    PeriodKind.HALF_YEAR: gettext_lazy("halfjaar"),
    PeriodKind.QUARTER: gettext_lazy("kwartaal"),
}

_CODE = re.compile(r"^(?P<year>\d{4})(?:\s*-\s*(?P<part>[HKQ])\s*(?P<number>\d))?$")
FIRST_YEAR = 2000
_MONTHS = {PeriodKind.YEAR: 12, PeriodKind.HALF_YEAR: 6, PeriodKind.QUARTER: 3}


class InvalidPeriod(ValueError):
    """A period code that is malformed, not a fixed period, or in the future.

    `str()` is the message in the active language; `dutch` and `english` hold both (the
    gatherers' `ReportInputError` carries the same pair)."""

    def __init__(self, message, **params: object) -> None:
        with translation.override("nl"):
            self.dutch = str(message) % params if params else str(message)
        with translation.override("en"):
            self.english = str(message) % params if params else str(message)
        super().__init__(self.dutch)

    def __str__(self) -> str:
        return self.english if (translation.get_language() or "").startswith("en") \
            else self.dutch


@dataclass(frozen=True)
class ReportPeriod:
    kind: PeriodKind
    year: int
    number: int = 1  # 1 for a year; 1-2 for a half year; 1-4 for a quarter

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 12 // _MONTHS[self.kind]:
            raise InvalidPeriod(gettext_lazy("Een %(kind)s heeft nummer 1 tot en met "
                                             "%(last)s."),
                                kind=PERIOD_KIND_LABELS[self.kind],
                                last=12 // _MONTHS[self.kind])

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return str(self.year)
        letter = "H" if self.kind == PeriodKind.HALF_YEAR else "K"
        return f"{self.year}-{letter}{self.number}"

    @property
    def months(self) -> int:
        return _MONTHS[self.kind]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.number - 1) * self.months + 1, 1)

    @property
    def end(self) -> dt.date:
        """The last day, inclusive."""
        last_month = self.number * self.months
        following = dt.date(self.year + last_month // 12, last_month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def quarters(self) -> tuple[dt.date, ...]:
        """First days of the quarters inside the period."""
        return tuple(dt.date(self.year, m, 1)
                     for m in range(self.start.month, self.end.month + 1, 3))

    def previous(self) -> ReportPeriod:
        """The period of the same kind just before (2025-H1 → 2024-H2)."""
        if self.number > 1:
            return ReportPeriod(self.kind, self.year, self.number - 1)
        return ReportPeriod(self.kind, self.year - 1, 12 // self.months)

    def year_before(self) -> ReportPeriod:
        """The same period one year earlier (2025-K3 → 2024-K3)."""
        return ReportPeriod(self.kind, self.year - 1, self.number)

    def whole_year(self) -> ReportPeriod:
        """The calendar year the period lies in."""
        return ReportPeriod(PeriodKind.YEAR, self.year)

    def __str__(self) -> str:
        return self.code

    def running(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.start <= today <= self.end

    @property
    def label(self) -> str:
        """In the active language: '2025', '1e halfjaar 2025', '2025 K3'."""
        if self.kind == PeriodKind.YEAR:
            return str(self.year)
        if self.kind == PeriodKind.HALF_YEAR:
            return _("%(number)se halfjaar %(year)s") % {"number": self.number,
                                                         "year": self.year}
        return _("%(year)s K%(quarter)s") % {"year": self.year, "quarter": self.number}


def parse(code: object, *, today: dt.date | None = None) -> ReportPeriod:
    """The period of a code (a `ReportPeriod` is checked and returned); `InvalidPeriod`
    with a message in Dutch and English otherwise."""
    found = code if isinstance(code, ReportPeriod) else _from_code(code)
    today = today or timezone.localdate()
    if found.year < FIRST_YEAR:
        raise InvalidPeriod(gettext_lazy("Rapportages gaan niet verder terug dan %(year)s."),
                            year=FIRST_YEAR)
    if found.start > today:
        raise InvalidPeriod(gettext_lazy("Deze periode is nog niet begonnen."))
    return found


def _from_code(code: object) -> ReportPeriod:
    match = _CODE.match(code.strip().upper()) if isinstance(code, str) else None
    if not match:
        raise InvalidPeriod(gettext_lazy("Geen geldige periode: gebruik een jaar (2025), "
                                         "halfjaar (2025-H1) of kwartaal (2025-K3)."))
    year, part, number = int(match["year"]), match["part"], int(match["number"] or 1)
    if part is None:
        return ReportPeriod(PeriodKind.YEAR, year)
    if part == "H" and number not in (1, 2):
        raise InvalidPeriod(gettext_lazy("Een jaar heeft twee halfjaren (H1 en H2)."))
    if part != "H" and number not in (1, 2, 3, 4):
        raise InvalidPeriod(gettext_lazy("Een jaar heeft vier kwartalen (K1 tot en met "
                                         "K4)."))
    kind = PeriodKind.HALF_YEAR if part == "H" else PeriodKind.QUARTER
    return ReportPeriod(kind, year, number)


def require(period: ReportPeriod, *kinds: PeriodKind) -> None:
    """Refuse a period of a kind the report does not cover (a jaarbericht needs a year)."""
    if period.kind not in kinds:
        offered = format_lazy(", ".join(["{}"] * len(kinds)),
                              *(PERIOD_KIND_LABELS[k] for k in kinds))
        raise InvalidPeriod(gettext_lazy("Deze rapportage is er alleen per %(kinds)s, "
                                         "niet per %(kind)s (%(code)s)."),
                            kinds=offered, kind=PERIOD_KIND_LABELS[period.kind],
                            code=period.code)


def recent(kinds: tuple[PeriodKind, ...], *, years: int = 4,
           today: dt.date | None = None) -> list[ReportPeriod]:
    """The periods of these kinds that have started, newest first, over `years` years."""
    today = today or timezone.localdate()
    found: list[ReportPeriod] = []
    for year in range(today.year, today.year - years, -1):
        if PeriodKind.YEAR in kinds:
            found.append(ReportPeriod(PeriodKind.YEAR, year, 1))
        if PeriodKind.HALF_YEAR in kinds:
            found += [ReportPeriod(PeriodKind.HALF_YEAR, year, n) for n in (2, 1)]
        if PeriodKind.QUARTER in kinds:
            found += [ReportPeriod(PeriodKind.QUARTER, year, n) for n in (4, 3, 2, 1)]
    return [p for p in found if p.start <= today]
