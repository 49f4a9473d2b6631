"""Report periods: fixed years, half years and quarters; neighbours; anything else
refused in Dutch and English (pages, API and the data gatherers share one type)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.reports.gather.common import report_period
from knooppunt.reports.gather.errors import ReportInputError
from knooppunt.reports.periods import (
    InvalidPeriod,
    PeriodKind,
    ReportPeriod,
    parse,
    recent,
    require,
)

TODAY = dt.date(2026, 8, 15)


periods = st.one_of(
    st.builds(ReportPeriod, st.just(PeriodKind.YEAR), st.integers(2001, 2025), st.just(1)),
    st.builds(ReportPeriod, st.just(PeriodKind.HALF_YEAR), st.integers(2001, 2025),
              st.integers(1, 2)),
    st.builds(ReportPeriod, st.just(PeriodKind.QUARTER), st.integers(2001, 2025),
              st.integers(1, 4)),
)


@given(st.one_of(st.text(max_size=12), st.integers(), st.none(), st.floats()))
def test_any_text_is_a_period_or_a_dutch_error(text):
    try:
        period = parse(text, today=TODAY)
    except InvalidPeriod as error:
        # a message in both languages, never a stack trace
        assert error.dutch and error.english and error.dutch != error.english
        assert str(error) == error.dutch
        with translation.override("en"):
            assert str(error) == error.english
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


@given(periods)
def test_previous_period_ends_the_day_before_and_quarters_tile_it(period):
    assert period.previous().end + dt.timedelta(days=1) == period.start
    assert period.previous().kind == period.kind
    assert period.year_before().start == period.start.replace(year=period.year - 1)
    assert len(period.quarters) == {PeriodKind.YEAR: 4, PeriodKind.HALF_YEAR: 2,
                                    PeriodKind.QUARTER: 1}[period.kind]
    assert period.whole_year().start <= period.start <= period.end <= \
        period.whole_year().end
    assert parse(period, today=TODAY) is period


def test_labels_in_both_languages():
    half = ReportPeriod(PeriodKind.HALF_YEAR, 2025, 1)
    assert half.label == "1e halfjaar 2025" and half.end == dt.date(2025, 6, 30)
    assert ReportPeriod(PeriodKind.QUARTER, 2025, 3).label == "2025 K3"
    with translation.override("en"):
        assert half.label == "H1 2025"
        assert ReportPeriod(PeriodKind.QUARTER, 2025, 3).label == "2025 Q3"


@pytest.mark.parametrize("kind, number", [(PeriodKind.HALF_YEAR, 3), (PeriodKind.YEAR, 2),
                                          (PeriodKind.QUARTER, 0)])
def test_no_period_past_its_year(kind, number):
    with pytest.raises(InvalidPeriod):
        ReportPeriod(kind, 2025, number)


def test_a_report_refuses_the_wrong_kind_in_both_languages():
    quarter = ReportPeriod(PeriodKind.QUARTER, 2025, 1)
    with pytest.raises(InvalidPeriod) as found:
        require(quarter, PeriodKind.YEAR)
    assert "heel kalenderjaar" in found.value.dutch
    assert "whole calendar year" in found.value.english
    require(ReportPeriod(PeriodKind.YEAR, 2025), PeriodKind.YEAR)
    # the gatherers take a period or its code, and answer with their own error
    with pytest.raises(ReportInputError) as wrapped:
        report_period("2025-K1", PeriodKind.YEAR, PeriodKind.HALF_YEAR)
    assert wrapped.value.dutch == found.value.dutch.replace(
        "heel kalenderjaar", "heel kalenderjaar, halfjaar")
    assert report_period("2025-h2", PeriodKind.HALF_YEAR) == ReportPeriod(
        PeriodKind.HALF_YEAR, 2025, 2)
