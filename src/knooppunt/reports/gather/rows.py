"""Rows the reports print: an indicator with its current and earlier figure and its
target, and an alert. Built from `monitoring.queries` only.

A period that still runs is compared by the one rule (`monitoring.comparison`, decision
0025): the row keeps the running period's figure as `current` and carries its complete
months as `part`, the same months of the period before as `previous`, and the change
between those two; `part_label` / `previous_label` say which months."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from knooppunt.monitoring import comparison, queries

from ..periods import PeriodKind, ReportPeriod
from .common import Cell, change_percent, period_cell


@dataclass(frozen=True)
class TargetRow:
    """The streefcijfer of the indicator for the area and year."""

    value: float
    direction: str  # minstens / hoogstens
    share_of_target: float | None  # realised / target * 100 (None: realised hidden)
    met: bool | None  # judged after the year; None while it runs or when hidden
    on_track: bool | None  # running year: realised against the pro rata target
    basis: str
    realised_incomplete: bool = False  # the year begins before the first record


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    theme_code: str | None
    theme_name: str | None
    unit: str  # aantal, euro, uren, procent
    definition: str
    reference: str  # where the indicator is asked for (seed / plan chapter)
    current: Cell
    previous: Cell  # the period before (a year: the previous year)
    change_percent: float | None
    target: TargetRow | None = None
    # A running period (decision 0025): its complete months, and the labels of the two
    # compared windows ("1 jan – 30 nov 2026", "1 jan – 30 nov 2025"). None / "" else.
    part: Cell | None = None
    part_label: str = ""
    previous_label: str = ""


@dataclass(frozen=True)
class AlertRow:
    indicator_name: str
    area_code: str
    area_name: str
    period_label: str
    method: str
    observed: float | None  # None: suppressed
    expected: float
    reason: str
    status: str  # monitoring AlertStatus


def indicator_row(user, info: queries.IndicatorInfo, area: queries.AreaRef,
                  period: ReportPeriod, previous: ReportPeriod) -> tuple[IndicatorRow, bool]:
    """The row and whether its figures are synthetic (demo). A year carries its target
    as the dashboards show it (`queries.target_status`)."""
    current, synthetic = period_cell(user, info, area, period)
    before, synthetic_before = period_cell(user, info, area, previous)
    change = change_percent(current, before)
    part, part_label, previous_label = None, "", ""
    window = comparison.same_part(period.start, period.end, previous.start,
                                  timezone.localdate())
    if window.running:
        # Never the running period against the whole one before: the same months.
        same = comparison.compare(user, info.code, area.level, area.code, window)
        part = span_cell(same.current, info)
        before = span_cell(same.previous, info)
        change = same.change_percent
        part_label = window.current.label() if window.current else ""
        previous_label = window.previous.label() if window.previous else ""
    target = None
    if period.kind == PeriodKind.YEAR:
        status = queries.target_status(user, info.code, area.level, area.code, period.year)
        if status is not None:
            target = TargetRow(status.target, status.direction, status.share_of_target,
                               status.met, status.on_track, status.basis,
                               status.realised_incomplete)
    return IndicatorRow(info.code, info.name, info.theme_code, info.theme_name, info.unit,
                        info.definition, info.reference, current, before,
                        change, target, part, part_label, previous_label), \
        synthetic or synthetic_before


def span_cell(found: comparison.SpanValue | None, info: queries.IndicatorInfo) -> Cell:
    """A figure over a comparison window as a printed cell ("–" when not comparable)."""
    if found is None:
        return Cell(None, False, info.unit, source=info.source)
    return Cell(found.value, found.suppressed, info.unit, source=info.source,
                incomplete=found.incomplete)


def since_text(first) -> str:
    """A first day of records as the notes write it ("1 december 2023")."""
    from django.utils.formats import date_format

    return date_format(first, "j F Y")


def no_data_note(user, rows: Iterable[IndicatorRow]) -> str:
    """The sentence under a report whose rows have periods without data (before the
    first record of their source, decision 0021), naming each source with its first day;
    "" when every figure has data."""
    from .text import english

    en = english()
    firsts: dict[str, object] = {}
    for row in rows:
        if row.current.incomplete or row.previous.incomplete:
            source = row.current.source or row.previous.source or row.name
            firsts.setdefault(source, queries.recorded_since(user, row.code))
    if not firsts:
        return ""
    parts = [(f"{source} since {since_text(first)}" if en else
              f"{source} sinds {since_text(first)}") if first is not None else
             (f"{source}: no records yet" if en else f"{source}: nog geen registraties")
             for source, first in sorted(firsts.items())]
    return (f"No data before the first record: {'; '.join(parts)}. A period that begins "
            "earlier has no figure (not 0) and no change is computed against it."
            if en else
            f"Geen gegevens vóór de eerste registratie: {'; '.join(parts)}. Een periode die "
            "eerder begint heeft geen cijfer (geen 0) en er wordt geen verandering "
            "tegenover berekend.")


def alert_rows(alerts: Iterable[queries.AlertInfo]) -> list[AlertRow]:
    return [AlertRow(a.indicator.name, a.area.code, a.area.name, a.period.label, a.method,
                     a.observed, a.expected, a.reason, a.status) for a in alerts]
