"""Report periods: fixed years, half years and quarters; anything else refused in words."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.reports.periods import InvalidPeriod, PeriodKind, ReportPeriod, parse, recent

TODAY = dt.date(2026, 8, 15)


@given(st.text(max_size=12))
def test_any_text_is_a_period_or_a_dutch_error(text):
    try:
        period = parse(text, today=TODAY)
    except InvalidPeriod as error:
        assert str(error)  # a message, never a stack trace
        return
    assert parse(period.code, today=TODAY) == period
    assert period.start <= TODAY  # a period that has not started is refused


@given(st.integers(2000, 2026), st.sampled_from(list(PeriodKind)), st.integers(1, 4))
def test_periods_cover_whole_months_within_their_year(year, kind, number):
    number = 1 if kind == PeriodKind.YEAR else (number if kind == PeriodKind.QUARTER
                                                 else 1 + number % 2)
    period = ReportPeriod(kind, year, number)
    months = (period.end.year - period.start.year) * 12 + period.end.month - \
        period.start.month + 1
    assert months == {PeriodKind.YEAR: 12, PeriodKind.HALF_YEAR: 6,
                      PeriodKind.QUARTER: 3}[kind]
    assert period.start.day == 1 and (period.end + dt.timedelta(days=1)).day == 1
    assert period.start.year == period.end.year == year


@pytest.mark.parametrize("code, expected", [
    ("2025", (PeriodKind.YEAR, 2025, 1)), (" 2025-h2 ", (PeriodKind.HALF_YEAR, 2025, 2)),
    ("2026-K3", (PeriodKind.QUARTER, 2026, 3)), ("2026-q1", (PeriodKind.QUARTER, 2026, 1)),
])
def test_codes(code, expected):
    found = parse(code, today=TODAY)
    assert (found.kind, found.year, found.number) == expected


@pytest.mark.parametrize("code, message", [
    ("2026-K4", "nog niet begonnen"), ("2027", "nog niet begonnen"),
    ("2025-H3", "twee halfjaren"), ("1999", "niet verder terug"),
    ("2025-01-01", "Geen geldige periode"), ("2025-M1", "Geen geldige periode"),
])
def test_refused_with_a_reason(code, message):
    with pytest.raises(InvalidPeriod, match=message):
        parse(code, today=TODAY)


def test_recent_offers_only_started_periods_newest_first():
    found = recent((PeriodKind.YEAR, PeriodKind.QUARTER), years=2, today=TODAY)
    assert [p.code for p in found] == ["2026", "2026-K3", "2026-K2", "2026-K1", "2025",
                                       "2025-K4", "2025-K3", "2025-K2", "2025-K1"]
    assert found[1].running(TODAY) and not found[2].running(TODAY)
