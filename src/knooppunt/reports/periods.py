"""Report periods: a whole calendar year, a half year or a quarter, nothing else.

Fixed periods only (decision 0015): with arbitrary date ranges two reports a day apart
could be subtracted from each other to reveal one day's small count, which the
dashboards' suppression (per month and calendar year) does not guard against.
A period is written as a code: ``2025`` (year), ``2025-H1`` (half year), ``2025-K3``
(quarter; ``Q3`` is accepted too). A period that has not started is refused; a running
period is allowed and marked as such.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
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

_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>[HKQ])(?P<number>[1-4]))?$")
FIRST_YEAR = 2000


class InvalidPeriod(ValueError):
    """A period code that is malformed, not a fixed period, or in the future."""


@dataclass(frozen=True)
class ReportPeriod:
    kind: PeriodKind
    year: int
    number: int  # 1 for a year; 1-2 for a half year; 1-4 for a quarter

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return str(self.year)
        letter = "H" if self.kind == PeriodKind.HALF_YEAR else "K"
        return f"{self.year}-{letter}{self.number}"

    @property
    def start(self) -> dt.date:
        months = {PeriodKind.YEAR: 12, PeriodKind.HALF_YEAR: 6, PeriodKind.QUARTER: 3}
        return dt.date(self.year, (self.number - 1) * months[self.kind] + 1, 1)

    @property
    def end(self) -> dt.date:
        """The last day, inclusive."""
        months = {PeriodKind.YEAR: 12, PeriodKind.HALF_YEAR: 6, PeriodKind.QUARTER: 3}
        last_month = self.number * months[self.kind]
        following = dt.date(self.year + last_month // 12, last_month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

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


def parse(code: str, *, today: dt.date | None = None) -> ReportPeriod:
    """The period of a code; `InvalidPeriod` with a message in Dutch (English when active)."""
    match = _CODE.match((code or "").strip().upper())
    if not match:
        raise InvalidPeriod(_("Geen geldige periode: gebruik een jaar (2025), halfjaar "
                              "(2025-H1) of kwartaal (2025-K3)."))
    year = int(match["year"])
    part = match["part"]
    number = int(match["number"] or 1)
    if part is None:
        found = ReportPeriod(PeriodKind.YEAR, year, 1)
    elif part == "H":
        if number > 2:
            raise InvalidPeriod(_("Een jaar heeft twee halfjaren (H1 en H2)."))
        found = ReportPeriod(PeriodKind.HALF_YEAR, year, number)
    else:
        found = ReportPeriod(PeriodKind.QUARTER, year, number)
    today = today or timezone.localdate()
    if year < FIRST_YEAR:
        raise InvalidPeriod(_("Rapportages gaan niet verder terug dan %(year)s.")
                            % {"year": FIRST_YEAR})
    if found.start > today:
        raise InvalidPeriod(_("Deze periode is nog niet begonnen."))
    return found


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
