"""Report periods: parsing, dates, neighbours, labels, and a clear error for the rest."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.reports.gather.errors import ReportInputError
from knooppunt.reports.gather.periods import HALF, QUARTER, YEAR, Period, parse, require

periods = st.one_of(
    st.builds(Period, st.integers(2000, 2100), st.just(YEAR), st.just(1)),
    st.builds(Period, st.integers(2000, 2100), st.just(HALF), st.integers(1, 2)),
    st.builds(Period, st.integers(2000, 2100), st.just(QUARTER), st.integers(1, 4)),
)


@given(periods)
def test_code_parses_back_and_dates_tile_the_year(period):
    assert parse(period.code) == period
    assert period.start.year == period.end.year == period.year
    assert period.start.day == 1 and (period.end + dt.timedelta(days=1)).day == 1
    assert len(period.quarters) == {YEAR: 4, HALF: 2, QUARTER: 1}[period.kind]


@given(periods)
def test_previous_period_ends_the_day_before(period):
    if period.year == 2000 and period.number == 1:
        return  # nothing before the first year
    assert period.previous().end + dt.timedelta(days=1) == period.start
    assert period.previous().kind == period.kind


@pytest.mark.parametrize("text,expected", [
    ("2025", Period(2025)), (" 2025-h1 ", Period(2025, HALF, 1)),
    ("2025-Q3", Period(2025, QUARTER, 3)), ("2025-K4", Period(2025, QUARTER, 4)),
])
def test_written_forms(text, expected):
    assert parse(text) == expected


def test_labels_in_both_languages():
    half = Period(2025, HALF, 1)
    assert half.label == "eerste halfjaar 2025" and half.end == dt.date(2025, 6, 30)
    assert Period(2025, QUARTER, 3).label == "3e kwartaal 2025"
    with translation.override("en"):
        assert half.label == "first half of 2025"
        assert Period(2025, QUARTER, 3).label == "Q3 2025"


@given(st.one_of(
    st.text(max_size=30), st.integers(), st.none(), st.floats(allow_nan=True),
    st.builds(lambda y, n: f"{y}-H{n}", st.integers(2000, 2100), st.integers(3, 9)),
    st.builds(lambda y, n: f"{y}-Q{n}", st.integers(2000, 2100), st.sampled_from([0, 5, 9])),
    st.builds(str, st.integers(0, 1999)),
))
def test_anything_else_is_refused_in_dutch_and_english(text):
    genuine = isinstance(text, str) and re.fullmatch(
        r"\s*(20\d\d|2100)(\s*-\s*([Hh]\s*[12]|[QqKk]\s*[1-4]))?\s*", text)
    if genuine:
        assert parse(text).year == int(text.strip()[:4])
        return
    with pytest.raises(ReportInputError) as found:
        parse(text)
    error = found.value
    assert error.dutch and error.english and error.dutch != error.english
    assert str(error) == error.dutch
    with translation.override("en"):
        assert str(error) == error.english


def test_a_report_refuses_the_wrong_kind():
    with pytest.raises(ReportInputError) as found:
        require(Period(2025, QUARTER, 1), YEAR)
    assert "een jaar" in found.value.dutch and "a year" in found.value.english
    require(Period(2025), YEAR)
