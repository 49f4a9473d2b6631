"""Areas by (level, code): names, population (1 January 2024) and the hierarchy
buurt → wijk → gemeente → veiligheidsregio → politie-eenheid (RIEC) and gemeente →
provincie → land.

Population comes from the geo tables (CBS 85984NED, summed upwards). A wijk is named by
its CBS name and municipality ("Wijk 00 Binnensingelgebied (Enschede)": many wijken share
a name such as "Centrum"); buurten have no names in the shipped data, so a buurt is named
by its code and municipality.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Sum

from knooppunt.geo.models import (
    District,
    Municipality,
    Neighbourhood,
    PoliceUnit,
    Province,
    SafetyRegion,
)

from . import memo
from .models import COUNTRY_CODE, AreaLevel

POPULATION_SOURCE = "CBS 85984NED, inwoners 1 januari 2024"

PREFIX_LEVEL: dict[str, str] = {
    "BU": AreaLevel.NEIGHBOURHOOD,
    "WK": AreaLevel.DISTRICT,
    "GM": AreaLevel.MUNICIPALITY,
    "VR": AreaLevel.SAFETY_REGION,
    "PE": AreaLevel.POLICE_UNIT,
    "PV": AreaLevel.PROVINCE,
    "NL": AreaLevel.COUNTRY,
}

# Which level a level drills down to (the analyst's path region → buurt).
CHILD_LEVEL: dict[str, str] = {
    AreaLevel.COUNTRY: AreaLevel.POLICE_UNIT,
    AreaLevel.POLICE_UNIT: AreaLevel.SAFETY_REGION,
    AreaLevel.SAFETY_REGION: AreaLevel.MUNICIPALITY,
    AreaLevel.PROVINCE: AreaLevel.MUNICIPALITY,
    AreaLevel.MUNICIPALITY: AreaLevel.DISTRICT,
    AreaLevel.DISTRICT: AreaLevel.NEIGHBOURHOOD,
}


class UnknownArea(LookupError):
    """No area with that level and code."""


@dataclass(frozen=True)
class AreaRef:
    level: str
    code: str
    name: str
    population: int | None
    municipality_code: str | None = None  # for wijk/buurt/gemeente: the municipality


def district_label(code: str, name: str) -> str:
    """What a wijk is called: its CBS name, or (boundaries not loaded) its number."""
    return name or code[2:]


def level_of(code: str) -> str | None:
    """The level a CBS-style code belongs to (None for an unknown prefix)."""
    return PREFIX_LEVEL.get(code[:2].upper()) if code else None


def municipality_code_of(code: str) -> str | None:
    """GM code of a GM/WK/BU code (the 4 digits after the prefix)."""
    if code[:2] in {"GM", "WK", "BU"} and len(code) >= 6:
        return "GM" + code[2:6]
    return None


def _area_model(level: str):
    return {
        AreaLevel.SAFETY_REGION: SafetyRegion,
        AreaLevel.POLICE_UNIT: PoliceUnit,
        AreaLevel.PROVINCE: Province,
    }.get(level)


def _region_population(level: str, codes: Iterable[str] | None) -> dict[str, int]:
    field = {
        AreaLevel.SAFETY_REGION: "safety_region__code",
        AreaLevel.POLICE_UNIT: "safety_region__police_unit__code",
        AreaLevel.PROVINCE: "province__code",
    }[level]
    qs = Municipality.objects.all()
    if codes is not None:
        qs = qs.filter(**{f"{field}__in": list(codes)})
    return {
        row[field]: row["n"] for row in qs.values(field).annotate(n=Sum("population")).order_by()
    }


def areas(level: str, codes: Iterable[str] | None = None) -> list[AreaRef]:
    """The areas of a level (all, or those with the given codes), ordered by name/code.

    Inside `memo.active()` the municipalities are read once (342 rows) and picked from;
    other levels are remembered per set of codes."""
    codes = None if codes is None else list(codes)
    if level == AreaLevel.MUNICIPALITY and memo.is_active():
        every = memo.get(("areas", level), lambda: _read_areas(level, None))
        if codes is None:
            return list(every)
        wanted = set(codes)
        return [a for a in every if a.code in wanted]
    if memo.is_active():
        key = ("areas", level, None if codes is None else tuple(codes))
        return list(memo.get(key, lambda: _read_areas(level, codes)))
    return _read_areas(level, codes)


def _read_areas(level: str, codes: list[str] | None) -> list[AreaRef]:
    if level == AreaLevel.COUNTRY:
        total = Municipality.objects.aggregate(n=Sum("population"))["n"] or 0
        return [AreaRef(level, COUNTRY_CODE, "Nederland", total)]
    if level == AreaLevel.MUNICIPALITY:
        qs = Municipality.objects.all()
        if codes is not None:
            qs = qs.filter(code__in=codes)
        return [AreaRef(level, c, n, p, c) for c, n, p in
                qs.values_list("code", "name", "population")]
    if level in (AreaLevel.DISTRICT, AreaLevel.NEIGHBOURHOOD):
        wijk = level == AreaLevel.DISTRICT
        qs = (District if wijk else Neighbourhood).objects.all()
        if codes is not None:
            qs = qs.filter(code__in=codes)
        return [
            AreaRef(level, c, f"{district_label(c, n) if wijk else c} ({m})", p, mc)
            for c, n, m, mc, p in qs.values_list(
                "code", "name" if wijk else "code", "municipality__name", "municipality__code",
                "population",
            )
        ]
    model = _area_model(level)
    if model is None:
        raise UnknownArea(level)
    qs = model.objects.all()
    if codes is not None:
        qs = qs.filter(code__in=codes)
    population = _region_population(level, codes)
    return [AreaRef(level, c, n, population.get(c, 0)) for c, n in qs.values_list("code", "name")]


def area(level: str, code: str) -> AreaRef:
    if level == AreaLevel.MUNICIPALITY and memo.peek(("areas", level)) is None:
        # One row, not all 342: a page served from the cache looks up only its own area.
        found = _read_areas(level, [code])
    else:
        found = areas(level, [code]) if level != AreaLevel.COUNTRY or code == COUNTRY_CODE \
            else []
    if not found:
        raise UnknownArea(f"{level} {code}")
    return found[0]


def area_by_code(code: str) -> AreaRef:
    level = level_of(code)
    if level is None:
        raise UnknownArea(code)
    return area(level, code)


def children(level: str, code: str, child_level: str | None = None) -> list[AreaRef]:
    """The areas one level down (or at `child_level`) inside an area."""
    child_level = child_level or CHILD_LEVEL.get(level)
    if child_level is None:
        return []
    return areas(child_level, member_codes(level, code, child_level))


@memo.memoised
def member_codes(level: str, code: str, child_level: str) -> list[str]:
    """Codes of the `child_level` areas inside (level, code)."""
    if child_level == AreaLevel.NEIGHBOURHOOD:
        qs = Neighbourhood.objects.all()
        prefix = "neighbourhoods"
    elif child_level == AreaLevel.DISTRICT:
        qs = District.objects.all()
        prefix = "districts"
    elif child_level == AreaLevel.MUNICIPALITY:
        qs = Municipality.objects.all()
        prefix = ""
    elif child_level == AreaLevel.SAFETY_REGION:
        qs, prefix = SafetyRegion.objects.all(), "sr"
    elif child_level == AreaLevel.POLICE_UNIT:
        qs, prefix = PoliceUnit.objects.all(), "pe"
    elif child_level == AreaLevel.PROVINCE:
        qs, prefix = Province.objects.all(), "pv"
    else:
        return []
    if level == AreaLevel.COUNTRY:
        return sorted(qs.values_list("code", flat=True))
    via_municipality = "municipality__" if prefix in ("neighbourhoods", "districts") else ""
    filters: dict[str, dict[str, str]] = {
        AreaLevel.DISTRICT: {"district__code": code} if prefix == "neighbourhoods" else {},
        AreaLevel.MUNICIPALITY: {f"{via_municipality}code": code},
        AreaLevel.SAFETY_REGION: {f"{via_municipality}safety_region__code": code},
        AreaLevel.POLICE_UNIT: {f"{via_municipality}safety_region__police_unit__code": code},
        AreaLevel.PROVINCE: {f"{via_municipality}province__code": code},
    }
    if prefix == "sr":
        filters = {AreaLevel.POLICE_UNIT: {"police_unit__code": code}}
    elif prefix in ("pe", "pv"):
        filters = {}
    condition = filters.get(level)
    if not condition:
        return []
    return sorted(qs.filter(**condition).values_list("code", flat=True))


def municipality_codes_in(level: str, code: str) -> list[str]:
    """The municipalities an area lies in or consists of."""
    if level in (AreaLevel.NEIGHBOURHOOD, AreaLevel.DISTRICT, AreaLevel.MUNICIPALITY):
        found = municipality_code_of(code)
        return [found] if found else []
    return member_codes(level, code, AreaLevel.MUNICIPALITY)
