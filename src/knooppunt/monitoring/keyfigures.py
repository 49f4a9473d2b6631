"""The few figures that matter for one municipality (the mayor's one-screen overview)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from . import comparison, memo
from .benchmark import default_group, groups_of
from .models import AreaLevel, PeerKind, PeriodType

MAX_KEY_FIGURES = 8


def _default_codes(municipality_code: str, year: int) -> list[str]:
    from .queries import _active_indicators, _targets_of

    # Both read once per request inside `memo.active()` (the targets panel and the key
    # figures' targets use the same rows).
    with_target = {t.indicator.code for t in _targets_of(AreaLevel.MUNICIPALITY,
                                                         municipality_code, year)}
    active = list(_active_indicators().values())
    # Indicators with a target first (what the council agreed on), then early warning.
    chosen = [i.code for i in active if i.code in with_target]
    chosen += [i.code for i in active if i.early_warning and i.code not in with_target]
    return chosen[:MAX_KEY_FIGURES]


def compute_key_figures(user, municipality_code, year, indicator_codes):
    with memo.active():
        return _key_figures(user, municipality_code, year, indicator_codes)


def _prefetch(municipality_code: str, year: int, codes: list[str]) -> None:
    """Read what the key figures (and the page's trend, benchmark and map of one of them)
    need in one query: per indicator this year's values of the municipality, of the
    peers its index is computed against and of the municipalities of its safety region
    (the map), last year's value of the municipality, and the months of the three years
    up to `year` of the municipality (the trend; for a running year the comparison of
    its complete months with the same months a year earlier). Then the date range of
    the monthly values of every indicator in one more query."""
    from . import queries

    inds = []
    for code in codes:
        try:
            inds.append(queries._indicator(code))
        except queries.UnknownIndicator:
            continue
    groups = groups_of(municipality_code)
    region = next((members for group, members in groups if group.kind == PeerKind.REGION),
                  ())
    this_year: dict[frozenset[str], list] = {}
    monthly = []
    for ind in inds:
        info = queries._info(ind)
        found = default_group(groups, info.public)
        wanted = frozenset({municipality_code, *region, *(found[1] if found else ())})
        this_year.setdefault(wanted, []).append(ind)
        if PeriodType.MONTH in info.period_types:
            monthly.append(ind)
    months = [date(y, m, 1) for y in range(year - 2, year + 1) for m in range(1, 13)]
    queries.prefetch_sets([
        *((group, PeriodType.YEAR, [date(year, 1, 1)], sorted(wanted))
          for wanted, group in this_year.items()),
        (inds, PeriodType.YEAR, [date(year - 1, 1, 1)], [municipality_code]),
        (monthly, PeriodType.MONTH, months, [municipality_code]),
    ], AreaLevel.MUNICIPALITY)
    queries.prefetch_ranges(monthly, PeriodType.MONTH)


def _key_figures(user, municipality_code, year, indicator_codes):
    from . import queries
    from .queries import KeyFigure

    # The targets of the three years the page's trend shows (this year's choose the
    # default key figures), in one query.
    queries.prefetch_targets(AreaLevel.MUNICIPALITY, municipality_code,
                             range(year - 2, year + 1))
    codes = list(indicator_codes) if indicator_codes else _default_codes(municipality_code,
                                                                         year)
    _prefetch(municipality_code, year, codes)
    result = []
    as_of = timezone.localdate()
    alerts = queries.alerts(user, AreaLevel.MUNICIPALITY, municipality_code,
                            status="open", include_children=False)
    for code in codes:
        info = queries.indicator(user, code)
        if PeriodType.YEAR not in info.period_types:
            continue
        current = queries.values(user, code, AreaLevel.MUNICIPALITY, PeriodType.YEAR,
                                 date(year, 1, 1), codes=[municipality_code])
        if not current:
            continue  # not visible for this user
        previous = queries.values(user, code, AreaLevel.MUNICIPALITY, PeriodType.YEAR,
                                  date(year - 1, 1, 1), codes=[municipality_code])
        now, before = current[0], previous[0] if previous else None
        target = queries.target_status(user, code, AreaLevel.MUNICIPALITY,
                                       municipality_code, year)
        # One rule for every page: a running year against the same complete months.
        compared = comparison.compare(
            user, code, AreaLevel.MUNICIPALITY, municipality_code,
            comparison.same_part(date(year, 1, 1), date(year, 12, 31), date(year - 1, 1, 1),
                                 as_of), target.direction if target else None)
        try:
            index = queries.benchmark(user, code, municipality_code, year).index
        except (ValueError, LookupError, PermissionError):
            index = None
        result.append(KeyFigure(
            indicator=info, current=now, previous=before,
            change_percent=compared.change_percent, target=target, compared=compared,
            benchmark_index=index,
            alerts=tuple(a for a in alerts if a.indicator.code == code),
        ))
    return result
