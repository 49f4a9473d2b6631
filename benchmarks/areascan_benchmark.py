"""Area scan benchmark: the gebiedsscan of every Enschede wijk on the demo region.

    .venv/bin/python benchmarks/areascan_benchmark.py [--data-dir var/areascan-bench]
        [--municipality GM0153] [--rounds 5] [--user analist.enschede]

1. Builds the demo (Twente) in its own data directory with `knooppunt demo --no-serve`,
   unless it is there already (SQLite, as the README's demo).
2. Baseline, in the same run: the municipality factsheet's data (`gather` of the
   factsheet builder for the same municipality and this year, with an empty figure
   cache), the nearest thing Knooppunt had to a picture of one area.
3. `areas.resolve` + `areascan.scan` of every wijk of the municipality, `--rounds` times,
   as the analyst (with the lists that name addresses, and the log rows they write) and
   as the mayor (aggregates only); also the whole municipality and a 500 m buffer around
   an address in it; and the page `/gebiedsscan/?gebied=<wijk>` through Django's test
   client (render, map, tables).
4. Prints p50/p95 of wall and CPU time per step (and the load average: the machine may
   be shared) and the ratio of the p50s to the baseline's. The goal of issue 14: an area
   scan of a wijk answers in under 1 second p95 on the demo.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from report_benchmark import _build_demo  # noqa: E402 - the benchmarks share the build

GOAL_SECONDS = 1.0


def _p(values: list[float], q: int) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[q - 1]


def _line(label: str, values: list[tuple[float, float]],
          baseline: float | None = None) -> str:
    wall = [w for w, _cpu in values]
    cpu = [c for _wall, c in values]
    ratio = f"  {_p(wall, 50) / baseline:5.2f}x baseline p50" if baseline else ""
    return (f"  {label:<40} wall p50 {_p(wall, 50) * 1000:7.1f} ms  "
            f"p95 {_p(wall, 95) * 1000:7.1f} ms   cpu p50 {_p(cpu, 50) * 1000:7.1f} ms  "
            f"p95 {_p(cpu, 95) * 1000:7.1f} ms  (n={len(values)}){ratio}")


def _timed(function, *args, **kwargs) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): SQLite runs in the process, so the
    CPU figure is all the work; on a shared machine the wall figure also holds waiting."""
    started, cpu = time.perf_counter(), time.process_time()
    function(*args, **kwargs)
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "areascan-bench"))
    parser.add_argument("--municipality", default="GM0153")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--user", default="analist.enschede")
    parser.add_argument("--mayor", default="burgemeester.enschede")
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    _build_demo(data_dir)
    os.environ["KNOOPPUNT_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knooppunt.settings")
    os.environ.setdefault("KNOOPPUNT_DEMO", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from knooppunt.analytics import areas, areascan
    from knooppunt.dashboards.figures import figure_cache
    from knooppunt.geo.models import District
    from knooppunt.registers.models import Address
    from knooppunt.reports.builders import get as builder
    from knooppunt.reports.builders.base import Subject, SubjectKind
    from knooppunt.reports.periods import parse as parse_period

    setup_test_environment()
    settings.KNOOPPUNT_REQUIRE_2FA_ROLES = []  # the page through the test client
    users = get_user_model().objects
    analyst, mayor = users.get(username=args.user), users.get(username=args.mayor)
    wijken = list(District.objects.filter(municipality__code=args.municipality)
                  .values_list("code", flat=True))
    year = timezone.localdate().year
    print(f"{len(wijken)} wijken of {args.municipality}; {Address.objects.count()} "
          f"addresses in the register; {args.rounds} rounds")

    factsheet = builder("factsheet")
    subject = Subject(SubjectKind.MUNICIPALITY, args.municipality, args.municipality)
    period = parse_period(str(year))
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    factsheet.gather(mayor, subject, period)  # warm-up: start-up costs, not measured
    baseline = []
    for _round in range(args.rounds):
        figure_cache().clear()
        baseline.append(_timed(factsheet.gather, mayor, subject, period))

    def scan(user, **where):
        areascan.scan(user, areas.resolve(user, **where))

    scan(analyst, area=wijken[0])  # warm-up
    results: dict[str, list[tuple[float, float]]] = {}
    for _round in range(args.rounds):
        for code in wijken:
            results.setdefault("wijk scan (analist, with lists + log)", []).append(
                _timed(scan, analyst, area=code))
            results.setdefault("wijk scan (burgemeester, aggregates)", []).append(
                _timed(scan, mayor, area=code))
        results.setdefault("municipality scan (analist)", []).append(
            _timed(scan, analyst, area=args.municipality))
    address = Address.objects.filter(municipality__code=args.municipality).first()
    for _round in range(args.rounds):
        results.setdefault("500 m buffer scan (analist)", []).append(
            _timed(scan, analyst, address=address.nummeraanduiding_id, radius=500))
    from knooppunt.web import second_factor

    second_factor.owes_second_factor = lambda *a, **k: False  # force_login has no code
    client = Client()
    client.force_login(analyst)
    for _round in range(args.rounds):
        for code in wijken:
            results.setdefault("page /gebiedsscan/?gebied=<wijk>", []).append(_timed(
                client.get, f"/gebiedsscan/?gebied={code}", HTTP_HOST="127.0.0.1"))

    base = _p([w for w, _c in baseline], 50)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print("baseline (same run):")
    print(_line("factsheet gather, municipality (cold cache)", baseline))
    print("area scan:")
    for label, values in results.items():
        print(_line(label, values, base))
    wijk = results["wijk scan (analist, with lists + log)"]
    for name, values in (("wall", [w for w, _c in wijk]), ("cpu", [c for _w, c in wijk])):
        met = _p(values, 95) < GOAL_SECONDS
        print(f"goal (issue 14): a wijk's scan under {GOAL_SECONDS:.0f} s p95 ({name}): "
              f"{_p(values, 95):.3f} s -> {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
