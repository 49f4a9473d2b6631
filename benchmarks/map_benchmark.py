"""Map benchmark: 100,000 signal points of a region in Chromium, time to rendered.

    tools/install_chromium.sh; ./run.sh demo --no-serve   # venv, MapLibre built
    .venv/bin/python benchmarks/map_benchmark.py [--data-dir var/map-bench]
        [--points 100000] [--rounds 5] [--database-url postgresql://...]

1. Builds a small demo (Twente, one year, `knooppunt demo --no-serve --years 1 --scale
   0.2`) in its own data directory, unless it is there already.
2. Adds `--points` synthetic signals of the last 12 months (project data: random places
   inside the real boundaries of the 14 Twente municipalities, reported by Gemeente
   Enschede so its case worker may open them all); earlier benchmark signals are removed
   first, so the count is exact (kept when a previous run left exactly as many).
3. Serves it with `knooppunt serve` (gunicorn, as in production) and opens /kaart/ in
   headless Debian chromium (Playwright) as `medewerker.enschede`, `--rounds` times:
   - the goal: switching the points layer on to all points drawn (the first frame with
     them, `gl.finish()`), through the compact layer `/api/v1/map/points/signals`
     (decision 0040), split into the API answer (request to typed arrays: scoped query,
     log row, binary columns, transfer) and the browser's part (colours, one GPU buffer,
     the frame);
   - baseline, in the same page and round: the same points through the GeoJSON layer
     `/api/v1/map/signals` (request, JSON.parse, positions projected in the browser, the
     same GPU layer and frame) — the path of decision 0036 that API users keep;
   - for scale: navigation to the areas layer rendered (the map without points).
4. Prints p50/p95 of each, the ratio compact / GeoJSON, and the goal of issue 14: the
   interactive map shows 100,000 signal points of a region in under 1 second.
Headless chromium draws with its software renderer (SwiftShader): a real GPU is faster.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))
GOAL_SECONDS = 1.0
USER = "medewerker.enschede"
REFERENCE_PREFIX = "KNP-BENCH-"


def _knooppunt(*args: str) -> list[str]:
    return [sys.executable, "-m", "knooppunt.cli", *args]


def build_demo(data_dir: Path) -> None:
    marker = data_dir / "demo-built"
    if marker.exists():
        return
    print("demo opbouwen (eenmalig) …", flush=True)
    subprocess.run(_knooppunt("demo", "--no-serve", "--years", "1", "--scale", "0.2"),  # noqa: S603
                   check=True, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    marker.touch()


def add_points(count: int, seed: int = 14) -> int:
    """`count` signals at random places in Twente; returns the signals the user may open."""
    import django

    django.setup()
    import datetime as dt

    import numpy as np
    import shapely
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from shapely.geometry import shape

    from knooppunt.geo.models import Municipality
    from knooppunt.geo.projection import _to_wgs84
    from knooppunt.organisations import scope
    from knooppunt.organisations.models import Confidentiality, Organisation
    from knooppunt.signals.models import Signal
    from knooppunt.taxonomy.models import SourceType, Theme

    user = get_user_model().objects.get(username=USER)
    since = timezone.localdate() - dt.timedelta(days=365)
    bench = Signal.objects.filter(reference__startswith=REFERENCE_PREFIX)
    if bench.count() == count and not bench.filter(received_on__lt=since).exists():
        return scope.signals_for(user).filter(received_on__gte=since, x_rd__isnull=False).count()
    bench.delete()
    rng = np.random.default_rng(seed)
    municipalities = list(Municipality.objects.filter(safety_region__code="VR05"))
    shapes = [shape(m.boundary) for m in municipalities]
    areas = np.array([s.area for s in shapes])
    per_area = rng.multinomial(count, areas / areas.sum())
    organisation = Organisation.objects.get(name="Gemeente Enschede")
    themes = list(Theme.objects.values_list("pk", flat=True))
    source = SourceType.objects.order_by("pk").first()
    today = timezone.localdate()
    rows = []
    for municipality, geometry, n in zip(municipalities, shapes, per_area, strict=True):
        min_x, min_y, max_x, max_y = geometry.bounds
        xs, ys = np.empty(0), np.empty(0)
        while len(xs) < n:
            cx = rng.uniform(min_x, max_x, n * 3)
            cy = rng.uniform(min_y, max_y, n * 3)
            inside = shapely.contains_xy(geometry, cx, cy)
            xs, ys = np.concatenate([xs, cx[inside]]), np.concatenate([ys, cy[inside]])
        xs, ys = xs[:n], ys[:n]
        lon, lat = _to_wgs84().transform(xs, ys)
        days = rng.integers(0, 365, n)
        for i in range(n):
            rows.append(Signal(
                reference=f"{REFERENCE_PREFIX}{len(rows):07d}", theme_id=int(rng.choice(themes)),
                source_type=source, received_on=today - dt.timedelta(days=int(days[i])),
                municipality=municipality, description="Benchmarksignaal (synthetisch)",
                confidentiality=Confidentiality.NORMAAL, reporting_organisation=organisation,
                is_synthetic=True, x_rd=float(xs[i]), y_rd=float(ys[i]),
                latitude=round(float(lat[i]), 7), longitude=round(float(lon[i]), 7)))
    Signal.objects.bulk_create(rows, batch_size=2000)
    return scope.signals_for(user).filter(received_on__gte=since, x_rd__isnull=False).count()


GEOJSON_BASELINE = """async () => {
  const probe = window.__kpMap;
  probe.timings.pointsRendered = undefined;
  const requested = performance.now();
  const api = JSON.parse(document.getElementById("map-config").textContent).api;
  const response = await fetch(`${api.signals}?${probe.query()}`, {credentials: "same-origin"});
  const body = await response.json();
  const fetched = performance.now();
  probe.points.setData(body.features);
  return {requested, fetched, count: body.features.length};
}"""


def measure(base: str, rounds: int) -> tuple[list[float], list[dict], list[dict], int]:
    from browser_session import launch, log_in, wait_until
    from playwright.sync_api import sync_playwright

    baseline, runs, geojson, count = [], [], [], 0
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        page = context.new_page()
        log_in(page, base, USER)
        for _ in range(rounds + 1):  # the first round warms the server's caches
            page.goto(base + "/kaart/")
            wait_until(page, "window.__kpMap && window.__kpMap.ready === true", 120)
            areas = page.evaluate("window.__kpMap.timings.areasRendered")
            page.check("#layer-points")
            t = wait_until(page, "window.__kpMap.timings.pointsRendered && "
                           "window.__kpMap.timings", 120)
            count = page.evaluate("window.__kpMap.pointCount")
            baseline.append(areas / 1000)
            runs.append({"total": (t["pointsRendered"] - t["pointsRequested"]) / 1000,
                         "api": (t["pointsFetched"] - t["pointsRequested"]) / 1000,
                         "browser": (t["pointsRendered"] - t["pointsFetched"]) / 1000})
            old = page.evaluate(GEOJSON_BASELINE)
            drawn = wait_until(page, "window.__kpMap.timings.pointsRendered", 120)
            assert old["count"] == count, (old["count"], count)
            geojson.append({"total": (drawn - old["requested"]) / 1000,
                            "api": (old["fetched"] - old["requested"]) / 1000,
                            "browser": (drawn - old["fetched"]) / 1000})
        browser.close()
    return baseline[1:], runs[1:], geojson[1:], count


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "map-bench"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.pop("KNOOPPUNT_TESTING", None)
    os.environ.update({"KNOOPPUNT_DATA_DIR": str(data_dir), "KNOOPPUNT_DEMO": "1",
                       "DJANGO_SETTINGS_MODULE": "knooppunt.settings",
                       "API_RATE": "1000000/minute",
                       "DATABASE_URL": args.database_url
                       or f"sqlite:///{data_dir / 'knooppunt.sqlite3'}"})
    build_demo(data_dir)
    started = time.perf_counter()
    visible = add_points(args.points)
    print(f"{args.points} signalen toegevoegd in {time.perf_counter() - started:.1f} s; "
          f"{USER} mag er {visible} met een locatie (12 maanden) inzien")
    from tests.served_demo import serve

    with serve(os.environ.copy()) as base:
        baseline, runs, geojson, count = measure(base, args.rounds)
    database = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"database: {database}; punten op de kaart: {count} (verwacht {visible}); "
          f"{args.rounds} rondes")
    total = [r["total"] for r in runs]
    print(f"{'meting':58} {'p50':>7} {'p95':>7}")
    print(f"{'kaart met gemeenten (navigatie → getekend)':58} "
          f"{_p(baseline, .5):6.3f}s {_p(baseline, .95):6.3f}s")
    for name, rows in (("compact (/map/points/signals)", runs),
                       ("basis: GeoJSON (/map/signals)", geojson)):
        for key, label in (("total", f"{name}: aanzetten → getekend"),
                           ("api", "  waarvan API tot gegevens in de browser"),
                           ("browser", "  waarvan browser: GPU-buffer, eerste frame")):
            values = [r[key] for r in rows]
            print(f"{label:58} {_p(values, .5):6.3f}s {_p(values, .95):6.3f}s")
    ratio = statistics.median(total) / statistics.median([r["total"] for r in geojson])
    print(f"verhouding compact / GeoJSON (p50): {ratio:.2f} "
          f"({1 / ratio:.1f} keer zo snel)")
    verdict = "gehaald" if _p(total, .5) < GOAL_SECONDS else "NIET gehaald"
    print(f"doel: {count} punten in < {GOAL_SECONDS:.0f} s (p50): {verdict}")


if __name__ == "__main__":
    main()
