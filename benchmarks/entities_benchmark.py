"""Entities (decision 0047): FtM import, export, re-import, scoped counts and a network
neighbourhood on a generated case file, against a naive writer measured in the same run.

    .venv/bin/python benchmarks/entities_benchmark.py [--entities 5000] \
        [--postgres postgresql://postgres@127.0.0.1:5432/knp_entities_bench]

Without --postgres it uses a fresh SQLite file in a temporary folder. The naive writer
stores the same values with one `Statement.objects.create` per value and no checks (what
a quick script would do); the import checks every line and the user's view first.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def generate(count: int, seed: int = 7) -> list[dict]:
    """Persons, companies and addresses in equal parts, and a directorship per company."""
    rng = random.Random(seed)
    third = max(1, count // 4)
    lines = []
    for i in range(third):
        lines.append({"id": f"a{i}", "schema": "Address",
                      "properties": {"full": [f"Straat {i}, 7511 AB Enschede"]}})
    for i in range(third):
        born = f"{rng.randint(1950, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append({"id": f"p{i}", "schema": "Person", "properties": {
            "name": [f"Persoon {i}"], "birthDate": [born],
            "addressEntity": [f"a{rng.randrange(third)}"]}})
    for i in range(third):
        lines.append({"id": f"c{i}", "schema": "Company", "properties": {
            "name": [f"Bedrijf {i} BV"], "registrationNumber": [f"{10_000_000 + i}"],
            "addressEntity": [f"a{rng.randrange(third)}"]}})
        lines.append({"id": f"d{i}", "schema": "Directorship", "properties": {
            "director": [f"p{rng.randrange(min(third, 50))}"], "organization": [f"c{i}"],
            "role": ["bestuurder"]}})
    return lines


def timed(label: str, results: dict, func):
    started = time.perf_counter()
    value = func()
    results[label] = round(time.perf_counter() - started, 3)
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    if args.postgres:
        from bench_db import recreate

        url = recreate(args.postgres)
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/entities.sqlite3"
    from bench_db import prepare_child

    org, user = prepare_child(url)
    from datetime import date

    from knooppunt.cases.models import Case, Forum, ForumKind, Stage
    from knooppunt.entities import ftm_io
    from knooppunt.entities.models import Entity, Statement
    from knooppunt.entities.network import neighbourhood
    from knooppunt.geo.models import Municipality
    from knooppunt.organisations import scope
    from knooppunt.taxonomy.models import Theme

    forum = Forum.objects.create(kind=ForumKind.objects.first(), name="Bench")
    forum.members.set([org])

    def new_case(ref: str) -> Case:
        return Case.objects.create(
            reference=ref, title="Bench", theme=Theme.objects.first(),
            municipality=Municipality.objects.get(code="GM0153"), forum=forum,
            stage=Stage.objects.get(code="intake"), owner=org, confidentiality=1,
            opened_on=date(2025, 1, 1))

    case, naive_case = new_case("CAS-2025-B00001"), new_case("CAS-2025-B00002")
    lines = generate(args.entities)
    text = "\n".join(json.dumps(line) for line in lines)
    results: dict = {"entities": len(lines), "database": url.split(":")[0]}

    def naive() -> None:
        for line in lines:
            eid = "n" + line["id"]
            Entity.objects.create(id=eid, schema=line["schema"])
            for prop, values in line["properties"].items():
                for value in values:
                    Statement.objects.create(
                        entity_id=eid, schema=line["schema"], prop=prop, value=value,
                        organisation=org, legal_basis="bench", first_seen=date.today(),
                        last_seen=date.today(), origin_kind="case",
                        origin_id=str(naive_case.pk))

    timed("naive_write_s", results, naive)
    timed("import_s", results, lambda: ftm_io.import_case(user, case, text))
    exported = timed("export_s", results, lambda: ftm_io.export_case(user, case))
    again = timed("reimport_s", results, lambda: ftm_io.import_case(user, case, exported))
    results["reimport_new_statements"] = again[1]
    results["visible_entities"] = timed("count_visible_s", results,
                                        lambda: scope.entities_for(user).count())
    results["unscoped_entities"] = timed("count_all_s", results, Entity.objects.count)
    network = timed("neighbourhood_depth2_s", results,
                    lambda: neighbourhood(user, "p0", depth=2))
    results["neighbourhood_nodes"] = len(network.nodes)
    results["neighbourhood_edges"] = len(network.edges)
    results["statements"] = Statement.objects.count()
    results["import_vs_naive"] = round(results["naive_write_s"] / results["import_s"], 2)
    results["load_1min"] = os.getloadavg()[0]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
