"""Import benchmark: N generated police rows into SQLite and PostgreSQL, against the naive way.

    .venv/bin/python benchmarks/import_benchmark.py [--rows 1000000] [--naive-rows 5000]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

Each database run happens in a child process with its own fresh database (migrated, real
geography loaded). "Naive" is pandas.read_csv plus one ORM save per row, measured on a
sample in the same run (pandas comes from the optional `bench` extra).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
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


def child(database_url: str, csv_path: str, naive_rows: int) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("KNOOPPUNT_TESTING", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "knooppunt.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp())
    call_command("migrate", verbosity=0)
    from knooppunt.geo.loading import load_geography

    load_geography()
    from django.contrib.auth import get_user_model

    from knooppunt.intake.models import DeliveryProfile
    from knooppunt.intake.submit import submit
    from knooppunt.organisations.models import Membership, Organisation
    from knooppunt.signals.models import Signal

    org = Organisation.objects.create(name="Politie (benchmark)", kind="politie")
    user = get_user_model().objects.create(username="bench")
    Membership.objects.create(user=user, organisation=org, role="analist")
    profile = DeliveryProfile.objects.get(code="politie-hennep")
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
              "fast_rate": delivery.accepted / fast_seconds, "fast_cpu_seconds": cpu_seconds}

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
    proc = subprocess.run(  # noqa: S603 - our own script, our own arguments
        [sys.executable, __file__, "--child", url, str(csv_path), str(naive_rows)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    if proc.returncode:
        print(f"{label}: mislukt\n{proc.stderr[-2000:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def postgres_url(base: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
            conn.execute("DROP DATABASE IF EXISTS knooppunt_bench")
            conn.execute("CREATE DATABASE knooppunt_bench")
    except Exception as exc:  # noqa: BLE001 - any failure means: skip PostgreSQL
        print(f"PostgreSQL niet bereikbaar ({exc.__class__.__name__}); overgeslagen.")
        return None
    return base.rsplit("/", 1)[0] + "/knooppunt_bench"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", type=int, default=5_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="knooppunt-bench-"))
    csv_path = work / "politie.csv"
    start = time.perf_counter()
    generate(csv_path, args.rows)
    print(f"{args.rows} regels gegenereerd in {time.perf_counter() - start:.1f} s "
          f"({csv_path.stat().st_size / 1e6:.0f} MB)")
    targets = [("SQLite", f"sqlite:///{work / 'bench.sqlite3'}")]
    pg = postgres_url(args.postgres)
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

if __name__ == "__main__":
    main()
