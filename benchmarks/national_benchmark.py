"""National-scale benchmark: the forecast backtests on DuckDB and on Spark (issue 15, 0051).

    OMP_NUM_THREADS=2 .venv/bin/python benchmarks/national_benchmark.py
        [--events 10000000] [--signals 1000000] [--data DIR] [--engines duckdb,spark]
        [--learned] [--cell 250] [--seed 1]

1. A synthetic national dataset (`analytics/synthetic_national.py`): `--events` events and
   `--signals` signals in all 342 municipalities, inside their real boundaries, 48 months
   (2019-2022), clustered and seasonal; written to Parquet in `--data` (reused when it is
   already there with the same size and seed).
2. The study area is the Netherlands (the union of the municipalities), 250 m cells.
3. Per engine (Spark in local mode, `local[2]`; DuckDB with 2 threads), the events are
   registered straight from the Parquet file (`register_parquet`: neither engine copies
   them through Python) and
   a. the cell x month counts of all 48 months are computed and *written* to Parquet
      (`write_parquet`; Spark's executors write them, nothing is collected), and
   b. the twelve monthly rolling-origin backtests of 2022 run through the forecast core
      (`backtest`): the three baselines (and with `--learned` the learned model). The core
      itself works on numpy arrays, so it receives the aggregated counts of each origin
      (cells x months) and, for the KDE baseline, the points of the 12 months before it.
4. Prints the time of each step per engine, the ratio Spark / DuckDB, and the mean PAI at
   5 % per method (the same on both engines: they count the same events).

The hotspot core (Gi*, KDE) reads its points through Django (`arrow_from_queryset`), not
through the engine, so it has no engine step to compare; the KDE baseline of (b) is the
hotspot core's `kernel_density` and is timed inside it.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import pyarrow.parquet as pq  # noqa: E402
import shapely  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from knooppunt.analytics.engine import DuckDBEngine  # noqa: E402
from knooppunt.analytics.forecasts import EventTable, backtest, month_index  # noqa: E402
from knooppunt.analytics.hotspots import grid_over  # noqa: E402
from knooppunt.analytics.synthetic_national import CRS, build, municipalities  # noqa: E402

COUNTS_SQL = ("SELECT CAST(floor((y - ?) / ?) AS BIGINT) AS r, "
              "CAST(floor((x - ?) / ?) AS BIGINT) AS c, month, count(*) AS n "
              "FROM events GROUP BY 1, 2, 3")


def dataset(directory: Path, events: int, signals: int, seed: int) -> Path:
    """The events' Parquet file, generated unless one of this size and seed is there."""
    path = directory / "events.parquet"
    stamp = directory / "generated.txt"
    wanted = f"events={events} signals={signals} seed={seed}"
    if path.exists() and stamp.exists() and stamp.read_text() == wanted:
        print(f"data: reused {path} ({wanted})")
        return path
    started = time.perf_counter()
    build(directory, events, signals, seed=seed)
    stamp.write_text(wanted)
    print(f"data: generated {wanted} in {time.perf_counter() - started:.1f} s -> {directory}")
    return path


def engine_for(name: str):
    if name == "duckdb":
        return DuckDBEngine(threads=2)
    from knooppunt.analytics.spark_engine import SparkEngine

    return SparkEngine()


def run(name: str, path: Path, grid, origins: list[int], out: Path, learned: bool) -> dict:
    """Time one engine: start, counts written out, twelve backtests."""
    times: dict[str, float] = {}
    t = time.perf_counter()
    engine = engine_for(name)
    engine.register_parquet("events", path)
    times["start + register"] = time.perf_counter() - t
    t = time.perf_counter()
    written = engine.write_parquet(COUNTS_SQL, out / name / "cell_month_counts",
                                   (grid.y0, grid.cell_size, grid.x0, grid.cell_size))
    times["counts written"] = time.perf_counter() - t
    events = EventTable(engine, "events")
    t = time.perf_counter()
    result = backtest(events, lambda origin: grid, origins, learned=learned)
    times["12 backtests"] = time.perf_counter() - t
    engine.close()
    print(f"\n== {name}: {written.rows:,} (cell, month) rows written to {written.path}")
    for key, value in times.items():
        print(f"  {key:18s} {value:8.1f} s")
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
    print(f"  inside the backtests: {parts}")
    for method in result.methods:
        print(f"  mean PAI at 5 %: {method:16s} {result.mean(method, 0.05, 'pai'):6.2f}")
    return {"times": times, "rows": written.rows,
            "pai": {m: result.mean(m, 0.05, "pai") for m in result.methods}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "national")
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--learned", action="store_true")
    parser.add_argument("--cell", type=float, default=250)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"load (1 min) before: {os.getloadavg()[0]:.2f}; cores: {os.cpu_count()}")
    path = dataset(args.data, args.events, args.signals, args.seed)
    rows = pq.ParquetFile(path).metadata.num_rows

    t = time.perf_counter()
    netherlands = shapely.union_all([m.geometry for m in municipalities()])
    grid = grid_over(netherlands, args.cell, crs=CRS, max_cells=2_000_000)
    print(f"grid: {grid.n_cells:,} cells of {args.cell:g} m over the Netherlands "
          f"({time.perf_counter() - t:.1f} s)")
    origins = [month_index(2022, m) for m in range(1, 13)]
    results = {}
    for name in args.engines.split(","):
        results[name] = run(name, path, grid, origins, args.data / "results", args.learned)
    print(f"\nSummary: {rows:,} events, {grid.n_cells:,} cells, 12 monthly backtests "
          f"({'baselines + learned model' if args.learned else 'the three baselines'})")
    names = list(results)
    print("  " + f"{'step':18s}" + "".join(f"{n:>10s}" for n in names)
          + ("  spark/duckdb" if {"spark", "duckdb"} <= set(names) else ""))
    for step in results[names[0]]["times"]:
        line = "  " + f"{step:18s}" + "".join(f"{results[n]['times'][step]:9.1f}s"
                                               for n in names)
        if {"spark", "duckdb"} <= set(names):
            ratio = results["spark"]["times"][step] / max(results["duckdb"]["times"][step], 1e-9)
            line += f"  {ratio:10.1f}x"
        print(line)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this Python process: {peak:,.0f} MB (the Spark JVM is apart)")
    print(f"load (1 min) after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
