"""Import benchmark: N generated police rows into SQLite and PostgreSQL, against the naive way.

    .venv/bin/python benchmarks/import_benchmark.py [--rows 1000000] [--naive-rows 5000]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--only sqlite|postgresql]
        [--bulk-load-min-rows N]  (0: without the bulk load of decision 0017, as before)
        [--csv FILE]  (reuse a generated file; made when absent)
        [--bulk-load-locking]  (PostgreSQL: the locking bulk load a beheerder may switch on
                                for a planned load; off by default since decision 0031)

Each database run happens in a child process with its own fresh database (migrated, real
geography loaded). "Naive" is pandas.read_csv plus one ORM save per row, measured on a
sample in the same run (pandas comes from the optional `bench` extra).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_RATE = 50_000  # rows per second (issue 3)
GOAL_RATIO = 20  # times the naive way


def generate(path: Path, rows: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from knooppunt.intake.examples import example_rows, to_csv

    chunk = 50_000
    with path.open("wb") as out:
        written = 0
        seed = 0
        while written < rows:
            n = min(chunk, rows - written)
            block = example_rows("politie-hennep", n, seed=seed)
            data = to_csv(block if written == 0 else block[1:], ";", "utf-8")
            if written:
                data = data.removeprefix(b"\xef\xbb\xbf")
            out.write(data)
            written += n
            seed += 1


PHASES = (
    # (module, function, phase): wall and CPU seconds summed over the calls of the import.
    ("knooppunt.intake.importer", "read_table", "open file"),
    ("knooppunt.intake.importer", "_existing_keys", "re-delivery check"),
    # Per-row (dict) path and column-wise path (fifth round) under one phase name each;
    # a phase whose functions an older commit lacks is skipped.
    ("knooppunt.intake.importer", "place", "placing addresses"),
    ("knooppunt.intake.importer", "place_columns", "placing addresses"),
    ("knooppunt.intake.importer", "bulk_create_signals", "signal rows (incl. links)"),
    ("knooppunt.intake.importer", "bulk_create_signal_columns", "signal rows (incl. links)"),
    ("knooppunt.signals.bulk", "link_new_signals", "  of which duplicate links"),
    ("knooppunt.signals.bulk", "insert_columns", "  of which the rows (COPY)"),
    ("knooppunt.intake.importer", "insert_rows", "delivery records"),
    ("knooppunt.intake.importer", "insert_columns", "delivery records"),
    ("knooppunt.signals.bulkload", "_drop_all", "drop indexes/keys"),
    ("knooppunt.signals.bulkload", "_create", "re-create indexes/keys"),
    ("django.db.backends.sqlite3.base.DatabaseWrapper", "check_constraints",
     "set-wise key check (SQLite)"),
    ("django.db.backends.base.base.BaseDatabaseWrapper", "commit", "commit"),
)


def instrument() -> dict:
    """Wrap the import's phase functions with timers; returns the running totals."""
    import importlib
    from functools import wraps

    totals: dict[str, list[float]] = {}
    for module_name, function, phase in PHASES:
        module_path, _, owner = module_name.rpartition(".")
        try:  # absent in older code (for a before/after run of an earlier commit)
            if owner and owner[0].isupper():
                target = getattr(importlib.import_module(module_path), owner)
            else:
                target = importlib.import_module(module_name)
            original = getattr(target, function)
        except (ImportError, AttributeError):
            continue
        totals.setdefault(phase, [0.0, 0.0])

        def timed(*args, _original=original, _phase=phase, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                totals[_phase][0] += time.perf_counter() - wall
                totals[_phase][1] += time.process_time() - cpu

        setattr(target, function, wraps(original)(timed))
    return totals


def child(database_url: str, csv_path: str, naive_rows: int) -> dict:
    from bench_db import prepare_child

    org, user = prepare_child(database_url)
    from knooppunt.intake.models import DeliveryProfile
    from knooppunt.intake.submit import submit
    from knooppunt.signals.models import Signal

    profile = DeliveryProfile.objects.get(code="politie-hennep")
    totals = instrument()
    start, cpu_start = time.perf_counter(), time.process_time()
    # A path, as a large upload arrives (Django streams it to a temporary file).
    delivery = submit(profile=profile, organisation=org, user=user, data=Path(csv_path),
                      filename="bench.csv", inline=True)
    fast_seconds = time.perf_counter() - start
    # CPU of this process only: on a shared machine a steadier figure than the wall clock
    # (for SQLite all the work; for PostgreSQL the server's own work is not in it).
    cpu_seconds = time.process_time() - cpu_start
    assert delivery.status == "verwerkt", (delivery.status, delivery.message)
    result = {"rows": delivery.accepted, "fast_seconds": fast_seconds,
              "fast_rate": delivery.accepted / fast_seconds, "fast_cpu_seconds": cpu_seconds,
              "phases": {k: v for k, v in totals.items() if v[0]}}

    from datetime import datetime

    import pandas as pd

    from knooppunt.geo.models import Municipality
    from knooppunt.taxonomy.models import SourceType, Theme

    start = time.perf_counter()
    frame = pd.read_csv(csv_path, sep=";", nrows=naive_rows, dtype=str,
                        keep_default_na=False, encoding="utf-8")
    for record in frame.to_dict("records"):
        signal = Signal(
            reference=f"N-{record['Registratienummer']}"[:20],
            theme=Theme.objects.get(code="hennepteelt"),
            source_type=SourceType.objects.get(code="politie"),
            received_on=datetime.strptime(record["Datum melding"], "%d-%m-%Y").date(),
            municipality=Municipality.objects.get(code=record["Gemeentecode"]),
            street=record["Straat"], house_number=int(record["Huisnummer"]),
            postcode=record["Postcode"], city=record["Plaats"],
            description=record["Omschrijving"], reporting_organisation=org, created_by=user,
        )
        signal.save()
    naive_seconds = time.perf_counter() - start
    result.update(naive_rows=len(frame), naive_seconds=naive_seconds,
                  naive_rate=len(frame) / naive_seconds)
    return result


def run_child(label: str, url: str, csv_path: Path, naive_rows: int) -> dict | None:
    from bench_db import run_child as run

    return run(__file__, [url, str(csv_path), str(naive_rows)], label)


def postgres_url(base: str) -> str | None:
    """A fresh database beside `base`, named after it."""
    from bench_db import fresh_beside

    return fresh_beside(base, "bench")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", type=int, default=5_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--bulk-load-min-rows", type=int)
    parser.add_argument("--csv", type=Path, help="generated file to reuse (made when absent)")
    parser.add_argument("--bulk-load-locking", action="store_true",
                        help="KNOOPPUNT_BULK_LOAD_LOCKING=1 (decision 0031)")
    args = parser.parse_args()
    if args.bulk_load_locking:
        os.environ["KNOOPPUNT_BULK_LOAD_LOCKING"] = "1"
    if args.bulk_load_min_rows is not None:
        os.environ["KNOOPPUNT_BULK_LOAD_MIN_ROWS"] = str(args.bulk_load_min_rows)
    work = Path(tempfile.mkdtemp(prefix="knooppunt-bench-"))
    csv_path = args.csv or work / "politie.csv"
    if not csv_path.exists():
        start = time.perf_counter()
        generate(csv_path, args.rows)
        print(f"{args.rows} regels gegenereerd in {time.perf_counter() - start:.1f} s "
              f"({csv_path.stat().st_size / 1e6:.0f} MB)")
    targets = [] if args.only == "postgresql" else [
        ("SQLite", f"sqlite:///{work / 'bench.sqlite3'}")]
    pg = None if args.only == "sqlite" else postgres_url(args.postgres)
    if pg:
        targets.append(("PostgreSQL", pg))
    print(f"Machine: {os.cpu_count()} kernen; doel: >= {GOAL_RATE:,} rijen/s en "
          f">= {GOAL_RATIO}x naïef")
    for label, url in targets:
        before = os.getloadavg()[0]
        result = run_child(label, url, csv_path, args.naive_rows)
        after = os.getloadavg()[0]
        # The machine may be shared: the 1-minute load before and after says how quiet it was.
        print(f"{label}: belasting (load, 1 min) voor {before:.2f}, na {after:.2f}")
        if result:
            ratio = result["fast_rate"] / result["naive_rate"]
            met = result["fast_rate"] >= GOAL_RATE and ratio >= GOAL_RATIO
            print(
                f"{label}: {result['rows']:,} rijen in {result['fast_seconds']:.1f} s = "
                f"{result['fast_rate']:,.0f} rijen/s (CPU van het importproces "
                f"{result['fast_cpu_seconds']:.1f} s); naïef {result['naive_rows']:,} rijen in "
                f"{result['naive_seconds']:.1f} s = {result['naive_rate']:,.0f} rijen/s; "
                f"factor {ratio:.1f}x; doel {'GEHAALD' if met else 'NIET gehaald'}"
            )
            accounted = 0.0
            for phase, (wall, cpu) in result["phases"].items():
                if not phase.startswith(" "):
                    accounted += wall
                print(f"    {phase:<28} {wall:7.2f} s (CPU van het importproces {cpu:6.2f} s)")
            print(f"    {'validating + rest':<28} {result['fast_seconds'] - accounted:7.2f} s")

if __name__ == "__main__":
    main()
