"""Decoding TopoJSON (quantised, delta-encoded arcs) into GeoJSON geometries.

The format is small and fixed (https://github.com/topojson/topojson-specification);
decoding needs no library.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    decoded = []
    for arc in topology["arcs"]:
        if transform:
            sx, sy = transform["scale"]
            tx, ty = transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        decoded.append(points)
    return decoded


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[list[float]]:
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining point; keep it once.
        ring.extend(points if not ring else points[1:])
    return [list(p) for p in ring]


def features(topology: dict[str, Any], object_name: str) -> Iterator[dict[str, Any]]:
    """Yield GeoJSON features (Polygon or MultiPolygon) of one TopoJSON object."""
    arcs = _decode_arcs(topology)
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry["type"]
        if kind == "Polygon":
            coordinates = [_ring(arcs, ring) for ring in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[_ring(arcs, ring) for ring in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        yield {
            "type": "Feature",
            "id": geometry.get("id"),
            "properties": geometry.get("properties", {}),
            "geometry": {"type": kind, "coordinates": coordinates},
        }
