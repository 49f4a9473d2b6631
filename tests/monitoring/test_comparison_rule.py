"""The one comparison rule (decision 0025): a running period against the same part of the
period before, in whole months; a period that has ended against the whole period before."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.monitoring.comparison import (
    change_percent,
    higher_is_better,
    same_part,
    tone,
    year_to_date,
)
from knooppunt.monitoring.models import TargetDirection

# Days people get wrong: 29 February, the last and first day of a year and of a month.
TRICKY = [dt.date(2024, 2, 29), dt.date(2028, 2, 29), dt.date(2025, 12, 31),
          dt.date(2026, 1, 1), dt.date(2026, 12, 5), dt.date(2026, 3, 1), dt.date(2026, 2, 28),
          dt.date(2025, 3, 31), dt.date(2024, 12, 31)]
days = st.one_of(st.sampled_from(TRICKY),
                 st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2099, 12, 31)))


def _next(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


@given(days)
def test_the_running_year_is_compared_over_the_same_complete_months(today):
    c = year_to_date(today)
    assert c.running
    assert c.period.start == dt.date(today.year, 1, 1)
    if today.month == 1:
        # January runs: no complete month yet, so nothing is compared (never a drop).
        assert c.current is None and c.previous is None
        return
    assert c.current.start == dt.date(today.year, 1, 1)
    assert c.previous.start == dt.date(today.year - 1, 1, 1)
    # The current part ends with the month before the running one, the previous part with
    # the same month a year earlier: whole months, so 29 February never matters.
    assert _next(c.current.end) == dt.date(today.year, today.month, 1)
    assert _next(c.previous.end) == dt.date(today.year - 1, today.month, 1)
    assert c.current.end < today
    assert c.previous.end < c.current.start


@given(days, st.sampled_from([1, 3, 6, 12]))
def test_every_fixed_period_compares_equal_numbers_of_whole_months(today, months):
    # The fixed period of `months` months holding `today`, and the one before it.
    first = (today.month - 1) // months * months + 1
    start = dt.date(today.year, first, 1)
    index = today.year * 12 + first - 1 + months
    end = dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)
    back = today.year * 12 + first - 1 - months
    previous_start = dt.date(back // 12, back % 12 + 1, 1)
    c = same_part(start, end, previous_start, today)
    assert c.running
    assert c.previous_period.start == previous_start
    assert _next(c.previous_period.end) == start  # the period just before, no gap
    if c.current is None:
        assert today.month == first  # only while the period's first month runs
        return
    for span in (c.current, c.previous):
        assert span.start.day == 1 and _next(span.end).day == 1
    length = ((c.current.end.year - c.current.start.year) * 12
              + c.current.end.month - c.current.start.month)
    assert length == ((c.previous.end.year - c.previous.start.year) * 12
                      + c.previous.end.month - c.previous.start.month)
    assert start <= c.current.end < today <= end


@given(days)
def test_a_period_that_has_ended_is_compared_whole(today):
    last_year = today.year - 1
    c = same_part(dt.date(last_year, 1, 1), dt.date(last_year, 12, 31),
                  dt.date(last_year - 1, 1, 1), today)
    assert not c.running and c.partial_mark() == ""
    assert (c.current.start, c.current.end) == (dt.date(last_year, 1, 1),
                                                dt.date(last_year, 12, 31))
    assert (c.previous.start, c.previous.end) == (dt.date(last_year - 1, 1, 1),
                                                  dt.date(last_year - 1, 12, 31))


def test_the_text_says_what_is_compared_with_what():
    c = year_to_date(dt.date(2026, 12, 5))
    assert c.text() == "1 jan – 30 nov 2026 t.o.v. 1 jan – 30 nov 2025"
    assert c.partial_mark() == "t/m 5 dec"
    early = year_to_date(dt.date(2026, 1, 20))
    assert "nog geen volledige maand" in early.text()


def test_the_issues_example_same_period_not_whole_year():
    # 77 this year against 88 last year was "-13 %"; against the same part it is -4 %.
    assert change_percent(77, 80) == -3.8
    assert change_percent(77, 88) == -12.5
    assert change_percent(5, 0) is None and change_percent(None, 3) is None


@pytest.mark.parametrize(("change", "indicator", "target", "expected"), [
    (12.0, True, None, "good"),        # RIEC referrals up: good
    (12.0, None, None, "neutral"),     # signals have no direction in the seeds
    (12.0, False, None, "bad"),        # registered crime up: bad
    (-8.0, False, None, "good"),
    (12.0, None, TargetDirection.AT_LEAST, "good"),  # the target's direction decides
    (12.0, True, TargetDirection.AT_MOST, "bad"),
    (0.3, True, None, "neutral"),      # shown as 0 %: no colour
    (None, True, None, "neutral"),
])
def test_the_colour_of_a_change_follows_the_direction(change, indicator, target, expected):
    assert tone(change, higher_is_better(indicator, target)) == expected
