"""Monitoring in the demo region: real figures, synthetic police statistics, targets,
computed indicators and alerts that fire for a reason.

* The real 2023 registered crime of all 342 municipalities and the national series
  2012-2023 (`external.load_real_figures`), and the size-class peer groups.
* A synthetic monthly police file in the shape of 47022NED (trailing-space codes, month
  and year rows mixed, the 0.0.0 total, one withheld cell) for the region's
  municipalities over the demo years, imported through the real importer. Its level is
  calibrated on the real 2023 figures; it contains one deliberate burglary wave in the
  last complete month in the second-largest municipality, so early warning has
  something real to find.
* Targets for each municipality and for the RIEC region, set by a named demo user on
  the basis of the previous year's results (as the RIEC annual plan does).
* All indicators computed; early warning run over the last three complete months.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from . import periods
from .benchmark import ensure_peer_groups
from .compute import compute_all
from .early_warning import evaluate
from .external import load_real_figures
from .models import (
    AreaLevel,
    Indicator,
    IndicatorValue,
    PeriodType,
    RiecSection,
    Target,
    TargetDirection,
)
from .statistics_import import import_statistics

# Registered crime in total vs victim-reported offences in 2023 (802,043 / 625,202).
TOTAL_FACTOR = 802_043 / 625_202
# Share of domestic burglary (1.1.1) in victim-reported offences, 2023 (22,767 / 625,202).
BURGLARY_SHARE = 22_767 / 625_202
WAVE_FACTOR = 3.0  # the burglary wave: three times the usual month
DEMO_SOURCE = "Synthetisch (demo), in de vorm van CBS/Politie 47022NED"

# indicator code, direction, RIEC section, yearly change of the target against last year
TARGETS = [
    ("signalen-hennepteelt", TargetDirection.AT_LEAST, RiecSection.INTEGRATED, 0.05),
    ("signalen-mensenhandel", TargetDirection.AT_LEAST, RiecSection.INTEGRATED, 0.10),
    ("signalen-witwassen-vastgoed", TargetDirection.AT_LEAST, RiecSection.INTEGRATED, 0.10),
    ("signalen-drugsdump", TargetDirection.AT_MOST, RiecSection.OTHER, -0.10),
    ("misdrijven-totaal-maand", TargetDirection.AT_MOST, RiecSection.OTHER, -0.03),
    ("casussen-naar-riec", TargetDirection.AT_LEAST, RiecSection.INTEGRATED, 0.0),
    ("casussen-lokaal-gewogen", TargetDirection.AT_LEAST, RiecSection.INTEGRATED, 0.05),
    ("sluitingen-13b", TargetDirection.AT_LEAST, RiecSection.ADMINISTRATIVE, 0.0),
    ("snelle-interventies", TargetDirection.AT_LEAST, RiecSection.ADMINISTRATIVE, 0.10),
    ("afgepakt-bedrag", TargetDirection.AT_LEAST, RiecSection.OTHER, 0.10),
]


@dataclass
class MonitoringDemoResult:
    statistics: int
    indicator_values: int
    targets: int
    alerts: int
    wave_municipality: str
    wave_month: date


def _months(first: date, last: date) -> list[date]:
    return [p.start for p in periods.between(PeriodType.MONTH, first, last)]


def synthetic_police_file(municipalities, first: date, last: date, wave: tuple[str, date],
                          seed: int) -> bytes:
    """A 47022NED-shaped CSV with the quirks of the real one."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write('"ID";"SoortMisdrijf";"RegioS";"Perioden";"GeregistreerdeMisdrijven_1"\n')
    row_id = 0
    withheld_done = False
    for municipality in municipalities:
        yearly = municipality.registered_crime_2023 or max(1, municipality.population // 20)
        by_year: dict[int, int] = {}
        for month in _months(first, last):
            season = 1 + 0.12 * math.cos((month.month - 1) / 12 * 2 * math.pi)  # winter peak
            burglary_mean = yearly * BURGLARY_SHARE / 12 * season
            if (municipality.code, month) == wave:
                burglary_mean *= WAVE_FACTOR
            burglary = _poisson(rng, burglary_mean)
            total = _poisson(rng, yearly * TOTAL_FACTOR / 12 * season) + burglary
            by_year[month.year] = by_year.get(month.year, 0) + total
            code = f"{municipality.code:<8}"
            period = f"{month.year}MM{month.month:02d}"
            row_id += 1
            out.write(f'{row_id};"0.0.0   ";"{code}";"{period}";"{total:>7}"\n')
            row_id += 1
            if not withheld_done and burglary < 3:
                # The police leave very small cells empty: so does the demo, once.
                out.write(f'{row_id};"1.1.1   ";"{code}";"{period}";"       "\n')
                withheld_done = True
            else:
                out.write(f'{row_id};"1.1.1   ";"{code}";"{period}";"{burglary:>7}"\n')
        for year, total in by_year.items():
            if date(year, 12, 1) <= last:  # complete years also as a year row (2024JJ00)
                row_id += 1
                out.write(f'{row_id};"0.0.0   ";"{municipality.code:<8}";"{year}JJ00";'
                          f'"{total:>7}"\n')
    return out.getvalue().encode("utf-8")


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (normal approximation for large means)."""
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _set_targets(municipalities, riec_code: str, year: int, user) -> int:
    count = 0
    areas = [(AreaLevel.MUNICIPALITY, m.code) for m in municipalities]
    areas.append((AreaLevel.POLICE_UNIT, riec_code))
    for code, direction, section, change in TARGETS:
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            continue
        first_month = (
            IndicatorValue.objects.filter(indicator=indicator, period_type=PeriodType.MONTH)
            .order_by("period_start").values_list("period_start", flat=True).first()
        )
        for target_year in (year - 2, year - 1, year):
            # A target rests on a whole previous year: the demo's first year is partial.
            if first_month is None or first_month > date(target_year - 1, 1, 1):
                continue
            for level, area_code in areas:
                last = IndicatorValue.objects.filter(
                    indicator=indicator, area_level=level, area_code=area_code,
                    period_type=PeriodType.YEAR, period_start=date(target_year - 1, 1, 1),
                ).values_list("value", flat=True).first()
                if not last:
                    continue
                Target.objects.update_or_create(
                    indicator=indicator, area_level=level, area_code=area_code,
                    year=target_year,
                    defaults={
                        "value": round(last * (1 + change)),
                        "direction": direction,
                        "riec_section": section,
                        "basis": f"Gebaseerd op de behaalde resultaten in {target_year - 1} "
                        f"({round(last)}), {change:+.0%}.",
                        "set_by": user,
                        "set_on": date(target_year - 1, 12, 15),
                    },
                )
                count += 1
    return count


def build_monitoring(municipalities, riec_code: str, *, user=None, seed: int = 2024,
                     years: float = 3.0, today: date | None = None) -> MonitoringDemoResult:
    """Everything monitoring shows in the demo; safe to run again."""
    today = today or timezone.localdate()
    statistics = load_real_figures()
    ensure_peer_groups()
    last = periods.start_of(PeriodType.MONTH, date(today.year, today.month, 1))
    last = date(last.year - 1, 12, 1) if last.month == 1 else date(last.year, last.month - 1, 1)
    first = date(today.year - math.ceil(years), 1, 1)
    ordered = sorted(municipalities, key=lambda m: -m.population)
    # The wave lands in the largest municipality: the one whose mayor and analyst accounts
    # the demo ships, so the mayor's overview has an alert that fired for a reason.
    wave_municipality = ordered[0].code
    data = synthetic_police_file(ordered, first, last, (wave_municipality, last), seed)
    report = import_statistics(data, file_name=f"47022NED-demo-{today:%Y%m%d}.csv",
                               table="47022NED", published_on=today, source=DEMO_SOURCE,
                               synthetic=True)
    statistics += report.rows
    results = compute_all(force=True)
    targets = _set_targets(ordered, riec_code, today.year, user)
    alerts = 0
    month = last
    for _ in range(3):
        alerts += len(evaluate(month))
        month = date(month.year - 1, 12, 1) if month.month == 1 else date(month.year,
                                                                          month.month - 1, 1)
    return MonitoringDemoResult(
        statistics=statistics,
        indicator_values=sum(r.values for r in results),
        targets=targets,
        alerts=alerts,
        wave_municipality=wave_municipality,
        wave_month=last,
    )
