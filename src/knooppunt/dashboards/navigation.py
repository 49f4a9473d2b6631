"""Where an area sits: its parents for the breadcrumb (land → … → buurt).

Reads only codes and names of areas (no figures), so it needs no scope; whether the
user may see the figures of each step is asked of `monitoring.queries` by the view.
"""

from __future__ import annotations

from dataclasses import dataclass

from knooppunt.geo.models import District, Municipality, Neighbourhood, SafetyRegion
from knooppunt.monitoring.areas import district_label
from knooppunt.monitoring.models import COUNTRY_CODE, AreaLevel


@dataclass(frozen=True)
class Crumb:
    level: str
    code: str
    name: str


def parents(level: str, code: str) -> list[Crumb]:
    """The areas above (level, code), from the country down; the area itself not included."""
    chain: list[Crumb] = []
    municipality = None
    if level == AreaLevel.NEIGHBOURHOOD:
        buurt = Neighbourhood.objects.select_related("district", "municipality").filter(
            code=code).first()
        if buurt is None:
            return []
        chain.append(Crumb(AreaLevel.DISTRICT, buurt.district.code,
                           district_label(buurt.district.code, buurt.district.name)))
        municipality = buurt.municipality
    elif level == AreaLevel.DISTRICT:
        wijk = District.objects.select_related("municipality").filter(code=code).first()
        if wijk is None:
            return []
        municipality = wijk.municipality
    elif level == AreaLevel.MUNICIPALITY:
        municipality = None
        region = (Municipality.objects.select_related("safety_region__police_unit")
                  .filter(code=code).first())
        if region is None:
            return []
        return _region_chain(region.safety_region)
    elif level == AreaLevel.SAFETY_REGION:
        region = SafetyRegion.objects.select_related("police_unit").filter(code=code).first()
        if region is None:
            return []
        return _region_chain(region)[:-1]
    elif level in (AreaLevel.POLICE_UNIT, AreaLevel.PROVINCE):
        return [Crumb(AreaLevel.COUNTRY, COUNTRY_CODE, "Nederland")]
    else:
        return []
    if municipality is not None:
        municipality = Municipality.objects.select_related(
            "safety_region__police_unit").get(pk=municipality.pk)
        chain.append(Crumb(AreaLevel.MUNICIPALITY, municipality.code, municipality.name))
        chain = _region_chain(municipality.safety_region) + list(reversed(chain))
    return chain


def _region_chain(region: SafetyRegion | None) -> list[Crumb]:
    chain = [Crumb(AreaLevel.COUNTRY, COUNTRY_CODE, "Nederland")]
    if region is None:
        return chain
    if region.police_unit_id:
        unit = region.police_unit
        chain.append(Crumb(AreaLevel.POLICE_UNIT, unit.code, unit.name))
    chain.append(Crumb(AreaLevel.SAFETY_REGION, region.code, region.name))
    return chain
