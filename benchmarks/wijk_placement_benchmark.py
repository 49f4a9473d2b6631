"""Wijk placement benchmark: N points in the 14 Twente municipalities placed in their wijk
by `geo.lookup.districts_at` (each wijk tests the points in its box at once), against
the naive way (for each point, test the municipality's wijken one by one with prepared polygons),
measured on a sample in the same run, and checked to give the same answers.

    .venv/bin/python benchmarks/wijk_placement_benchmark.py [--points 1000000]
        [--naive-points 20000]

Runs on a fresh SQLite database in a temporary directory (migrated, real geography
loaded). This is the extra work a delivery does when every row has a point and no wijk
from the address register (the worst case; rows without a point cost one pass over a
column).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--naive-points", type=int, default=20_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp())
    os.environ.update(DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
                      DJANGO_SETTINGS_MODULE="knooppunt.settings", KNOOPPUNT_TESTING="1",
                      LOG_LEVEL="WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from knooppunt.geo.loading import load_geography

    load_geography()
    import numpy as np
    import shapely
    from shapely.geometry import Point, shape
    from shapely.prepared import prep

    from knooppunt.geo import lookup
    from knooppunt.geo.models import District, Municipality

    twente = list(Municipality.objects.filter(safety_region__code="VR05"))
    # Points inside their municipality, as intake validation guarantees (a point outside
    # the stated municipality is refused before placement): uniform in the municipality.
    rng = np.random.default_rng(14)
    per = args.points // len(twente) + 1
    municipality_ids, xs, ys = [], [], []
    for m in twente:
        polygon = shape(m.boundary)
        got_x, got_y = np.empty(0), np.empty(0)
        while got_x.size < per:
            x = rng.uniform(m.min_x, m.max_x, per * 2)
            y = rng.uniform(m.min_y, m.max_y, per * 2)
            keep = shapely.contains_xy(polygon, x, y)
            got_x, got_y = np.concatenate([got_x, x[keep]]), np.concatenate([got_y, y[keep]])
        municipality_ids += [m.pk] * per
        xs += got_x[:per].tolist()
        ys += got_y[:per].tolist()
    order = rng.permutation(len(xs))[:args.points]  # a delivery mixes municipalities
    municipality_ids = [municipality_ids[i] for i in order]
    xs, ys = [xs[i] for i in order], [ys[i] for i in order]

    lookup.clear_cache()
    start = time.perf_counter()
    fast = lookup.districts_at(municipality_ids, xs, ys)
    fast_seconds = time.perf_counter() - start

    wijken: dict[int, list[tuple[int, object]]] = {}
    for pk, municipality_id, boundary in District.objects.filter(
            municipality__in=twente).order_by("code").values_list(
            "pk", "municipality_id", "boundary"):
        wijken.setdefault(municipality_id, []).append((pk, prep(shape(boundary))))
    n = min(args.naive_points, args.points)
    start = time.perf_counter()
    naive = []
    for m, x, y in zip(municipality_ids[:n], xs[:n], ys[:n], strict=True):
        point = Point(x, y)
        naive.append(next((pk for pk, polygon in wijken[m] if polygon.intersects(point)), None))
    naive_seconds = time.perf_counter() - start
    # The naive way has no nearest-wijk rule for slivers: compare where it found one.
    differ = sum(1 for a, b in zip(naive, fast[:n], strict=True) if a is not None and a != b)

    fast_rate = args.points / fast_seconds
    naive_rate = n / naive_seconds
    print(f"Punten: {args.points:,} in {len(twente)} gemeenten van Twente, elk binnen zijn "
          "gemeente")
    print(f"districts_at (per wijk contains_xy over de punten in zijn box): "
          f"{fast_seconds:.2f} s, {fast_rate:,.0f} punten/s")
    print(f"naïef (per punt de wijken langs, {n:,} punten): {naive_seconds:.2f} s, "
          f"{naive_rate:,.0f} punten/s")
    print(f"verhouding: {fast_rate / naive_rate:.1f}x; geplaatst: "
          f"{sum(f is not None for f in fast) / len(fast):.1%}; "
          f"verschillen met naïef waar die een wijk vond: {differ}")


if __name__ == "__main__":
    main()
