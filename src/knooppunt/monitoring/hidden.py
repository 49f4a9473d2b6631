"""The hidden pattern, computed by the monitoring job and read by pages and the API.

Which periods of an indicator are hidden from audiences that get suppressed figures
(`monitoring.suppression`, decision 0026) does not depend on the user for a
municipality with its wijken and buurten, nor for an area above it whose municipalities
the user all sees. Computing it costs a fix point over thousands of cells per
municipality and year, so `refresh` computes it after the values (`compute.compute_all`)
and stores it in `HiddenPattern`; `read` gives it back when it is current. A pattern is
current when its signature matches the fingerprints of the indicators it was computed
from (the indicators that add up to each other, `queries._family`), the first record
and the threshold; otherwise `read` says so (None) and the caller computes it. Users who
may open every record behind a figure never get here: they read the value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models.functions import ExtractYear
from django.utils import timezone

from .models import AreaLevel, HiddenPattern, Indicator, IndicatorValue, PeriodType

# Areas above the municipality, each its own block with its own stored pattern.
REGION_LEVELS = (AreaLevel.SAFETY_REGION, AreaLevel.POLICE_UNIT, AreaLevel.PROVINCE,
                 AreaLevel.COUNTRY)
COMPLETE = "*"  # the block of the row that says: every block with data was computed


def signature(family: Iterable[Indicator], first: object) -> str:
    """What a pattern was computed from: the family's fingerprints, the first record and
    the threshold."""
    text = repr((sorted((i.code, i.fingerprint) for i in family), str(first),
                 settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD))
    return hashlib.sha256(text.encode()).hexdigest()


def _encode(periods: set[tuple]) -> list[str]:
    return sorted(f"{kind}:{start.isoformat()}" for kind, start in periods)


def _decode(items: list[str]) -> set[tuple]:
    found = set()
    for item in items:
        kind, _sep, start = item.partition(":")
        found.add((kind, date.fromisoformat(start)))
    return found


def read(ind: Indicator, family: list[Indicator], block: str, year: int,
         first: object) -> dict[str, set[tuple]] | None:
    """The stored hidden periods per area code of `ind` in `block` and `year`, or None
    when no current pattern is stored (the caller computes it). A block the job passed
    by because it had no values in that year hides nothing: {}."""
    current = signature(family, first)
    found = _rows(block, ind)
    rows = found.get((ind.pk, year), {}) | found.get((ind.pk, 0), {})
    row = rows.get(block)
    if row is not None and row.signature == current:
        return {area: _decode(items) for area, items in row.hidden.items()}
    marker = rows.get(COMPLETE)
    if row is None and marker is not None and marker.signature == current:
        return {}
    return None


def _rows(block: str, ind: Indicator) -> dict[tuple[int, int], dict[str, HiddenPattern]]:
    """The stored rows of `block` and the completeness markers, by (indicator id, year)
    and block: inside `memo.active()` those of every indicator in one query per block and
    request (a page reads the pattern of many indicators and years), outside it `ind`'s."""
    from . import memo

    def load(only: Indicator | None) -> dict[tuple[int, int], dict[str, HiddenPattern]]:
        rows = HiddenPattern.objects.filter(block__in=[block, COMPLETE])
        if only is not None:
            rows = rows.filter(indicator=only)
        found: dict[tuple[int, int], dict[str, HiddenPattern]] = {}
        for row in rows.only(
                "indicator_id", "year", "block", "signature", "hidden"):
            found.setdefault((row.indicator_id, row.year), {})[row.block] = row
        return found

    if not memo.is_active():
        return load(ind)
    return memo.get(("hidden-pattern", block), lambda: load(None))


def refresh(changed: Iterable[str] | None = None) -> int:
    """Compute and store the pattern of every active indicator whose family holds one of
    the `changed` indicator codes, or whose stored pattern is missing or not current
    (after a migration, a changed threshold); `changed` None: all. Returns the number of
    rows stored."""
    from . import memo, queries

    changed_codes = None if changed is None else set(changed)
    stored = 0
    with memo.active():  # a family's grid is computed once for all its members
        for ind in queries._active_indicators().values():
            info = queries._info(ind)
            if (PeriodType.MONTH not in info.period_types
                    or queries._weight(info, 1.0, 1) is None):
                continue  # not suppressible by periods (yearly statistics, percentages)
            family = queries._family(ind)
            if changed_codes is not None and not changed_codes & {i.code for i in family}:
                current = signature(family, queries._first_record(ind))
                if HiddenPattern.objects.filter(indicator=ind, block=COMPLETE,
                                                signature=current).exists():
                    continue
            stored += _refresh_one(info, ind, family)
    return stored


def _refresh_one(info, ind: Indicator, family: list[Indicator]) -> int:
    from . import queries

    first = queries._first_record(ind)
    current = signature(family, first)
    now = timezone.now()
    months = IndicatorValue.objects.filter(indicator__in=family,
                                           period_type=PeriodType.MONTH)
    rows = [HiddenPattern(indicator=ind, block=COMPLETE, year=0, signature=current,
                          hidden={}, computed_at=now)]
    for gm, year in (months.filter(area_level=AreaLevel.MUNICIPALITY)
                     .annotate(year=ExtractYear("period_start"))
                     .values_list("area_code", "year").distinct()):
        grid = queries._municipality_grid(info, family, gm[2:6], year)[ind.code]
        rows.append(HiddenPattern(
            indicator=ind, block=gm, year=year, signature=current, computed_at=now,
            hidden={area: _encode(p) for area, p in grid.items() if p}))
    for level, code, year in (months.filter(area_level__in=REGION_LEVELS)
                              .annotate(year=ExtractYear("period_start"))
                              .values_list("area_level", "area_code", "year")
                              .distinct()):
        found = queries._region_grid(info, ind, level, code, year, None)
        rows.append(HiddenPattern(
            indicator=ind, block=f"{level}:{code}", year=year, signature=current,
            computed_at=now, hidden={code: _encode(found)} if found else {}))
    with transaction.atomic():
        HiddenPattern.objects.filter(indicator=ind).delete()
        HiddenPattern.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
