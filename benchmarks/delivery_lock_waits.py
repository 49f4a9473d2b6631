"""How long others wait while a large delivery stores on PostgreSQL (issue 13, decision 0031).

    .venv/bin/python benchmarks/delivery_lock_waits.py [--rows 200000] \\
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--csv FILE] \\
        [--exclusive]   (the locking bulk load a beheerder may switch on, decision 0017)

In a fresh database `<name>_locks` (migrated, real geography): a police organisation
delivers `--rows` generated police rows (one `submit`, as the page, the API and
`import-signals` do) into an empty signal table - the case in which decision 0017 took the
bulk load. Meanwhile three threads, each on its own connection (so one wait hides no other), repeat
what another organisation does, each timed:

* a login: read the user, `update_last_login` (an UPDATE of auth_user) and a new session row;
* a read of another organisation's signals: its newest 25 through `scope.signals_for`, and
  the count;
* a registration: one signal of that organisation inserted and committed.

It prints the longest and the median wait of each, how many ran during the storing
transaction, and - sampled from `pg_stat_activity` every 50 ms - the longest time any
session waited for a lock (on a loaded machine a probe can be slow without waiting for
anyone). Goal (issue 13): no wait above one second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 1.0


def fresh_database(base: str) -> str:
    from bench_db import recreate

    name = base.rsplit("/", 1)[1].split("?")[0] or "postgres"
    target = f"{'knooppunt' if name == 'postgres' else name}_locks"
    return recreate(base.rsplit("/", 1)[0] + f"/{target}", connect_timeout=3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--exclusive", action="store_true",
                        help="switch on the locking bulk load (KNOOPPUNT_BULK_LOAD_LOCKING)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from import_benchmark import generate

    csv_path = args.csv or Path(tempfile.mkdtemp(prefix="knooppunt-locks-")) / "politie.csv"
    if not csv_path.exists():
        generate(csv_path, args.rows)
    os.environ["DATABASE_URL"] = fresh_database(args.postgres)
    os.environ.setdefault("KNOOPPUNT_TESTING", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "knooppunt.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    if args.exclusive:
        os.environ["KNOOPPUNT_BULK_LOAD_LOCKING"] = "1"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp())
    call_command("migrate", verbosity=0)
    from knooppunt.geo.loading import load_geography

    load_geography()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import update_last_login
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction

    from knooppunt.geo.models import Municipality
    from knooppunt.intake.models import DeliveryProfile
    from knooppunt.intake.submit import submit
    from knooppunt.organisations import scope
    from knooppunt.organisations.models import Membership, Organisation
    from knooppunt.signals import bulkload
    from knooppunt.signals.models import Signal
    from knooppunt.taxonomy.models import SourceType, Theme

    users = get_user_model().objects
    police = Organisation.objects.create(name="Politie (meting)", kind="politie")
    deliverer = users.create(username="aanleveraar")
    Membership.objects.create(user=deliverer, organisation=police, role="analist")
    enschede = Municipality.objects.get(code="GM0153")
    town = Organisation.objects.create(name="Gemeente (meting)", kind="gemeente")
    town.municipalities.add(enschede)
    clerk = users.create(username="medewerker.gemeente")
    Membership.objects.create(user=clerk, organisation=town, role="coordinator")
    theme = Theme.objects.get(code="hennepteelt")
    source = SourceType.objects.get(code="gemeente")

    def register(n: int) -> None:
        Signal.objects.create(
            reference=f"M-{n:08d}", theme=theme, source_type=source, received_on="2024-05-01",
            municipality=enschede, description="meting", reporting_organisation=town,
            created_by=clerk)

    for n in range(20):  # the other organisation's own signals, to read
        register(n)

    waits: dict[str, list[tuple[float, float]]] = {"login": [], "read": [], "register": []}
    stop = threading.Event()

    def login() -> None:
        user = users.get(username="medewerker.gemeente")
        update_last_login(None, user)
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session.create()

    def read() -> None:
        user = users.get(username="medewerker.gemeente")
        visible = scope.signals_for(user)
        list(visible.order_by("-received_on", "-pk")[:25])
        visible.count()

    numbers = iter(range(1000, 10**6))

    def registration() -> None:
        with transaction.atomic():
            register(next(numbers))

    def repeat(kind: str, work) -> None:
        """One kind of work on a connection of its own, so one wait hides no other."""
        try:
            while not stop.is_set():
                began = time.perf_counter()
                work()
                waits[kind].append((began, time.perf_counter() - began))
                time.sleep(0.1)
        finally:
            connection.close()

    lock_waits: list[float] = [0.0]

    def watch_locks() -> None:
        """The longest any other session has been waiting for a lock (pg_stat_activity),
        sampled every 50 ms: a wait for a lock, told apart from a slow machine."""
        try:
            with connection.cursor() as cursor:
                while not stop.is_set():
                    cursor.execute(
                        "SELECT COALESCE(MAX(EXTRACT(EPOCH FROM now() - state_change)), 0) "
                        "FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND datname = current_database()")
                    lock_waits.append(float(cursor.fetchone()[0]))
                    time.sleep(0.05)
        finally:
            connection.close()

    taken: list[bool] = []
    original = bulkload._drop_all

    def drop_all(items):
        taken.append(original(items))
        return taken[-1]

    bulkload._drop_all = drop_all
    profile = DeliveryProfile.objects.get(code="politie-hennep")
    workers = [threading.Thread(target=repeat, args=(kind, work), daemon=True)
               for kind, work in (("login", login), ("read", read),
                                  ("register", registration))]
    workers.append(threading.Thread(target=watch_locks, daemon=True))
    for worker in workers:
        worker.start()
    time.sleep(1.0)
    start = time.perf_counter()
    delivery = submit(profile=profile, organisation=police, user=deliverer, data=csv_path,
                      filename="meting.csv", inline=True)
    end = time.perf_counter()
    time.sleep(1.0)
    stop.set()
    for worker in workers:
        worker.join()
    print(f"Aanlevering: {delivery.get_status_display()}, {delivery.accepted:,} signalen in "
          f"{end - start:.1f} s; bulkladen met vergrendeling (0017): "
          f"{'ja' if any(taken) else 'nee'}"
          f"{' (KNOOPPUNT_BULK_LOAD_LOCKING aan)' if args.exclusive else ''}")
    print(f"belasting (load, 1 min): {os.getloadavg()[0]:.2f}")
    worst = 0.0
    for kind, label in (("login", "inloggen"), ("read", "signalen andere organisatie lezen"),
                        ("register", "signaal andere organisatie registreren")):
        during = [w for began, w in waits[kind] if start <= began <= end]
        every = [w for _began, w in waits[kind]]
        longest = max(every, default=0.0)
        worst = max(worst, longest)
        print(f"  {label:<40} {len(during):4d} keer tijdens de aanlevering; langste wacht "
              f"{longest:7.3f} s, mediaan {statistics.median(every) if every else 0:.3f} s")
    print(f"  langste wacht op een vergrendeling (pg_stat_activity, elke 50 ms): "
          f"{max(lock_waits):.3f} s")
    print(f"Langste wacht: {worst:.3f} s; doel (<= {GOAL_SECONDS:.0f} s) "
          f"{'GEHAALD' if worst <= GOAL_SECONDS else 'NIET gehaald'}")


if __name__ == "__main__":
    main()
