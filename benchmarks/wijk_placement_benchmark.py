"""Wijk placement benchmark: N points in the 14 Twente municipalities placed in their wijk
by `geo.lookup.districts_at` (one STRtree query per municipality), against the naive way
(for each point, test the municipality's wijken one by one with prepared polygons),
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
import random
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
    from shapely.geometry import Point, shape
    from shapely.prepared import prep

    from knooppunt.geo import lookup
    from knooppunt.geo.models import District, Municipality

    twente = list(Municipality.objects.filter(safety_region__code="VR05"))
    rng = random.Random(14)
    municipality_ids, xs, ys = [], [], []
    shapes = {m.pk: shape(m.boundary) for m in twente}
    while len(xs) < args.points:  # uniform in each municipality's box, kept when inside
        m = rng.choice(twente)
        x, y = rng.uniform(m.min_x, m.max_x), rng.uniform(m.min_y, m.max_y)
        municipality_ids.append(m.pk)
        xs.append(x)
        ys.append(y)
    inside = sum(shapes[m].contains(Point(x, y)) for m, x, y in
                 zip(municipality_ids[:10_000], xs[:10_000], ys[:10_000], strict=True))

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
    print(f"Punten: {args.points:,} in {len(twente)} gemeenten van Twente "
          f"(~{inside / 100:.0f} % binnen de gemeentegrens)")
    print(f"districts_at (STRtree per gemeente): {fast_seconds:.2f} s, {fast_rate:,.0f} punten/s")
    print(f"naïef (per punt de wijken langs, {n:,} punten): {naive_seconds:.2f} s, "
          f"{naive_rate:,.0f} punten/s")
    print(f"verhouding: {fast_rate / naive_rate:.1f}x; geplaatst: "
          f"{sum(f is not None for f in fast) / len(fast):.1%}; "
          f"verschillen met naïef waar die een wijk vond: {differ}")


if __name__ == "__main__":
    main()
