"""Boundaries as GeoJSON in WGS84 (lon, lat), for maps in the browser and the API.

Stored boundaries are RD New metres (see `models`); a browser map wants WGS84. Each area is
projected once and kept (per process) until the geography is reloaded (`clear_cache`).
Coordinates get 6 decimals (about 0.1 m), finer than the metre grid they come from.

These functions read no personal data and apply no need-to-know: callers decide which
municipalities a user may ask for (`organisations.scope`), as `/api/v1/areas` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from .models import District, Municipality
from .projection import geometry_to_wgs84

DECIMALS = 6
ATTRIBUTION = "CBS, Kadaster/PDOK (Wijk- en Buurtkaart 2024, vereenvoudigd)"


@lru_cache(maxsize=4096)
def _wgs84(model_name: str, code: str, boundary_json: str) -> dict[str, Any]:
    geometry = geometry_to_wgs84(shape(json.loads(boundary_json)))
    return mapping(shapely.set_precision(geometry, 10 ** -DECIMALS))


def clear_cache() -> None:
    _wgs84.cache_clear()


def to_wgs84_geometry(model_name: str, code: str, boundary: dict | None) -> dict | None:
    """The GeoJSON geometry of a stored (RD New) boundary in WGS84, or None."""
    if not boundary:
        return None
    return _as_plain(_wgs84(model_name, code, json.dumps(boundary, separators=(",", ":"))))


def _as_plain(geometry: dict) -> dict:
    """shapely's mapping() gives tuples; JSON encoders and tests want lists."""

    def walk(value):
        if isinstance(value, tuple | list):
            return [walk(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def feature(kind: str, code: str, name: str, boundary: dict | None,
            **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": code,
        "geometry": to_wgs84_geometry(kind, code, boundary),
        "properties": {"code": code, "name": name, "level": kind, **properties},
    }


def collection(features: list[dict]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features,
            "attribution": ATTRIBUTION}


def wijk_features(municipality_codes: Iterable[str]) -> dict[str, Any]:
    """The wijken of these municipalities (GM codes) as a WGS84 GeoJSON FeatureCollection.

    Each feature has `id` = wijk code and properties `code`, `name`, `level` ("wijk"),
    `municipality` (GM code), `municipalityName` and `population`. Ordered by code.
    Unknown codes are ignored; the caller has already decided what the user may see.
    """
    rows = (District.objects.filter(municipality__code__in=list(municipality_codes))
            .order_by("code")
            .values_list("code", "name", "boundary", "municipality__code",
                         "municipality__name", "population"))
    return collection([
        feature("wijk", code, name, boundary, municipality=gm, municipalityName=gm_name,
                population=population)
        for code, name, boundary, gm, gm_name, population in rows
    ])


def municipality_features(municipality_codes: Iterable[str]) -> dict[str, Any]:
    """The municipalities (GM codes) as a WGS84 GeoJSON FeatureCollection, like
    `wijk_features` (the municipality's own code in `municipality`)."""
    rows = (Municipality.objects.filter(code__in=list(municipality_codes)).order_by("code")
            .values_list("code", "name", "boundary", "population"))
    return collection([
        feature("gemeente", code, name, boundary, municipality=code, municipalityName=name,
                population=population)
        for code, name, boundary, population in rows
    ])
