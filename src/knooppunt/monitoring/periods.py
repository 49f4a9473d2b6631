"""Periods (month, quarter, year): where they start and end, what they are called."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext

from .models import PeriodType


@dataclass(frozen=True)
class Period:
    type: str
    start: date
    end: date  # last day, inclusive
    label: str


def start_of(period_type: str, day: date) -> date:
    """The first day of the period of `period_type` that holds `day`."""
    if period_type == PeriodType.YEAR:
        return date(day.year, 1, 1)
    if period_type == PeriodType.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period_type == PeriodType.MONTH:
        return date(day.year, day.month, 1)
    raise ValueError(f"unknown period type {period_type!r}")


def next_start(period_type: str, start: date) -> date:
    months = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.YEAR: 12}[period_type]
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def label(period_type: str, start: date) -> str:
    if period_type == PeriodType.YEAR:
        return str(start.year)
    if period_type == PeriodType.QUARTER:
        # K = kwartaal; English "Q" (the label follows the active language, as months do).
        return gettext("%(year)s K%(quarter)s") % {"year": start.year,
                                                   "quarter": (start.month - 1) // 3 + 1}
    return formats.date_format(start, "F Y")


def period(period_type: str, day: date) -> Period:
    start = start_of(period_type, day)
    return Period(period_type, start, next_start(period_type, start) - timedelta(days=1),
                  label(period_type, start))


def between(period_type: str, first: date, last: date) -> list[Period]:
    """Every period from the one holding `first` to the one holding `last`."""
    result: list[Period] = []
    start = start_of(period_type, first)
    while start <= last:
        result.append(period(period_type, start))
        start = next_start(period_type, start)
    return result
