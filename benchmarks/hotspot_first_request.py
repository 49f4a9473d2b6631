"""The first hotspot request of a fresh server process, before and after the grid cache.

    KNOOPPUNT_DEMO=1 DATABASE_URL=... KNOOPPUNT_DATA_DIR=... \\
    .venv/bin/python benchmarks/hotspot_first_request.py [--area VR05] [--cell 250 500] \\
        [--rounds 3] [--user analist.riec] [--theme drugsdump]

Runs against an existing demo (`knooppunt demo`). Each measurement is a new Python
process (as a new gunicorn worker) that sets Django up and then answers one hotspot
request as `--user` — `hotspot_service.compute`, `geojson` and the JSON text the API sends
— timed from the request's start, twice in the same process (first and second request).
Three ways, in one run, `--rounds` times each, median printed:

* before: grid cache off (`KNOOPPUNT_HOTSPOT_GRID_CACHE=0`), nothing warmed at start —
  the code as it was;
* after, no file: the cache on but its directory emptied — the very first request of an
  area and cell size on this server (the grid is built and written);
* after: the cache file there and `knooppunt.warm.warm()` run at process start (as
  `knooppunt.wsgi` does; its time is printed apart, it is not a person's wait).

The 1-minute load is printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knooppunt.settings")
django.setup()
from datetime import date
from django.contrib.auth import get_user_model
from knooppunt.analytics import hotspot_service as s
area, cell, user, theme = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
warm = sys.argv[5] == "1"
boot = 0.0
if warm:
    t = time.perf_counter()
    from knooppunt.warm import warm as do_warm
    do_warm()
    boot = time.perf_counter() - t
person = get_user_model().objects.get(username=user)
start, end = s.default_period(date.today())
query = s.Query(area=area, start=start, end=end, cell_size=cell, theme=theme)
times = []
for _ in range(2):
    t = time.perf_counter()
    body = json.dumps(s.geojson(s.compute(person, query)))
    times.append(time.perf_counter() - t)
print(json.dumps({"first": times[0], "second": times[1], "boot": boot, "bytes": len(body)}))
"""


def load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def child(args, cell: int, cache: bool, warm: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"),
               KNOOPPUNT_HOTSPOT_GRID_CACHE="1" if cache else "0")
    env.pop("KNOOPPUNT_TESTING", None)
    out = subprocess.run([sys.executable, "-c", CHILD, args.area, str(cell), args.user,  # noqa: S603
                          args.theme, "1" if warm else "0"],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default="VR05")
    parser.add_argument("--cell", type=int, nargs="+", default=[250, 500])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--user", default="analist.riec")
    parser.add_argument("--theme", default="drugsdump")
    args = parser.parse_args()
    data_dir = Path(os.environ.get("KNOOPPUNT_DATA_DIR", Path.cwd() / "var")).resolve()
    cache = data_dir / "cache" / "hotspot-grids"
    print(f"area {args.area}, theme {args.theme}, as {args.user}; load {load()}")
    for cell in args.cell:
        results = {"before": [], "after, no file": [], "after": []}
        for _ in range(args.rounds):
            results["before"].append(child(args, cell, cache=False, warm=False))
            shutil.rmtree(cache, ignore_errors=True)
            results["after, no file"].append(child(args, cell, cache=True, warm=True))
            results["after"].append(child(args, cell, cache=True, warm=True))
        print(f"\n{cell} m cells ({results['after'][0]['bytes'] / 1e6:.1f} MB of GeoJSON)")
        print(f"{'':16} {'first request':>14} {'second':>8} {'start-up':>9}")
        for name, rows in results.items():
            med = {k: statistics.median(r[k] for r in rows) for k in ("first", "second", "boot")}
            print(f"{name:16} {med['first']:13.3f}s {med['second']:7.3f}s {med['boot']:8.3f}s")
    print(f"\nload {load()}")


if __name__ == "__main__":
    main()
