"""Early warning: statistically unusual rises per area and theme, against the area's own
history. Two tests, both on monthly values of indicators marked for early warning, per
municipality and safety region:

* **Poisson** (one month): expected = mean of the 12 months before; the alert fires when
  the chance of at least the observed number under a Poisson distribution with that mean
  is below ``POISSON_ALPHA`` (1 %), and the observed number is at least ``MIN_COUNT``.
* **CUSUM** (a sustained rise): over the last 6 months, S = max(0, S + (x - μ)/√μ - k)
  with k = 0.5 and the baseline μ from the 12 months before those 6; the alert fires when
  S exceeds h = 4 in the last month (Page 1954; Poisson-standardised).

Every alert stores what it saw, what was expected, the statistic, the threshold and a
sentence saying why it fired. A person reviews it (`review`), with a reason.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from scipy.stats import poisson

from knooppunt.organisations import scope

from . import areas as area_lookup
from . import periods
from .models import (
    Alert,
    AlertMethod,
    AlertStatus,
    AreaLevel,
    Indicator,
    IndicatorValue,
    PeriodType,
)

POISSON_ALPHA = 0.01
MIN_COUNT = 5  # never below the small-count threshold (see `_min_count`)
HISTORY_MONTHS = 12
MIN_HISTORY_MONTHS = 6
CUSUM_WINDOW = 6
CUSUM_K = 0.5
CUSUM_H = 4.0
LEVELS = (AreaLevel.MUNICIPALITY, AreaLevel.SAFETY_REGION)


@dataclass(frozen=True)
class Finding:
    method: str
    observed: float
    expected: float
    statistic: float
    threshold: float
    history: int
    reason: str


def _months_back(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def _fmt(number: float) -> str:
    return f"{number:.1f}".replace(".", ",")


def _min_count() -> int:
    """An alert names its count, so it needs one that may be shown."""
    from django.conf import settings

    return max(MIN_COUNT, settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD)


def poisson_test(observed: float, history: list[float], indicator_name: str, area_name: str,
                 month_label: str) -> Finding | None:
    """The one-month test; None when it does not fire (or history is too short)."""
    if len(history) < MIN_HISTORY_MONTHS or observed < _min_count():
        return None
    expected = sum(history) / len(history)
    if observed <= expected:
        return None
    # P(X >= observed) = sf(observed - 1); a zero mean makes any count unusual.
    p_value = float(poisson.sf(observed - 1, max(expected, 0.1)))
    if p_value >= POISSON_ALPHA:
        return None
    p_text = ("kleiner dan 0,0001" if p_value < 0.0001
              else f"{p_value:.4f}".replace(".", ","))
    alpha_text = str(POISSON_ALPHA).replace(".", ",")
    reason = (
        f"{indicator_name} in {area_name}, {month_label}: {int(observed)}, waar op grond van "
        f"de {len(history)} maanden ervoor {_fmt(expected)} verwacht werd (gemiddelde). De "
        f"kans op {int(observed)} of meer bij toeval is {p_text}, onder de drempel "
        f"{alpha_text} (Poisson-toets)."
    )
    return Finding(AlertMethod.POISSON, observed, expected, p_value, POISSON_ALPHA,
                   len(history), reason)


def cusum_test(window: list[float], baseline: list[float], indicator_name: str,
               area_name: str, month_label: str) -> Finding | None:
    """The sustained-rise test over the last `CUSUM_WINDOW` months; None when quiet."""
    if len(baseline) < MIN_HISTORY_MONTHS or not window or window[-1] < _min_count():
        return None
    mu = sum(baseline) / len(baseline)
    sigma = math.sqrt(max(mu, 1.0))
    s = 0.0
    above = 0
    for x in window:
        s = max(0.0, s + (x - mu) / sigma - CUSUM_K)
        above = above + 1 if x > mu else 0
    if s <= CUSUM_H or window[-1] <= mu:
        return None
    reason = (
        f"{indicator_name} in {area_name}: {above} maand(en) op rij boven het eigen "
        f"gemiddelde van {_fmt(mu)} (de {len(baseline)} maanden daarvoor), laatst "
        f"{month_label} met {int(window[-1])}. De opgetelde afwijking (CUSUM) is "
        f"{_fmt(s)}, boven de drempel {_fmt(CUSUM_H)} (k = 0,5, in standaardafwijkingen)."
    )
    return Finding(AlertMethod.CUSUM, window[-1], mu, s, CUSUM_H, len(baseline), reason)


def evaluate(month: date | None = None, indicators: list[Indicator] | None = None) -> list[Alert]:
    """Test the month (default: the last complete one) and store alerts that fire."""
    today = timezone.localdate()
    month = periods.start_of(PeriodType.MONTH, month or _months_back(
        periods.start_of(PeriodType.MONTH, today), 1))
    first = _months_back(month, HISTORY_MONTHS + CUSUM_WINDOW)
    indicators = indicators if indicators is not None else list(
        Indicator.objects.filter(active=True, early_warning=True)
    )
    fired: list[Alert] = []
    for indicator in indicators:
        for level in LEVELS:
            series: dict[str, dict[date, float]] = defaultdict(dict)
            for code, start, value in IndicatorValue.objects.filter(
                indicator=indicator, area_level=level, period_type=PeriodType.MONTH,
                period_start__gte=first, period_start__lte=month,
            ).values_list("area_code", "period_start", "value"):
                series[code][start] = value
            if not series:
                continue
            names = {a.code: a.name for a in area_lookup.areas(level, list(series))}
            months = [_months_back(month, n) for n in range(HISTORY_MONTHS + CUSUM_WINDOW, -1,
                                                            -1)]
            has_data = _first_month_with_data(indicator)
            for code, by_month in series.items():
                known = [m for m in months if has_data and m >= has_data]
                values = {m: by_month.get(m, 0.0) for m in known}
                if month not in values:
                    continue
                label = periods.label(PeriodType.MONTH, month)
                history = [values[m] for m in known if _months_back(month, HISTORY_MONTHS) <= m
                           < month]
                findings = [poisson_test(values[month], history, indicator.name,
                                         names.get(code, code), label)]
                window_months = [m for m in known if m > _months_back(month, CUSUM_WINDOW)]
                baseline = [values[m] for m in known
                            if m <= _months_back(month, CUSUM_WINDOW)][-HISTORY_MONTHS:]
                if findings[0] is None:  # a one-month jump is reported once, by Poisson
                    findings.append(cusum_test([values[m] for m in window_months], baseline,
                                               indicator.name, names.get(code, code), label))
                for finding in filter(None, findings):
                    fired.append(_store(indicator, level, code, month, finding))
    return fired


def _first_month_with_data(indicator: Indicator) -> date | None:
    from django.db.models import Min

    return IndicatorValue.objects.filter(
        indicator=indicator, period_type=PeriodType.MONTH
    ).aggregate(first=Min("period_start"))["first"]


def _store(indicator: Indicator, level: str, code: str, month: date, f: Finding) -> Alert:
    alert, _created = Alert.objects.update_or_create(
        indicator=indicator, area_level=level, area_code=code, period_type=PeriodType.MONTH,
        period_start=month, method=f.method,
        defaults={"observed": f.observed, "expected": round(f.expected, 3),
                  "statistic": f.statistic, "threshold": f.threshold,
                  "history_periods": f.history, "reason": f.reason},
    )
    return alert


def review(alert: Alert, user, status: str, reason: str) -> Alert:
    """A named person marks an alert seen or dismissed, with a reason (humans decide)."""
    if status not in (AlertStatus.SEEN, AlertStatus.DISMISSED):
        raise ValueError("Kies 'bekeken' of 'terzijde'.")
    if not reason or not reason.strip():
        raise ValueError("Geef een reden op.")
    alert.status = status
    alert.review_reason = reason.strip()[:2000]
    alert.reviewed_by = user
    alert.reviewed_at = timezone.now()
    alert.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    return alert


def visible_alerts(user, level, code, status, since, include_children, ids=None):
    """The alerts `user` may see (see `queries.alerts`)."""
    from .queries import SUMS, AlertInfo, _exact, _info

    qs = Alert.objects.select_related("indicator__theme", "reviewed_by")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if status:
        qs = qs.filter(status=status)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if level and code:
        codes = [code]
        if include_children:
            for child_level in (AreaLevel.SAFETY_REGION, AreaLevel.MUNICIPALITY,
                                AreaLevel.DISTRICT):
                codes += area_lookup.member_codes(level, code, child_level)
        qs = qs.filter(area_code__in=codes)
    alerts = list(qs[:500])
    refs = {}
    for level_name in {a.area_level for a in alerts}:
        for ref in area_lookup.areas(level_name, [a.area_code for a in alerts
                                                  if a.area_level == level_name]):
            refs[ref.code] = ref
    result = []
    for alert in alerts:
        info = _info(alert.indicator)
        if alert.area_code not in refs or not scope.figure_visible(
            user, alert.area_level, alert.area_code, public=info.public
        ):
            continue
        observed, reason = alert.observed, alert.reason
        # An alert keeps no support for a sum (euro, hours): its observed amount is never
        # shown, as it may be one case's (decision 0014). A count is shown exactly to a
        # user who may open every record behind it, else as the period's figure is:
        # hidden when small or hidden beside its year (decision 0026).
        exact = _exact(user, alert.indicator, alert.area_level, alert.area_code)
        if not exact and (info.unit in SUMS
                          or scope.suppress_small(user, int(round(observed))) is None
                          or _period_hidden(user, info, alert)):
            # Stored before the threshold was raised: the sentence names the count.
            observed = None
            reason = (f"{info.name} in {refs[alert.area_code].name}: ongewone stijging; het "
                      "aantal is te klein om te tonen.")
        reviewer = alert.reviewed_by
        result.append(AlertInfo(
            id=alert.pk, indicator=info, area=refs[alert.area_code],
            period=periods.period(alert.period_type, alert.period_start), method=alert.method,
            observed=observed, expected=alert.expected, statistic=alert.statistic,
            threshold=alert.threshold, reason=reason, status=alert.status,
            created_at=alert.created_at,
            reviewed_by=(reviewer.get_full_name() or reviewer.get_username()) if reviewer else "",
            reviewed_at=alert.reviewed_at, review_reason=alert.review_reason,
        ))
    return result


def _period_hidden(user, info, alert: Alert) -> bool:
    """Whether the alert's period is hidden by the period rule of its year."""
    from .models import PeriodType
    from .queries import _hidden_months

    if alert.period_type == PeriodType.YEAR:
        return False
    hidden = _hidden_months(user, info, alert.indicator, alert.area_level,
                            [alert.area_code], [alert.period_start.year])
    return (alert.period_type, alert.period_start) in hidden[alert.area_code]
