"""A drawn area for the area scan: a GeoJSON Polygon in WGS84, checked, never repaired.

`drawn_area(user, geometry)` turns what a person drew on the map into a `ScanArea` of
kind "getekend", or raises `areas.AreaError` (400 with the reason, 403 outside the
user's municipalities). What is refused, each with its own message: no GeoJSON Polygon;
positions that are not two finite numbers; a ring that is not closed or has fewer than
four positions (three corners); coordinates outside the Netherlands (or latitude and
longitude swapped); more corners than `KNOOPPUNT_AREASCAN_MAX_VERTICES`; an empty area;
an invalid polygon (self-intersection, a hole outside its shell: shapely's reason is
given; nothing is "made valid" silently, because a repaired polygon is another area than
the one drawn); an area larger than `KNOOPPUNT_AREASCAN_MAX_POLYGON_KM2`; a polygon that
reaches into a municipality the user's organisations do not serve or lies outside every
municipality. Nothing is stored.

Which records lie inside is decided in the database, exactly, by `inside_q`: the even-odd
rule (a ray to the east crosses the outline an odd number of times) written as one SQL
expression over the x/y columns, behind the bounding box. It runs on SQLite and
PostgreSQL alike, needs no spatial extension and no list of ids.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
from functools import reduce

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Mod
from django.db.models.lookups import Exact, LessThan
from django.utils.translation import gettext as _
from shapely.geometry import Polygon
from shapely.validation import explain_validity

from knooppunt.geo.models import Municipality
from knooppunt.geo.projection import WGS84_BOUNDS, geometry_to_rd
from knooppunt.organisations import scope

from .areas import AreaError, ScanArea

KIND = "getekend"
FIELD = "polygon"


def max_vertices() -> int:
    return int(getattr(settings, "KNOOPPUNT_AREASCAN_MAX_VERTICES", 200))


def max_km2() -> float:
    return float(getattr(settings, "KNOOPPUNT_AREASCAN_MAX_POLYGON_KM2", 25))


def _refuse(message: str, status: int = 400) -> AreaError:
    return AreaError(message, status, FIELD)


def _position(value: object) -> tuple[float, float]:
    if (not isinstance(value, list | tuple) or len(value) not in (2, 3)
            or not all(isinstance(n, int | float) and not isinstance(n, bool)
                       for n in value)
            or not all(math.isfinite(n) for n in value)):
        raise _refuse(_("Elk punt is een paar getallen: [lengtegraad, breedtegraad]."))
    return float(value[0]), float(value[1])


def _rings(geometry: object) -> list[list[tuple[float, float]]]:
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        raise _refuse(_("Geef het getekende gebied als GeoJSON-geometrie van het type "
                        "Polygon (WGS84)."))
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise _refuse(_("Het getekende gebied is leeg: er zijn geen punten."))
    rings = []
    for ring in coordinates:
        if not isinstance(ring, list):
            raise _refuse(_("Elke ring is een lijst van punten."))
        points = [_position(p) for p in ring]
        if len(points) < 4 or len(set(points)) < 3:
            raise _refuse(_("Te weinig punten: een gebied heeft minstens drie "
                            "verschillende hoeken."))
        if points[0] != points[-1]:
            raise _refuse(_("De ring is niet gesloten: het laatste punt moet gelijk zijn "
                            "aan het eerste."))
        rings.append(points)
    return rings


def parse(geometry: object) -> Polygon:
    """The drawn polygon in RD New, or AreaError (400) with the reason."""
    rings = _rings(geometry)
    corners = sum(len(r) - 1 for r in rings)
    if corners > max_vertices():
        raise _refuse(_("Te veel hoekpunten: %(n)s, hoogstens %(max)s.") % {
            "n": corners, "max": max_vertices()})
    lon_min, lat_min, lon_max, lat_max = WGS84_BOUNDS
    for ring in rings:
        for lon, lat in ring:
            if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
                swapped = lon_min <= lat <= lon_max and lat_min <= lon <= lat_max
                raise _refuse(_("Een punt ligt buiten Nederland%(hint)s: GeoJSON geeft "
                                "eerst de lengtegraad, dan de breedtegraad.") % {
                    "hint": _(" (lengte- en breedtegraad verwisseld?)") if swapped else ""})
    polygon = Polygon(rings[0], rings[1:])
    # Corners on one line enclose nothing; a symmetric bow tie has area 0 too, but its
    # hull does not, and it is refused below as crossing itself.
    if polygon.is_empty or polygon.convex_hull.area == 0:
        raise _refuse(_("Het getekende gebied is leeg (de punten liggen op een lijn)."))
    if not polygon.is_valid:
        raise _refuse(_("Het getekende gebied is geen geldige veelhoek (%(why)s). Teken "
                        "het opnieuw zonder dat lijnen elkaar kruisen.") % {
            "why": explain_validity(polygon)})
    projected = geometry_to_rd(polygon)
    km2 = projected.area / 1_000_000
    if km2 > max_km2():
        raise _refuse(_("Het getekende gebied is te groot: %(area).1f km², hoogstens "
                        "%(max)s km². Kies een gemeente of teken een kleiner gebied.") % {
            "area": km2, "max": f"{max_km2():g}"})
    return projected


def drawn_area(user, geometry: object, name: str = "") -> ScanArea:
    """The ScanArea of a drawn polygon, or AreaError (see the module docstring)."""
    from shapely.geometry import shape

    polygon = parse(geometry)
    min_x, min_y, max_x, max_y = polygon.bounds
    served = set(scope.municipalities_for(user).values_list("pk", flat=True))
    overlaps: list[tuple[float, Municipality]] = []
    for municipality in (Municipality.objects.select_related("safety_region")
                         .exclude(boundary__isnull=True)):
        boundary = shape(municipality.boundary)
        bx0, by0, bx1, by1 = boundary.bounds
        if bx1 < min_x or bx0 > max_x or by1 < min_y or by0 > max_y:
            continue
        shared = boundary.intersection(polygon).area
        # A sliver along a simplified boundary (< 0.5 % of the area) is not "in" it.
        if shared > polygon.area * 0.005:
            overlaps.append((shared, municipality))
    if not overlaps:
        raise _refuse(_("Het getekende gebied ligt buiten de gemeenten van Nederland."), 403)
    outside = sorted(m.name for _a, m in overlaps if m.pk not in served)
    if outside:
        raise _refuse(_("Het getekende gebied ligt (deels) buiten de gemeenten van uw "
                        "organisatie: %(names)s.") % {"names": ", ".join(outside)}, 403)
    overlaps.sort(key=lambda pair: (-pair[0], pair[1].code))
    main = overlaps[0][1]
    digest = hashlib.sha256(json.dumps(
        [[round(x, 1), round(y, 1)] for x, y in polygon.exterior.coords]).encode()
    ).hexdigest()[:12]
    label = name.strip()[:80] or _("getekend gebied")
    return ScanArea(KIND, f"getekend-{digest}",
                    _("%(name)s (%(area).2f km²)") % {"name": label,
                                                      "area": polygon.area / 1_000_000},
                    main, main.safety_region, polygon=polygon)


def inside_q(polygon: Polygon, prefix: str = "") -> Q:
    """Rows whose `<prefix>x_rd`, `<prefix>y_rd` lie inside `polygon` (RD New)."""
    x, y = F(f"{prefix}x_rd"), F(f"{prefix}y_rd")
    min_x, min_y, max_x, max_y = polygon.bounds
    box = Q(**{f"{prefix}x_rd__gte": min_x, f"{prefix}x_rd__lte": max_x,
               f"{prefix}y_rd__gte": min_y, f"{prefix}y_rd__lte": max_y})
    crossings = []
    for ring in (polygon.exterior, *polygon.interiors):
        coords = list(ring.coords)
        for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False):
            if y1 == y2:
                continue  # a horizontal edge is never crossed by a horizontal ray
            slope = (x2 - x1) / (y2 - y1)
            # The ray from (x, y) eastwards crosses the edge when y is in [low, high) and
            # x lies west of the edge: x < x1 + (y - y1) * slope.
            crossings.append(Case(When(
                Q(**{f"{prefix}y_rd__gte": min(y1, y2), f"{prefix}y_rd__lt": max(y1, y2)})
                & Q(LessThan(x - y * Value(slope), Value(x1 - y1 * slope))),
                then=Value(1)), default=Value(0), output_field=IntegerField()))
    odd = Exact(Mod(reduce(operator.add, crossings), Value(2)), Value(1))
    return box & Q(odd)
