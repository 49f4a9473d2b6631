"""A synthetic national dataset for the scale benchmark: events and signals in all 342
municipalities, inside their real boundaries (decision 0051).

    python -m knooppunt.analytics.synthetic_national OUT_DIR [--events 10000000]
        [--signals 1000000] [--months 48] [--start 2019-01] [--seed 1]

Writes `OUT_DIR/events.parquet` and `OUT_DIR/signals.parquet` with the columns x, y (RD New,
EPSG:28992, metres), month (`forecasts.month_index`), day (a date), theme and
municipality (CBS code). Nothing here is real but the boundaries and the population.

How the points are made, so that forecasts have something to learn:
- **Where.** Events are shared out over the municipalities by population (multinomial).
  Each municipality gets hotspots (one per 2,000 of its events, at least 3) placed
  uniformly inside it; 60 % of the events lie around a hotspot (Gaussian, 100-400 m) and
  40 % uniformly in the municipality. A point that falls outside the boundary is replaced
  by a uniform one, so every point lies inside (shapely's vectorised `contains_xy`).
  Uniform points come from a constrained Delaunay triangulation of the boundary:
  a triangle is drawn by area, then a point in it (two uniforms, folded).
- **When.** Every hotspot has a monthly intensity that drifts (a random walk of the log,
  so hot places persist but change) times a seasonal wave (peak in summer, +/-25 %);
  the background follows the season only.
- **What.** Each hotspot has one main theme (70 % of its events), the rest are drawn from
  the national theme mix.
Deterministic by seed: one random stream per municipality (`SeedSequence.spawn`), in the
order of the CBS codes.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from shapely.geometry import shape

from ..geo.topojson import features
from .forecasts.panel import month_index

# The demo's signal themes (demo/calibration.py), with a national mix of made-up weights.
THEMES = ("hennepteelt", "drugslab", "drugsdump", "drugshandel", "mensenhandel",
          "witwassen-vastgoed", "zorgfraude", "omg", "ondermijning-overig")
THEME_WEIGHTS = np.array([0.30, 0.03, 0.05, 0.22, 0.06, 0.10, 0.06, 0.08, 0.10])
CLUSTER_SHARE = 0.6
EVENTS_PER_HOTSPOT = 2000
SIGMA_RANGE = (100.0, 400.0)  # metres
SEASON_AMPLITUDE = 0.25
DRIFT = 0.15  # standard deviation of the monthly step of a hotspot's log intensity
MAIN_THEME_SHARE = 0.7
CRS = "EPSG:28992"
POPULATION_FILE = "gemeenten_2024_bevolking2024_misdrijven2023.csv"  # as geo.loading reads


@dataclass(frozen=True)
class Municipality:
    code: str
    population: int
    geometry: shapely.Geometry
    triangles: np.ndarray  # (n, 3, 2) vertices
    cumulative_area: np.ndarray  # normalised, for drawing a triangle by area


def _data_dir() -> Path:
    # geo.loading.packaged_data_dir, without importing Django models (no settings needed).
    return Path(str(resources.files("knooppunt.geo") / "data"))


def municipalities(directory: Path | None = None) -> list[Municipality]:
    """The 342 municipalities (2024) with population and a triangulation, by CBS code."""
    directory = directory or _data_dir()
    with (directory / "gemeente_2024.topojson").open(encoding="utf-8") as handle:
        shapes = {f["properties"]["statcode"]: shape(f["geometry"])
                  for f in features(json.load(handle), "gemeente_2024")}
    with (directory / POPULATION_FILE).open(encoding="utf-8") as handle:
        population = {f"GM{row['nummer']}": int(row["bevolking"])
                      for row in csv.DictReader(handle)}
    result = []
    for code in sorted(shapes):
        geometry = shapely.make_valid(shapes[code])
        shapely.prepare(geometry)
        parts = shapely.get_parts(shapely.constrained_delaunay_triangles(geometry))
        triangles = shapely.get_coordinates(shapely.get_exterior_ring(parts)).reshape(-1, 4, 2)
        triangles = triangles[:, :3, :]
        area = shapely.area(parts)
        result.append(Municipality(code, population.get(code, 0), geometry, triangles,
                                   np.cumsum(area) / area.sum()))
    return result


def uniform_points(place: Municipality, n: int, rng: np.random.Generator) -> np.ndarray:
    """n points uniformly inside the municipality (a triangle by area, a point in it)."""
    which = np.searchsorted(place.cumulative_area, rng.random(n), side="right")
    which = np.minimum(which, len(place.triangles) - 1)
    a, b, c = (place.triangles[which, i, :] for i in range(3))
    u, v = rng.random(n), rng.random(n)
    fold = u + v > 1
    u[fold], v[fold] = 1 - u[fold], 1 - v[fold]
    return a + u[:, None] * (b - a) + v[:, None] * (c - a)


def _season(months: np.ndarray) -> np.ndarray:
    # Peak in July (month of year 6, counted from 0), trough in January.
    return 1 + SEASON_AMPLITUDE * np.cos(2 * np.pi * ((months % 12) - 6) / 12)


def _one_municipality(place: Municipality, n: int, start: int, n_months: int,
                      rng: np.random.Generator) -> dict[str, np.ndarray]:
    months = start + np.arange(n_months)
    season = _season(months)
    n_cluster = rng.binomial(n, CLUSTER_SHARE)
    k = max(3, n // EVENTS_PER_HOTSPOT)
    centres = uniform_points(place, k, rng)
    sigma = rng.uniform(*SIGMA_RANGE, k)
    weight = rng.lognormal(0.0, 1.0, k)
    walk = np.cumsum(rng.normal(0.0, DRIFT, (k, n_months)), axis=1)
    rate = weight[:, None] * np.exp(walk) * season[None, :]  # hotspot x month
    main_theme = rng.choice(len(THEMES), k, p=THEME_WEIGHTS)

    # Events around hotspots: a (hotspot, month) pair drawn by rate, then a place near it.
    flat = rate.ravel() / rate.sum()
    pair = rng.choice(flat.size, n_cluster, p=flat)
    hotspot, month_cluster = np.divmod(pair, n_months)
    xy_cluster = centres[hotspot] + rng.normal(0.0, 1.0, (n_cluster, 2)) * sigma[hotspot, None]
    outside = ~shapely.contains_xy(place.geometry, xy_cluster[:, 0], xy_cluster[:, 1])
    xy_cluster[outside] = uniform_points(place, int(outside.sum()), rng)
    theme_cluster = np.where(rng.random(n_cluster) < MAIN_THEME_SHARE, main_theme[hotspot],
                             rng.choice(len(THEMES), n_cluster, p=THEME_WEIGHTS))

    # The background: uniform in the municipality, the season only.
    n_background = n - n_cluster
    xy_background = uniform_points(place, n_background, rng)
    month_background = rng.choice(n_months, n_background, p=season / season.sum())
    theme_background = rng.choice(len(THEMES), n_background, p=THEME_WEIGHTS)

    return {
        "xy": np.concatenate([xy_cluster, xy_background]),
        "month": np.concatenate([month_cluster, month_background]) + start,
        "theme": np.concatenate([theme_cluster, theme_background]),
    }


def _days(month: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    year, m = np.divmod(month, 12)
    first = (np.char.add(np.char.zfill(year.astype(str), 4),
                         np.char.add("-", np.char.zfill((m + 1).astype(str), 2))))
    firsts = np.unique(first)
    base = np.array(firsts, dtype="datetime64[M]").astype("datetime64[D]")
    offset = rng.integers(0, 28, month.size)
    return base[np.searchsorted(firsts, first)] + offset.astype("timedelta64[D]")


def generate(path: Path, n: int, places: list[Municipality], *, start: int,
             n_months: int, seed: int) -> int:
    """Write `n` synthetic events to one Parquet file (a row group per municipality)."""
    population = np.array([p.population for p in places], dtype=np.float64)
    streams = np.random.SeedSequence(seed).spawn(len(places) + 1)
    shares = np.random.default_rng(streams[0]).multinomial(n, population / population.sum())
    schema = pa.schema([("x", pa.float64()), ("y", pa.float64()), ("month", pa.int32()),
                        ("day", pa.date32()),
                        ("theme", pa.dictionary(pa.int8(), pa.string())),
                        ("municipality", pa.string())])
    themes = pa.array(THEMES, pa.string())
    written = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for place, count, stream in zip(places, shares, streams[1:], strict=True):
            if count == 0:
                continue
            rng = np.random.default_rng(stream)
            part = _one_municipality(place, int(count), start, n_months, rng)
            month = part["month"]
            writer.write_table(pa.table({
                "x": part["xy"][:, 0], "y": part["xy"][:, 1],
                "month": month.astype(np.int32), "day": _days(month, rng),
                "theme": pa.DictionaryArray.from_arrays(
                    pa.array(part["theme"].astype(np.int8)), themes),
                "municipality": pa.array(np.full(month.size, place.code)),
            }, schema=schema))
            written += month.size
    return written


def build(out: Path, events: int, signals: int, *, months: int = 48,
          start: str = "2019-01", seed: int = 1) -> dict[str, Path]:
    """events.parquet and signals.parquet in `out` (the signals with their own seed)."""
    out.mkdir(parents=True, exist_ok=True)
    year, month = (int(p) for p in start.split("-"))
    first = month_index(year, month)
    places = municipalities()
    paths = {"events": out / "events.parquet", "signals": out / "signals.parquet"}
    generate(paths["events"], events, places, start=first, n_months=months, seed=seed)
    generate(paths["signals"], signals, places, start=first, n_months=months, seed=seed + 1)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--start", default="2019-01")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = build(args.out, args.events, args.signals, months=args.months, start=args.start,
                  seed=args.seed)
    for name, path in paths.items():
        rows = pq.ParquetFile(path).metadata.num_rows
        print(f"{name}: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB -> {path}")
    print(f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
