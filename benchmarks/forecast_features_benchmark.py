"""Do register and cross-type features help? Backtests of the demo's hennep signals (decision
0056) or of its police incidents (decision 0057).

    KNOOPPUNT_DATA_DIR=<folder of a built demo> .venv/bin/python \\
        benchmarks/forecast_features_benchmark.py [--theme hennepteelt] [--area VR05]
        [--cell 500]
    ... benchmarks/forecast_features_benchmark.py --incidents demo-vr05 --offence 3.1.1

Runs on a database the demo built (`knooppunt demo --no-serve`; SQLite in
KNOOPPUNT_DATA_DIR, or DATABASE_URL). For the target in the area (all its rows, as the
evaluation job), the twelve monthly backtests of `forecasts.evaluate_area` are run once
per feature set of the learned model, through the same engine and tables the app uses
(`forecasts.covariates`): the cell's history only (decision 0043), + other types (other
themes, or the dataset's other offences), + police incidents (for a theme) or signals (for
incidents), + registers (BAG buildings, floor area, vacancy; KvK registrations), and all
of them. Nothing is stored. Prints per set: the learned model's
mean hit rate at 5 % and PAI at 1 % and 5 %, months won against the best baseline, the
relative gain, what users would see by the rule, and the wall time; the baselines do not
depend on the feature set and are printed once.

Caveat printed with the table: the demo's address register is made from the addresses of
its signals (every signal gets an address; a few hundred rural places are added), and its
incidents are placed near those addresses, so a building count per cell also tells where
signals *will* be; register features look better on the demo than a real BAG would let
them be.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--theme", default="hennepteelt")
    parser.add_argument("--incidents", default="", help="an events dataset (not --theme)")
    parser.add_argument("--offence", default="", help="with --incidents: one offence")
    parser.add_argument("--area", default="VR05")
    parser.add_argument("--cell", type=int, default=500)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knooppunt.settings")
    import django

    django.setup()
    from django.utils import timezone
    from threadpoolctl import threadpool_limits

    from knooppunt.analytics.engine import get_engine
    from knooppunt.analytics.forecasts import (
        BASE_FEATURES,
        CROSS_TYPE_FEATURES,
        INCIDENT_FEATURES,
        REGISTER_FEATURES,
        SIGNAL_SOURCE_FEATURES,
        EventTable,
        backtest,
        choose,
        month_label,
    )
    from knooppunt.analytics.forecasts.model import LEARNED
    from knooppunt.analytics.hotspot_service import RD_NEW, area_by_code, max_cells
    from knooppunt.analytics.hotspots import grid_over
    from knooppunt.events.models import Event
    from knooppunt.forecasts import covariates
    from knooppunt.forecasts.evaluation import held_out_months, month_table
    from knooppunt.forecasts.targets import resolve
    from knooppunt.signals.models import Signal

    target = (resolve(incidents=args.incidents, offence=args.offence) if args.incidents
              else resolve(theme=args.theme))
    others = () if target.is_incidents and target.offence is None else CROSS_TYPE_FEATURES
    beside = SIGNAL_SOURCE_FEATURES if target.is_incidents else INCIDENT_FEATURES
    sets = {
        "history only (0043)": BASE_FEATURES,
        **({"+ other types": BASE_FEATURES + others} if others else {}),
        ("+ signals" if target.is_incidents else "+ police incidents"): BASE_FEATURES + beside,
        "+ registers": BASE_FEATURES + REGISTER_FEATURES,
        "all (default)": target.default_features(),
        "all but registers": BASE_FEATURES + others + beside,
    }
    area = area_by_code(args.area)
    grid = grid_over(area.geometry, args.cell, crs=RD_NEW, max_cells=max_cells())
    today = timezone.localdate()
    origins = held_out_months(today)
    queryset = target.rows(area)
    print(f"load (1 min) before: {os.getloadavg()[0]:.2f}; cores: {os.cpu_count()}")
    print(f"{target.code} in {area.code} ({area.name}): {queryset.count():,} rows, "
          f"{grid.n_cells:,} cells of {args.cell} m, held-out months "
          f"{month_label(origins[0])} – {month_label(origins[-1])}")
    engine = get_engine()
    rows = []
    try:
        engine.register("events", month_table(queryset, *target.fields))
        events = EventTable(engine, "events")
        every = tuple(dict.fromkeys(f for features in sets.values() for f in features))
        tables = covariates.register(engine, every, target, area, Signal.objects.all(),
                                     Event.objects.all())
        for name in covariates.TABLES:
            if name in tables:
                count = engine.query(f"SELECT count(*) FROM cov_{name}").column(0)[0]  # noqa: S608
                print(f"  table {name}: {count.as_py():,} rows")
        baseline_result = None
        for label, features in sets.items():
            started = time.perf_counter()
            with threadpool_limits(limits=1, user_api="openmp"):
                result = backtest(events, lambda origin: grid, origins, features=features,
                                  covariates=tables)
            seconds = time.perf_counter() - started
            baseline_result = baseline_result or result
            rows.append((label, result, choose(result), seconds))
    finally:
        engine.close()
    print("\nBaselines (the same for every feature set):")
    for method in baseline_result.methods:
        if method == LEARNED:
            continue
        print(f"  {method:18s} hit rate@5% {baseline_result.mean(method, 0.05, 'hit_rate'):6.1%}"
              f"  PAI@1% {baseline_result.mean(method, 0.01, 'pai'):6.2f}"
              f"  PAI@5% {baseline_result.mean(method, 0.05, 'pai'):6.2f}")
    print("\nLearned model per feature set (12 monthly backtests):")
    print(f"  {'features':22s} {'n':>3s} {'hit@5%':>7s} {'PAI@1%':>7s} {'PAI@5%':>7s} "
          f"{'wins':>6s} {'gain':>7s}  shown                 time")
    for label, result, choice, seconds in rows:
        gain = "n/a" if choice.relative_gain is None else f"{choice.relative_gain:+.1%}"
        print(f"  {label:22s} {len(result.features):3d} "
              f"{result.mean(LEARNED, 0.05, 'hit_rate'):7.1%} "
              f"{result.mean(LEARNED, 0.01, 'pai'):7.2f} "
              f"{result.mean(LEARNED, 0.05, 'pai'):7.2f} "
              f"{choice.wins:3d}/{choice.months:<2d} {gain:>7s}  "
              f"{choice.method:22s}{seconds:5.1f} s")
    print("\nCaveat: the demo's address register is made from its signals' addresses, and "
          "its incidents lie near those addresses (see the module text): register features "
          "see where signals will be.")
    print(f"load (1 min) after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
