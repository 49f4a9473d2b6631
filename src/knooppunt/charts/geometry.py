"""RD New (EPSG:28992) geometry to SVG: frame, paths, label anchors, scale bar.

Shared by the choropleths (`charts.choropleth`), the hotspot map and the area-scan map.
Simplified outlines are cached per area code and tolerance: boundaries change once a year,
and simplifying 342 municipalities on every request would cost more than the page itself.
"""

from __future__ import annotations

from functools import lru_cache

from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import polylabel

from .labels import Box

WIDTH = 800
MARGIN = 14


class Frame:
    """RD New metres to SVG units: x to the right, y downwards, fixed width."""

    def __init__(self, bounds: tuple[float, float, float, float], width: float = WIDTH):
        self.min_x, self.min_y, self.max_x, self.max_y = bounds
        span = max(self.max_x - self.min_x, 1.0)
        self.scale = (width - 2 * MARGIN) / span
        self.width = width
        self.height = (self.max_y - self.min_y) * self.scale + 2 * MARGIN

    def point(self, x: float, y: float) -> tuple[float, float]:
        return MARGIN + (x - self.min_x) * self.scale, MARGIN + (self.max_y - y) * self.scale

    def contains(self, x: float, y: float) -> bool:
        return self.min_x <= x <= self.max_x and self.min_y <= y <= self.max_y

    def path(self, geometry) -> str:
        parts = []
        for polygon in polygons(geometry):
            for ring in [polygon.exterior, *polygon.interiors]:
                points = [self.point(x, y) for x, y in ring.coords]
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        return "".join(parts)


def polygons(geometry) -> list[Polygon]:
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    if isinstance(geometry, Polygon):
        return [geometry]
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]


def label_anchor(geometry) -> tuple[float, float]:
    """The point inside the largest part that lies furthest from its edges."""
    largest = max(polygons(geometry), key=lambda p: p.area)
    point = polylabel(largest, tolerance=50)
    return point.x, point.y


def _fingerprint(boundary: dict) -> tuple:
    """Cheap identity of a boundary: type, number of parts, first and last vertex."""
    coordinates = boundary.get("coordinates") or []
    ring = coordinates
    while ring and isinstance(ring[0], list) and ring[0] and isinstance(ring[0][0], list):
        ring = ring[0]
    ends = (tuple(ring[0]), tuple(ring[-1]), len(ring)) if ring else ()
    return boundary.get("type"), len(coordinates), ends


_SHAPES: dict[tuple, object] = {}


def area_shape(code: str, boundary: dict):
    """The shapely geometry of an area's GeoJSON boundary, parsed once per process."""
    key = (code, _fingerprint(boundary))
    geometry = _SHAPES.get(key)
    if geometry is None:
        geometry = _SHAPES[key] = shape(boundary)
    return geometry


@lru_cache(maxsize=8192)
def _simplified(key: tuple, tolerance_m: int):
    return _SHAPES[key].simplify(tolerance_m, preserve_topology=True)


def simplified_shape(code: str, boundary: dict, tolerance: float):
    """The area simplified to `tolerance` metres (whole metres, at least 1), cached."""
    area_shape(code, boundary)
    return _simplified((code, _fingerprint(boundary)), max(int(tolerance), 1))


def scale_bar(frame: Frame) -> tuple[str, Box]:
    """A bar of a round number of kilometres in the lower right corner."""
    target = (frame.width - 2 * MARGIN) / 5 / frame.scale / 1000
    km = next((s for s in (1, 2, 5, 10, 20, 50, 100) if s >= target * 0.6), 100)
    length = km * 1000 * frame.scale
    x1 = frame.width - MARGIN
    x0 = x1 - length
    y = frame.height - MARGIN / 2 - 4
    svg = (
        f'<g class="scale-bar"><rect x="{x0 - 4:.1f}" y="{y - 16:.1f}" width="{length + 8:.1f}" '
        f'height="24" fill="#fff" fill-opacity=".85"/>'
        f'<path d="M{x0:.1f},{y - 4:.1f}V{y:.1f}H{x1:.1f}V{y - 4:.1f}" fill="none" '
        f'stroke="#1b1b1b" stroke-width="1.5"/>'
        f'<text x="{(x0 + x1) / 2:.1f}" y="{y - 6:.1f}" text-anchor="middle">{km} km</text></g>'
    )
    return svg, Box(x0 - 4, y - 16, x1 + 4, y + 8)
