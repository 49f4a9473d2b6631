"""Where events lie: lat/lon <-> the dataset's projected CRS (pyproj, arrays at a time),
the declared area, and the Dutch municipality by point-in-polygon (shapely's STRtree).

Whole batches are transformed and placed at once; only the rows that fail are looked at
one by one, for their reasons.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError


class UnknownCRS(ValueError):
    """The EPSG code names no projected CRS in metres."""


def check_crs(epsg: int) -> CRS:
    """The projected CRS of `epsg`; UnknownCRS (Dutch message) when it is not one."""
    try:
        crs = CRS.from_epsg(int(epsg))
    except (CRSError, ValueError, TypeError) as exc:
        raise UnknownCRS(_("EPSG:%(code)s is geen bekend coördinatenstelsel.")
                         % {"code": epsg}) from exc
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if not crs.is_projected or unit not in ("metre", "meter"):
        raise UnknownCRS(_("EPSG:%(code)s is geen geprojecteerd stelsel in meters; kies "
                           "bijv. 28992 (RD New) of de UTM-zone van het gebied.")
                         % {"code": epsg})
    return crs


@lru_cache(maxsize=16)
def to_projected(epsg: int) -> Transformer:
    return Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)


@lru_cache(maxsize=16)
def to_wgs84(epsg: int) -> Transformer:
    return Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)


def project(epsg: int, latitude: np.ndarray, longitude: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) in metres of EPSG:`epsg` for arrays of WGS84 latitude and longitude."""
    x, y = to_projected(epsg).transform(longitude, latitude)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def unproject(epsg: int, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(latitude, longitude) for arrays of x and y in EPSG:`epsg`."""
    lon, lat = to_wgs84(epsg).transform(x, y)
    return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)


class MunicipalityPlacer:
    """The municipality (pk) holding each RD point, or None; one tree per delivery."""

    def __init__(self) -> None:
        from knooppunt.geo.models import Municipality

        self.ids: list[int] = []
        geometries = []
        for pk, boundary in Municipality.objects.values_list("pk", "boundary"):
            if boundary:
                self.ids.append(pk)
                geometries.append(shapely.geometry.shape(boundary))
        self.tree = shapely.STRtree(geometries)

    def place(self, x: np.ndarray, y: np.ndarray) -> list[int | None]:
        found: list[int | None] = [None] * len(x)
        if not len(x) or not self.ids:
            return found
        points = shapely.points(x, y)
        pairs = self.tree.query(points, predicate="intersects")
        for point_index, tree_index in zip(pairs[0].tolist(), pairs[1].tolist(), strict=True):
            if found[point_index] is None:  # on a shared border: the first one
                found[point_index] = self.ids[tree_index]
        return found
