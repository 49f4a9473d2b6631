"""Which fixed periods of the follow-up an audience with suppressed figures gets shown
(decision 0026, rule 4).

Fixed periods stop differencing two periods a day apart, but not differencing fixed
periods: the first half year minus its first quarter is the second quarter. So every
figure of the follow-up is judged over the whole year it lies in, as a tree of sums
(months → quarters → half years → year), by the same rule the indicators use
(`monitoring.suppression.hidden_periods`):

* a figure that is a stored indicator (cases opened, weighed, stopped by quick
  interventions; euros and hours) hides exactly the periods the indicator's pattern hides
  on the dashboards and in the API (`monitoring.queries`), so one audience meets one
  pattern everywhere: two different patterns could each be safe and still give a
  small cell away together;
* any other count hides the periods its own tree hides;
* a part shown beside its total (cases still open of the cases opened, signals in a case
  of the signals received, interventions finished of those started or finished) also
  hides the periods where the rest (total minus part) is hidden by the rest's own tree,
  so the rest is as safe as a figure of its own;
* a breakdown (decisions per kind, interventions per type) first gets the complements
  `scope.suppress_breakdown` takes in each period, and each kind's tree protects them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.conf import settings

from knooppunt.monitoring import queries
from knooppunt.monitoring.models import PeriodType
from knooppunt.monitoring.suppression import HALF_YEAR, Key, period_keys, period_weights
from knooppunt.monitoring.suppression import hidden_periods as _tree_hidden
from knooppunt.organisations import scope

KINDS = {1: PeriodType.MONTH, 3: PeriodType.QUARTER, 6: HALF_YEAR, 12: PeriodType.YEAR}


def key_of(start: date, end: date) -> Key | None:
    """The period tree's key of a fixed period (a month, quarter, half year or year from
    its first to its last day), None for free dates."""
    from calendar import monthrange

    if start.day != 1 or start.year != end.year:
        return None
    for months, kind in KINDS.items():
        last = start.month + months - 1
        if (start.month - 1) % months == 0 and last <= 12 and end == date(
                start.year, last, monthrange(start.year, last)[1]):
            return kind, start
    return None


def tree_hidden(year: int, months: Mapping[date, int], forced: set[Key] | None = None
                ) -> set[Key]:
    """The periods of `year` one count's own tree hides."""
    return _tree_hidden(year, months, lambda _day: False,
                        settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD, forced)


def with_rest(year: int, total: Mapping[date, int], part: Mapping[date, int]) -> set[Key]:
    """The periods to hide for a part shown beside its total: its own tree, protecting the
    periods where the rest (total minus part) must be hidden."""
    rest = {m: total.get(m, 0) - part.get(m, 0) for m in set(total) | set(part)}
    return tree_hidden(year, part, forced=tree_hidden(year, rest))


def indicator_hidden(user, indicator_code: str, municipality_code: str, key: Key
                     ) -> bool | None:
    """Whether the indicator's own pattern hides the period for this user; None when the
    indicator has no values for that kind of period (the caller uses its own tree)."""
    kind, start = key
    try:
        if kind == HALF_YEAR:
            figure = queries.half_year(user, indicator_code, "gemeente", municipality_code,
                                       start)
        else:
            found = queries.values(user, indicator_code, "gemeente", kind, start,
                                   codes=[municipality_code])
            if not found:
                return None
            figure = found[0]
    except (ValueError, queries.UnknownIndicator):
        return None
    return figure.suppressed


def breakdown_hidden(user, year: int, per_kind: Mapping[object, Mapping[date, int]]
                     ) -> dict[object, set[Key]]:
    """The periods to hide per kind of a breakdown: in every period the complements
    `scope.suppress_breakdown` takes, protected over the year by each kind's tree."""
    kinds = sorted(per_kind, key=str)
    weights = {k: period_weights(year, per_kind[k]) for k in kinds}
    forced: dict[object, set[Key]] = {k: set() for k in kinds}
    for key in period_keys(year):
        shown = scope.suppress_breakdown(user, [weights[k][key] for k in kinds])
        for k, value in zip(kinds, shown, strict=True):
            if value is None:
                forced[k].add(key)
    return {k: tree_hidden(year, per_kind[k], forced=forced[k]) for k in kinds}
