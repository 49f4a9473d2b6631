"""RD New (EPSG:28992) <-> WGS84 (EPSG:4326) with pyproj."""

from __future__ import annotations

from functools import lru_cache

from pyproj import Transformer

# Bounding box of the Netherlands in RD New, land and territorial waters, with margin.
RD_BOUNDS = (0.0, 300_000.0, 290_000.0, 630_000.0)
WGS84_BOUNDS = (3.2, 50.7, 7.3, 53.7)  # lon_min, lat_min, lon_max, lat_max


@lru_cache(maxsize=1)
def _to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


@lru_cache(maxsize=1)
def _to_rd() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


def rd_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """Return (latitude, longitude)."""
    lon, lat = _to_wgs84().transform(x, y)
    return lat, lon


def rd_to_lon_lat(x, y):
    """Many RD New points at once (arrays of any shape): (longitudes, latitudes)."""
    return _to_wgs84().transform(x, y)


def wgs84_to_rd(latitude: float, longitude: float) -> tuple[float, float]:
    """Return (x, y) in RD New metres."""
    return _to_rd().transform(longitude, latitude)


def _transform_geometry(geometry, transformer: Transformer):
    import numpy as np
    import shapely

    def project(coords):
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, project)


def geometry_to_rd(geometry):
    """A shapely geometry in WGS84 (lon, lat) projected to RD New, all coordinates at once."""
    return _transform_geometry(geometry, _to_rd())


def geometry_to_wgs84(geometry):
    """A shapely geometry in RD New projected to WGS84 (lon, lat, GeoJSON order)."""
    return _transform_geometry(geometry, _to_wgs84())
