"""The few figures that matter for one municipality (the mayor's one-screen overview)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from . import comparison, memo
from .benchmark import groups_of
from .models import AreaLevel, Indicator, PeriodType, Target

MAX_KEY_FIGURES = 8


def _default_codes(municipality_code: str, year: int) -> list[str]:
    with_target = set(Target.objects.filter(
        area_level=AreaLevel.MUNICIPALITY, area_code=municipality_code, year=year,
    ).values_list("indicator__code", flat=True))
    active = list(Indicator.objects.filter(active=True))
    # Indicators with a target first (what the council agreed on), then early warning.
    chosen = [i.code for i in active if i.code in with_target]
    chosen += [i.code for i in active if i.early_warning and i.code not in with_target]
    return chosen[:MAX_KEY_FIGURES]


def compute_key_figures(user, municipality_code, year, indicator_codes):
    with memo.active():
        return _key_figures(user, municipality_code, year, indicator_codes)


def _prefetch(municipality_code: str, year: int, codes: list[str]) -> None:
    """Read what the key figures need in one query: this and last year's values of every
    indicator for the municipality and the members of its peer groups."""
    from . import queries

    inds = []
    for code in codes:
        try:
            inds.append(queries._indicator(code))
        except queries.UnknownIndicator:
            continue
    areas = {municipality_code}
    for _group, members in groups_of(municipality_code):
        areas.update(members)
    queries.prefetch(inds, AreaLevel.MUNICIPALITY, PeriodType.YEAR,
                     [date(year, 1, 1), date(year - 1, 1, 1)], sorted(areas))


def _key_figures(user, municipality_code, year, indicator_codes):
    from . import queries
    from .queries import KeyFigure

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
