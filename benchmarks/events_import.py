"""Events import benchmark: the whole Toronto MCI file (210,844 events) through the events
profile, against a plain load of the same rows measured in the same run.

    .venv/bin/python benchmarks/events_import.py [--csv FILE] [--only sqlite|postgresql]
        [--postgres postgresql://postgres@127.0.0.1:5432/knp_events]

Each measurement runs in a child process with its own fresh database (migrated, real
geography loaded):

* **import**: `submit` of the file to the dataset's profile, as `knooppunt import_events`
  does: hash and keep the original, read, check every row (dates, codes, area, swapped
  coordinates), project lat/lon to EPSG:2952 with pyproj, write the events (COPY on
  PostgreSQL), all in one transaction; then the same file again (every row recognised,
  nothing stored).
* **baseline**: the floor without any checking: `csv.reader` over the same file, floats
  parsed, one offence id, written with the same `insert_columns` in one transaction.

Peak memory is the child's maximum resident set (ru_maxrss) above what it held after
setting up the database (geography included), so each figure is the import's own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TORONTO = Path("/work/shared/data/events/toronto_mci_2014_2020.csv")
AREA = "43.57,43.87,-79.65,-79.10"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(database_url: str, csv_path: str, mode: str) -> dict:
    from bench_db import prepare_child

    org, user = prepare_child(database_url)
    from django.db import transaction

    from knooppunt.events.datasets import DatasetSpec, ensure_dataset
    from knooppunt.events.models import Event, OffenceCode
    from knooppunt.intake.models import Delivery, DeliveryProfile
    from knooppunt.intake.submit import submit
    from knooppunt.signals.bulk import insert_columns

    dataset = ensure_dataset(DatasetSpec(
        code="toronto-mci", name="Toronto MCI", organisation=org, code_list="toronto-mci",
        crs=2952, country="CA", area=tuple(float(v) for v in AREA.split(","))))
    before = _rss_mb()
    result: dict = {"mode": mode}
    if mode == "import":
        start, cpu = time.perf_counter(), time.process_time()
        delivery = submit(profile=dataset.profile, organisation=org, user=user,
                          data=Path(csv_path), filename="toronto.csv", inline=True)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        assert delivery.status == "verwerkt", (delivery.status, delivery.message)
        result.update(rows=delivery.accepted, seconds=seconds, cpu_seconds=cpu_seconds,
                      peak_mb=_rss_mb() - before)
        start = time.perf_counter()
        again = submit(profile=dataset.profile, organisation=org, user=user,
                       data=Path(csv_path), filename="toronto.csv", inline=True)
        assert again.accepted == 0 and again.duplicates == delivery.accepted
        result.update(redelivery_seconds=time.perf_counter() - start,
                      stored=Event.objects.count())
    else:
        import csv

        offence = OffenceCode.objects.filter(code_list__code="toronto-mci").first()
        profile = DeliveryProfile.objects.get(pk=dataset.profile_id)
        holder = Delivery.objects.create(profile=profile, organisation=org, checksum="-")
        start, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic(), open(csv_path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            columns: dict[str, list] = {k: [] for k in (
                "key", "occurred_on", "hour", "premises_type", "area_name", "x", "y",
                "latitude", "longitude")}
            from datetime import date

            for n, (day, hour, _o, premises, area, lat, lon) in enumerate(reader):
                columns["key"].append(str(n))
                columns["occurred_on"].append(date.fromisoformat(day))
                columns["hour"].append(int(hour))
                columns["premises_type"].append(premises)
                columns["area_name"].append(area)
                columns["latitude"].append(float(lat))
                columns["longitude"].append(float(lon))
            columns["x"], columns["y"] = columns["longitude"], columns["latitude"]
            rows = len(columns["key"])
            insert_columns(Event, columns, rows, {"dataset_id": dataset.pk,
                                                  "delivery_id": holder.pk,
                                                  "offence_id": offence.pk})
        result.update(rows=rows, seconds=time.perf_counter() - start,
                      cpu_seconds=time.process_time() - cpu, peak_mb=_rss_mb() - before)
    return result


def run_child(url: str, csv_path: Path, mode: str) -> dict | None:
    from bench_db import run_child as run

    return run(__file__, [url, str(csv_path), mode], mode)


def fresh_postgres(base: str, suffix: str) -> str | None:
    from bench_db import fresh_beside

    return fresh_beside(base, suffix)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3], sys.argv[4])))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", type=Path, default=TORONTO)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/knp_events")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="knooppunt-events-bench-"))
    print(f"Bestand: {args.csv} ({args.csv.stat().st_size / 1e6:.1f} MB); machine: "
          f"{os.cpu_count()} kernen")
    for label in ("SQLite", "PostgreSQL"):
        if args.only and args.only != label.lower():
            continue
        results = {}
        for mode in ("baseline", "import"):
            if label == "SQLite":
                url = f"sqlite:///{work / f'{mode}.sqlite3'}"
            else:
                url = fresh_postgres(args.postgres, f"bench_{mode}")
                if url is None:
                    break
            load = os.getloadavg()[0]
            results[mode] = run_child(url, args.csv, mode)
            if results[mode]:
                r = results[mode]
                extra = (f"; opnieuw aangeleverd (alles herkend): "
                         f"{r['redelivery_seconds']:.1f} s" if mode == "import" else "")
                print(f"{label} {mode:8s}: {r['rows']:,} rijen in {r['seconds']:.1f} s = "
                      f"{r['rows'] / r['seconds']:,.0f} rijen/s (CPU {r['cpu_seconds']:.1f} s), "
                      f"piekgeheugen +{r['peak_mb']:.0f} MB{extra} (load vooraf {load:.2f})")
        if results.get("import") and results.get("baseline"):
            ratio = results["import"]["seconds"] / results["baseline"]["seconds"]
            print(f"{label}: import kost {ratio:.1f}x de kale lading")


if __name__ == "__main__":
    main()
