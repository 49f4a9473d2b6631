"""Work a server process does once at start, so no person's first request pays for it.

Measured on the first hotspot request of a fresh process (decision 0038, amendment):
pyarrow imports pandas the first time it converts dates (about 1 s on the shared 2-core
machine) and pyproj opens its database on the first RD New → WGS84 transform (about
0.5 s). Both happen here, in `knooppunt.wsgi`, before the process takes requests.
"""

from __future__ import annotations


def warm() -> None:
    import pandas  # noqa: F401 - imported for its side effect: pyarrow's date conversion

    from knooppunt.geo.projection import rd_to_lon_lat

    rd_to_lon_lat(155_000.0, 463_000.0)
