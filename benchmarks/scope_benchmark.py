"""Access layer benchmark: the old correlated-EXISTS predicates against the new
`pk IN (subquery)` ones, in the same run, for a few users.

    PYTHONPATH=src .venv/bin/python benchmarks/scope_benchmark.py [--signals 20000]
        [--data-dir var/scope-bench] [--postgres postgresql://postgres@127.0.0.1:5432/kp_x]
        [--rounds 5]
    PYTHONPATH=src DATABASE_URL=... .venv/bin/python benchmarks/scope_benchmark.py \\
        --existing --users medewerker.enschede,analist.riec   # a database that has data

1. Builds a world in a fresh database (SQLite file in `--data-dir`, or the PostgreSQL
   database named by `--postgres` plus `_scope_bench`, dropped and made anew): the real
   geography, 14 Twente municipalities each with a gemeente, a police unit and an RIEC
   serving all of them, two partners (housing corporation, grid operator), a RIEC covenant
   and a partner covenant, `--signals` signals spread over reporters, themes, sources,
   levels and municipalities (2 % with an involved organisation), forums, cases with
   linked signals and interventions, and one police event dataset with `--signals`/5
   events. With `--existing` it builds nothing and reads the database in DATABASE_URL
   (only SELECTs).
2. For each user and each of `signals_for`, `cases_for`, `interventions_for`: the ids of
   the old form (`tests/scope_legacy.py`) and of the new one (`scope`), fetched whole,
   `--rounds` times after a warm-up, checked to be the same set; the p50 of each, and
   old/new (also of the best rounds: on a shared machine the least disturbed). Also the
   map's query (`signals_for` of one year, with coordinates), and `events_for`, which was
   not rewritten, against itself: the ratio the noise of a shared machine gives.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.scope_legacy: the old forms, the baseline
sys.path.insert(0, str(ROOT / "benchmarks"))

TWENTE = ["GM0141", "GM0147", "GM0153", "GM0158", "GM0163", "GM0164", "GM0168", "GM0173",
          "GM0175", "GM0183", "GM0189", "GM1700", "GM1735", "GM1774"]
USERS = ["medewerker.enschede", "analist.riec", "analist.politie", "medewerker.woning"]


def _setup(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knooppunt.settings")
    os.environ.setdefault("KNOOPPUNT_DEMO", "1")
    if not args.existing:
        if args.postgres:
            from bench_db import recreate

            base, name = args.postgres.rsplit("/", 1)
            os.environ["DATABASE_URL"] = recreate(f"{base}/{name}_scope_bench")
        else:
            data_dir = Path(args.data_dir)
            data_dir.mkdir(parents=True, exist_ok=True)
            database = data_dir / "scope-bench.sqlite3"
            database.unlink(missing_ok=True)
            os.environ["DATABASE_URL"] = f"sqlite:///{database}"
            os.environ.setdefault("KNOOPPUNT_DATA_DIR", str(data_dir))
    import django

    django.setup()


def _build(n_signals: int) -> None:
    """The generated world (see the module docstring); deterministic."""
    import datetime as dt
    import random

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from knooppunt.cases.models import (
        Case,
        CaseSignal,
        Forum,
        ForumKind,
        Intervention,
        InterventionType,
        Stage,
    )
    from knooppunt.events.datasets import DatasetSpec, ensure_dataset
    from knooppunt.events.models import Event, OffenceCode
    from knooppunt.geo.loading import load_geography
    from knooppunt.geo.models import Municipality
    from knooppunt.intake.models import Delivery
    from knooppunt.organisations.models import (
        Covenant,
        Membership,
        Organisation,
        OrganisationKind,
        Role,
    )
    from knooppunt.signals.models import Signal
    from knooppunt.taxonomy.models import SourceType, Theme

    call_command("migrate", verbosity=0)
    load_geography()
    from django.utils import timezone

    rng = random.Random(7)
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        munis = list(Municipality.objects.filter(code__in=TWENTE))
        gemeenten = []
        for m in munis:
            org = Organisation.objects.create(name=f"Gemeente {m.name}",
                                              kind=OrganisationKind.GEMEENTE)
            org.municipalities.set([m])
            gemeenten.append(org)
        police = Organisation.objects.create(name="Politie", kind=OrganisationKind.POLITIE)
        riec = Organisation.objects.create(name="RIEC", kind=OrganisationKind.RIEC)
        woning = Organisation.objects.create(name="Woonstichting",
                                             kind=OrganisationKind.WONINGCORPORATIE)
        grid = Organisation.objects.create(name="Netbeheerder",
                                           kind=OrganisationKind.NETBEHEERDER)
        for org in (police, riec, grid):
            org.municipalities.set(munis)
        woning.municipalities.set(munis[:3])
        themes, sources = list(Theme.objects.all()), list(SourceType.objects.all())
        riec_covenant = Covenant.objects.create(
            name="RIEC", legal_basis="Convenant RIEC", max_confidentiality=3,
            valid_from=dt.date(2020, 1, 1))
        riec_covenant.parties.set([*gemeenten, police, riec])
        riec_covenant.themes.set(themes)
        riec_covenant.source_types.set(sources)
        partner_covenant = Covenant.objects.create(
            name="Partners", legal_basis="Convenant", max_confidentiality=1,
            valid_from=dt.date(2020, 1, 1))
        partner_covenant.parties.set([*gemeenten[:3], woning, grid])
        partner_covenant.themes.set(themes[:2])
        partner_covenant.source_types.set(sources[:2])
        users = get_user_model().objects
        for name, org, role in (("medewerker.enschede", gemeenten[munis.index(
                Municipality.objects.get(code="GM0153"))], Role.MEDEWERKER),
                ("analist.riec", riec, Role.ANALIST), ("analist.politie", police, Role.ANALIST),
                ("medewerker.woning", woning, Role.MEDEWERKER)):
            Membership.objects.create(user=users.create(username=name), organisation=org,
                                      role=role)
        reporters = [*gemeenten, police, riec, woning, grid]
        signals = [Signal(
            reference=f"B-{i:08d}", theme=rng.choice(themes), source_type=rng.choice(sources),
            received_on=today - dt.timedelta(days=rng.randrange(365)),
            municipality=rng.choice(munis), description="benchmark",
            confidentiality=rng.choice((1, 1, 2, 3)), reporting_organisation=rng.choice(reporters),
            latitude=52.2 + rng.random() / 5, longitude=6.8 + rng.random() / 5)
            for i in range(n_signals)]
        Signal.objects.bulk_create(signals, batch_size=2000)
        ids = list(Signal.objects.values_list("pk", flat=True))
        through = Signal.involved_organisations.through
        through.objects.bulk_create(
            [through(signal_id=pk, organisation_id=rng.choice(reporters).pk)
             for pk in rng.sample(ids, len(ids) // 50)], batch_size=2000)
        kind = ForumKind.objects.first()
        stage = Stage.objects.first()
        forums = []
        for g in gemeenten:
            forum = Forum.objects.create(kind=kind, name=f"Overleg {g.name}")
            forum.members.set([g, police, riec])
            forum.partners.set([woning])
            forums.append(forum)
        intervention_type = InterventionType.objects.first()
        for c in range(max(n_signals // 100, 10)):
            g = rng.randrange(len(gemeenten))
            case = Case.objects.create(
                reference=f"C-{c:06d}", title="benchmark", theme=rng.choice(themes),
                municipality=munis[g], forum=forums[g], stage=stage, owner=gemeenten[g],
                confidentiality=rng.choice((1, 2, 3)), opened_on=today)
            CaseSignal.objects.bulk_create([CaseSignal(case=case, signal_id=pk, linked_at=now)
                                            for pk in rng.sample(ids, 3)])
            if rng.random() < 0.3:
                Intervention.objects.create(case=case, type=intervention_type,
                                            organisation=rng.choice((woning, grid, police)),
                                            planned_on=today)
        dataset = ensure_dataset(DatasetSpec(code="bench", name="Bench", organisation=police))
        delivery = Delivery.objects.create(
            profile=dataset.profile, organisation=police, delivered_by_name="bench",
            original_name="bench.csv", checksum="0" * 64)
        offence = OffenceCode.objects.filter(code_list=dataset.code_list).first()
        Event.objects.bulk_create([Event(
            dataset=dataset, delivery=delivery, key=str(e), occurred_on=today, offence=offence,
            x=0, y=0, latitude=52.2, longitude=6.9, municipality=rng.choice(munis))
            for e in range(n_signals // 5)], batch_size=2000)


def _p50(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--signals", type=int, default=20_000)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "scope-bench"))
    parser.add_argument("--postgres", default="")
    parser.add_argument("--existing", action="store_true")
    parser.add_argument("--users", default=",".join(USERS))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    _setup(args)
    if not args.existing:
        started = time.perf_counter()
        _build(args.signals)
        print(f"world built in {time.perf_counter() - started:.1f} s")

    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from knooppunt.organisations import scope
    from knooppunt.signals.models import Signal
    from tests import scope_legacy as legacy

    def map_query(signals_for):
        def query(user):
            start = timezone.localdate() - dt.timedelta(days=365)
            return signals_for(user).filter(received_on__gte=start, latitude__isnull=False,
                                            longitude__isnull=False)
        query.__name__ = "map (signals_for, 1 year)"
        return query

    pairs = [(legacy.signals_for, scope.signals_for), (legacy.cases_for, scope.cases_for),
             (legacy.interventions_for, scope.interventions_for),
             (scope.events_for, scope.events_for),  # unchanged: the noise floor
             (map_query(legacy.signals_for), map_query(scope.signals_for))]
    print(f"database: {connection.vendor}; {Signal.objects.count():,} signals; "
          f"{args.rounds} rounds; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    print(f"{'user':<22} {'query':<28} {'rows':>7} {'old p50':>9} {'new p50':>9} "
          f"{'old/new':>8} {'best old/new':>13}")
    for username in args.users.split(","):
        user = get_user_model().objects.get(username=username)
        for old, new in pairs:
            timings: dict[str, list[float]] = {"old": [], "new": []}
            answers = {}
            for label, function in (("old", old), ("new", new)):
                answers[label] = set(function(user).order_by().values_list("pk", flat=True))
                for _round in range(args.rounds):
                    started = time.perf_counter()
                    list(function(user).order_by().values_list("pk", flat=True))
                    timings[label].append(time.perf_counter() - started)
            if answers["old"] != answers["new"]:
                sys.exit(f"VERSCHIL / DIFFERENCE: {username} {new.__name__}")
            o, n = _p50(timings["old"]), _p50(timings["new"])
            best = min(timings["old"]) / min(timings["new"])  # the least disturbed rounds
            print(f"{username:<22} {new.__name__:<28} {len(answers['new']):>7} "
                  f"{o * 1000:>7.1f}ms {n * 1000:>7.1f}ms {o / n:>7.1f}x {best:>12.1f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
