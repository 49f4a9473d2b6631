"""What the bulk load of decision 0017 locks and costs, measured on an existing database.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kp_x_bench \\
        .venv/bin/python benchmarks/bulk_load_locks.py

Run it on a database that already holds signals (e.g. the one `import_benchmark.py` left).
Inside one transaction that is rolled back at the end (nothing changes): drops what a
bulk load drops, prints the locks this session then holds, tries a read of each locked
table from a second connection (with a 1 s lock timeout: "waits" means a reader would
queue until COMMIT), and times re-creating every index and foreign key over the rows
already in the table - the fixed price a bulk load pays whatever the delivery's size.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("KNOOPPUNT_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knooppunt.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import connection, transaction

    from knooppunt.intake.models import DeliveryRecord
    from knooppunt.signals import bulkload
    from knooppunt.signals.models import Signal

    print(f"{connection.vendor}: {Signal.objects.count():,} signalen, "
          f"{DeliveryRecord.objects.count():,} aangeleverde regels")
    items = [i for m in (Signal, DeliveryRecord) for i in bulkload.secondary_objects(m)]
    for item in items:
        print(f"  {item.kind:<12} {item.table}.{item.name}")

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            start = time.perf_counter()
            assert bulkload._drop_all(items)
            print(f"wegzetten: {time.perf_counter() - start:.2f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c "
                        "ON c.oid = l.relation WHERE l.pid = pg_backend_pid() "
                        "AND l.mode = 'AccessExclusiveLock' AND c.relkind = 'r' ORDER BY 1")
                    locked = [name for name, _mode in cursor.fetchall()]
                print("ACCESS EXCLUSIVE tot de COMMIT op:", ", ".join(locked))
                import psycopg

                settings = connection.settings_dict
                with psycopg.connect(
                        host=settings["HOST"], port=settings["PORT"] or 5432,
                        user=settings["USER"], dbname=settings["NAME"],
                        password=settings["PASSWORD"] or None, autocommit=True) as other:
                    other.execute("SET lock_timeout = 1000")
                    for table in locked:
                        try:
                            other.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # noqa: S608
                            print(f"  lezen {table}: gaat door")
                        except psycopg.errors.LockNotAvailable:
                            print(f"  lezen {table}: wacht (tot de COMMIT)")
            start = time.perf_counter()
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for item in sorted(items, key=lambda i: i.kind != "index"):
                    began = time.perf_counter()
                    bulkload._create(cursor, item)
                    print(f"  {item.kind:<12} {item.name}: {time.perf_counter() - began:.2f} s")
            print(f"opnieuw aanleggen over de bestaande rijen: {time.perf_counter() - start:.2f} s")
            raise Rollback
    except Rollback:
        print("teruggedraaid: niets veranderd")


if __name__ == "__main__":
    main()
