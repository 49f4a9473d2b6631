"""The 2024 wijk boundaries (`data/wijk_2024.geojson`, WGS84, simplified): read, keep the
real wijken, repair and project to RD New.

The file holds 3,475 features: the 3,393 wijken and 82 that are not wijken, namely the
81 "Groot water" features (CBS gives each municipality's large water a wijk code ending
in 99) and `WK099899` "Buitenland" (municipality GM0998). They are recognised by name
(`Groot water`) or by that municipality, and only by that: two real wijken have a code
ending in 99 too (`WK010699` Buitengebied, `WK168199` Odoornerveen). The loader checks
the result against the wijken of the buurt table (they must be the same set).

Each wijk was simplified on its own, so 17 geometries are invalid (12 of them wijken);
`shapely.make_valid` repairs them and only the polygonal parts are kept. In RD New the
coordinates are snapped to whole metres with `shapely.set_precision`, which keeps them
valid (rounding the numbers alone could make a ring cross itself again).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from .projection import geometry_to_rd

WIJK_FILE = "wijk_2024.geojson"
WATER_NAME = "Groot water"
ABROAD_MUNICIPALITY = "GM0998"  # "Buitenland"


@dataclass(frozen=True)
class WijkBoundary:
    code: str
    name: str
    municipality_code: str
    geometry: Polygon | MultiPolygon  # RD New, valid
    repaired: bool


def is_wijk(properties: dict) -> bool:
    """False for the water and abroad features that share the wijk layer."""
    return (properties.get("wijknaam") != WATER_NAME
            and properties.get("gemeentecode") != ABROAD_MUNICIPALITY)


def polygonal(geometry) -> Polygon | MultiPolygon:
    """The polygon parts of a geometry (make_valid can add lines where a ring collapsed)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    polygons = [p for part in parts for p in getattr(part, "geoms", [part])]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def to_rd(geometry):
    """A WGS84 (lon, lat) geometry in RD New metres, snapped to whole metres, valid."""
    projected = geometry_to_rd(geometry)
    return polygonal(shapely.make_valid(shapely.set_precision(projected, 1.0)))


def read_wijken(path: Path) -> Iterator[WijkBoundary]:
    """The real wijken of the file, valid and in RD New."""
    with path.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    for feature in collection["features"]:
        props = feature["properties"]
        if not is_wijk(props):
            continue
        geometry = shape(feature["geometry"])
        repaired = not geometry.is_valid
        if repaired:
            geometry = polygonal(shapely.make_valid(geometry))
        yield WijkBoundary(
            code=props["wijkcode"].strip().upper(), name=props["wijknaam"].strip(),
            municipality_code=props["gemeentecode"].strip().upper(),
            geometry=to_rd(geometry), repaired=repaired,
        )
