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


def _period_counts(queryset, key: str, period: Period) -> dict[object, tuple[int, int]]:
    rows = (
        queryset.values(key)
        .annotate(
            current=Count("id", filter=Q(received_on__range=(period.start, period.end))),
            previous=Count("id", filter=_previous_q(period)),
        )
        .values_list(key, "current", "previous")
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def area_figures(user, municipalities: list[Municipality], period: Period) -> list[AreaFigure]:
    """Signals per municipality in the user's area, this year to date and last year."""
    counts = _period_counts(scope.signals_for_aggregates(user), "municipality_id", period)
    current = [counts.get(m.pk, (0, 0))[0] for m in municipalities]
    previous = [counts.get(m.pk, (0, 0))[1] for m in municipalities]
    shown = scope.suppress_breakdown(user, current)
    shown_previous = scope.suppress_breakdown(user, previous)
    return [
        AreaFigure(municipality=m, count=c, shown=s, shown_previous=sp)
        for m, c, s, sp in zip(municipalities, current, shown, shown_previous, strict=True)
    ]


def theme_figures(user, period: Period) -> list[ThemeFigure]:
    """Signals per theme over the whole area of the user, largest first."""
    counts = _period_counts(scope.signals_for_aggregates(user), "theme_id", period)
    themes = Theme.objects.in_bulk(list(counts))
    rows = [
        (theme_id, current, previous)
        for theme_id, (current, previous) in counts.items()
        if (current or previous) and theme_id in themes
    ]
    shown = scope.suppress_breakdown(user, [r[1] for r in rows])
    shown_previous = scope.suppress_breakdown(user, [r[2] for r in rows])
    figures = [
        ThemeFigure(theme=themes[theme_id], shown=s, shown_previous=sp)
        for (theme_id, _current, _previous), s, sp in zip(rows, shown, shown_previous, strict=True)
    ]
    figures.sort(key=lambda f: (-(f.shown or 0), f.theme.order, f.theme.name))
    return figures


def area_totals(user, period: Period) -> tuple[int | None, int | None]:
    """All signals in the user's area this year to date and in the same period last year."""
    queryset = scope.signals_for_aggregates(user)
    current = queryset.filter(received_on__range=(period.start, period.end)).count()
    previous = queryset.filter(_previous_q(period)).count()
    return scope.suppress_small(user, current), scope.suppress_small(user, previous)


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
