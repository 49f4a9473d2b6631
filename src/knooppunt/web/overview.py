"""Aggregated figures for the start page and the map.

Every count here comes from `scope.signals_for_aggregates` and passes `scope.suppress_small`
before it is shown, so a bestuurder never sees a number small enough to point to a person.
Counts of the signals the user may open come from `scope.signals_for`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import ngettext

from knooppunt.geo.models import Municipality
from knooppunt.monitoring import comparison
from knooppunt.organisations import scope
from knooppunt.signals.models import Status
from knooppunt.taxonomy.models import Theme


@dataclass(frozen=True)
class AreaFigure:
    """One municipality's signal count in a period; `shown` is None when suppressed."""

    municipality: Municipality
    count: int
    shown: int | None
    shown_previous: int | None

    @property
    def per_10000(self) -> float | None:
        if self.shown is None or not self.municipality.population:
            return None
        return round(self.shown / self.municipality.population * 10_000, 1)


@dataclass(frozen=True)
class ThemeFigure:
    theme: Theme
    shown: int | None
    shown_previous: int | None


@dataclass(frozen=True)
class Period:
    """What the home page compares, by the one rule (`monitoring.comparison`, decision
    0025): the running year's complete months against the same months a year earlier
    ("1 jan – 30 nov 2026 t.o.v. 1 jan – 30 nov 2025"), the same windows as the
    dashboards' key figures. While January runs there is nothing to compare yet: the
    year so far is shown without a previous column (`previous_start` None)."""

    start: dt.date
    end: dt.date
    previous_start: dt.date | None
    previous_end: dt.date | None
    today: dt.date
    text: str  # what is compared with what, in words

    @classmethod
    def year_to_date(cls, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        rule = comparison.year_to_date(today)
        if rule.current is None or rule.previous is None:
            return cls(today.replace(month=1, day=1), today, None, None, today, rule.text())
        return cls(rule.current.start, rule.current.end, rule.previous.start,
                   rule.previous.end, today, rule.text())

    @classmethod
    def year_so_far(cls, today: dt.date | None = None) -> Period:
        """1 January to today, compared with nothing (the map: counts, no change)."""
        today = today or timezone.localdate()
        return cls(today.replace(month=1, day=1), today, None, None, today,
                   comparison.Span(today.replace(month=1, day=1), today).label())

    @property
    def label(self) -> str:
        return comparison.Span(self.start, self.end).label()

    @property
    def previous_label(self) -> str:
        if self.previous_start is None or self.previous_end is None:
            return ""
        return comparison.Span(self.previous_start, self.previous_end).label()


def _previous_q(period: Period) -> Q:
    if period.previous_start is None:
        return Q(pk__in=[])  # nothing to compare yet
    return Q(received_on__range=(period.previous_start, period.previous_end))


def _rest_q(period: Period) -> tuple[Q, Q]:
    """The days of each year outside its window: this year from the end of the window to
    today (the running month), last year from the end of its window to 31 December. The
    year's figure, shown on the dashboard, minus the window is that rest."""
    if period.previous_start is None or period.previous_end is None:
        return Q(pk__in=[]), Q(pk__in=[])
    return (Q(received_on__gt=period.end, received_on__lte=period.today),
            Q(received_on__gt=period.previous_end,
              received_on__lte=period.previous_end.replace(month=12, day=31)))


def _period_counts(queryset, key: str, period: Period,
                   ) -> dict[object, tuple[int, int, int, int]]:
    rest_now, rest_before = _rest_q(period)
    rows = (
        queryset.values(key)
        .annotate(
            current=Count("id", filter=Q(received_on__range=(period.start, period.end))),
            previous=Count("id", filter=_previous_q(period)),
            rest_now=Count("id", filter=rest_now),
            rest_before=Count("id", filter=rest_before),
        )
        .values_list(key, "current", "previous", "rest_now", "rest_before")
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def _small(count: int) -> bool:
    from django.conf import settings

    return 0 < count < settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD


def _windows_shown(user, windows: list[int], rests: list[int]) -> list[int | None]:
    """A breakdown of window counts, suppressed as before, and also hidden where the rest
    of the year is small: beside the year's figure the window would give that rest away
    (the same protection as `monitoring.comparison.span_value`, decision 0025). Such a
    cell enters `suppress_breakdown` as a small count, so secondary suppression covers it
    beside the shown total as any small cell."""
    flagged = [1 if _small(rest) and window else window
               for window, rest in zip(windows, rests, strict=True)]
    return scope.suppress_breakdown(user, flagged)


def area_figures(user, municipalities: list[Municipality], period: Period) -> list[AreaFigure]:
    """Signals per municipality in the user's area over the compared windows."""
    counts = _period_counts(scope.signals_for_aggregates(user), "municipality_id", period)
    found = [counts.get(m.pk, (0, 0, 0, 0)) for m in municipalities]
    shown = _windows_shown(user, [f[0] for f in found], [f[2] for f in found])
    shown_previous = _windows_shown(user, [f[1] for f in found], [f[3] for f in found])
    return [
        AreaFigure(municipality=m, count=f[0], shown=s, shown_previous=sp)
        for m, f, s, sp in zip(municipalities, found, shown, shown_previous, strict=True)
    ]


def theme_figures(user, period: Period) -> list[ThemeFigure]:
    """Signals per theme over the whole area of the user, largest first."""
    counts = _period_counts(scope.signals_for_aggregates(user), "theme_id", period)
    themes = Theme.objects.in_bulk(list(counts))
    rows = [(theme_id, *found) for theme_id, found in counts.items()
            if (found[0] or found[1]) and theme_id in themes]
    shown = _windows_shown(user, [r[1] for r in rows], [r[3] for r in rows])
    shown_previous = _windows_shown(user, [r[2] for r in rows], [r[4] for r in rows])
    figures = [
        ThemeFigure(theme=themes[r[0]], shown=s, shown_previous=sp)
        for r, s, sp in zip(rows, shown, shown_previous, strict=True)
    ]
    figures.sort(key=lambda f: (-(f.shown or 0), f.theme.order, f.theme.name))
    return figures


def area_totals(user, period: Period) -> tuple[int | None, int | None]:
    """All signals in the user's area over the two compared windows (hidden as a cell of
    a breakdown would be, see `_windows_shown`)."""
    rest_now_q, rest_before_q = _rest_q(period)
    found = scope.signals_for_aggregates(user).aggregate(
        current=Count("id", filter=Q(received_on__range=(period.start, period.end))),
        previous=Count("id", filter=_previous_q(period)),
        rest_now=Count("id", filter=rest_now_q), rest_before=Count("id", filter=rest_before_q))
    current, previous = found["current"], found["previous"]
    rest_now, rest_before = found["rest_now"], found["rest_before"]
    return (None if _small(rest_now) and current else scope.suppress_small(user, current),
            None if _small(rest_before) and previous
            else scope.suppress_small(user, previous))


def own_area(user) -> tuple[list[Municipality], str]:
    """The municipalities the user's organisations serve, and how the page names them:
    the home page counts those only (issue 12: not the cases of other municipalities a
    regional forum shows)."""
    municipalities = list(scope.municipalities_for(user).order_by("name"))
    names = [m.name for m in municipalities]
    if len(names) <= 3:
        return municipalities, ", ".join(names)
    return municipalities, ngettext("%(n)s gemeente", "%(n)s gemeenten", len(names)) % {
        "n": len(names)}


def visible_figures(user, period: Period) -> dict[str, int]:
    """Counts of the signals this user may open in their own municipalities; only for roles
    that see personal data."""
    visible = scope.signals_for(user).filter(municipality__in=scope.municipalities_for(user))
    return {
        "total": visible.count(),
        "this_year": visible.filter(received_on__range=(period.start.replace(month=1, day=1),
                                                        period.today)).count(),
        "open": visible.exclude(status=Status.CLOSED).count(),
        "received": visible.filter(status=Status.RECEIVED).count(),
    }


def case_figures(user, today: dt.date | None = None) -> dict[str, object]:
    """Open and overdue cases the user may open; the most recently overdue ones listed
    (and logged) so a case that just passed its term is never hidden behind old ones."""
    from knooppunt.audit.log import Action, record
    from knooppunt.cases import deadlines
    from knooppunt.cases.services import PURPOSE_CASE

    today = today or timezone.localdate()
    # The user's own municipalities only, as the follow-up counts per municipality: a
    # regional forum's cases of other municipalities are not this home page's figures.
    cases = (scope.cases_for(user).filter(municipality__in=scope.municipalities_for(user))
             .select_related("forum", "municipality"))
    overdue = list(deadlines.overdue(cases, today).order_by("-decision_due_on", "-pk")[:10])
    if overdue:
        record(user=user, action=Action.LIST, object_type="cases.case",
               object_ids=[c.pk for c in overdue], purpose=PURPOSE_CASE,
               detail="overzicht: termijn verlopen")
    return {
        "open": cases.filter(closed_on__isnull=True).count(),
        "overdue_count": deadlines.overdue(cases, today).count(),
        "overdue": overdue,
        "due_soon": deadlines.due_soon(cases, today).count(),
        "today": today,
    }
