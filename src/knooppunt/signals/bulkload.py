"""Large deliveries as a bulk load: drop secondary indexes and foreign keys, insert, rebuild.

The PostgreSQL manual ("Populating a Database") and common SQLite practice: building an
index once over all rows is far cheaper than updating it row by row, and adding a foreign
key checks every row in one set-wise pass instead of one lookup per row at COMMIT. Both
databases have transactional DDL, so the drop, the inserts and the re-creation are one
transaction: if re-adding a foreign key finds a row pointing at nothing, the whole
delivery rolls back and nothing is stored, exactly as with the per-row check.

What is dropped is read from the database catalogue, i.e. from what the migrations built,
never from names written here: on PostgreSQL each non-unique, non-constraint index with
its `pg_get_indexdef` and each foreign key with its `pg_get_constraintdef`; on SQLite each
`CREATE INDEX` (not UNIQUE) from `sqlite_master`. They are re-created from exactly that
text, so the schema afterwards is the same as before. Unique indexes and primary keys stay:
they are the re-delivery and reference guarantees and must hold while rows go in. SQLite's
foreign keys are part of the table definition and are not dropped; after the rows they are
checked once, set-wise, so a bad reference fails inside the transaction on both databases.
When the delivery's transaction is our own (`write_transaction`), SQLite's per-row lookup
of each key is switched off for it as well, and that set-wise check covers every table
the delivery writes.

The price (decision 0017): on PostgreSQL, dropping a foreign key or an index takes ACCESS
EXCLUSIVE on the table and (a key) on the table it references, until COMMIT: every login
(auth_user) and every page of every organisation waits. So on PostgreSQL the bulk path is
taken only where a beheerder switched it on - the setting `KNOOPPUNT_BULK_LOAD_LOCKING`,
or `allow_locking()` around one load (`import-signals --bulk-load-locking`) - for a planned
load (decision 0031); otherwise a large delivery takes the ordinary path, which locks no
shared table (its rows' keys are checked one by one at COMMIT; slower, nobody waits).
Where it is switched on it is still only taken when a delivery is large relative to the
table (see `should_bulk_load`), and only when the locks come within `LOCK_TIMEOUT_MS`.
On SQLite readers never wait (WAL), so there the bulk path needs no switch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction

logger = logging.getLogger(__name__)

# Work handed to `alongside_rebuild` during the current bulk load: (compute, then) pairs.
_alongside: ContextVar[list[tuple[Callable[[], Any], Callable[[Any], None]]] | None] = \
    ContextVar("bulk_load_alongside", default=None)

# Set by `allow_locking()`: a beheerder's explicit consent for one load (decision 0031).
_locking_allowed: ContextVar[bool] = ContextVar("bulk_load_locking", default=False)

# Waiting longer than this for a lock means someone is reading a table: take the ordinary
# path rather than make every later reader queue behind our ACCESS EXCLUSIVE request.
LOCK_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class SchemaObject:
    """One index or foreign key, with the statement that re-creates it."""

    table: str
    kind: str  # "index" or "foreign key"
    name: str
    definition: str  # CREATE INDEX ... (index) or the constraint's definition (foreign key)


def locking_allowed() -> bool:
    """Whether a bulk load may take the locks it needs on this database: always on SQLite
    (readers never wait), on PostgreSQL only where a beheerder switched it on."""
    if connection.vendor != "postgresql":
        return True
    return bool(getattr(settings, "KNOOPPUNT_BULK_LOAD_LOCKING", False)
                or _locking_allowed.get())


@contextmanager
def allow_locking(allowed: bool = True) -> Iterator[None]:
    """Let the bulk loads inside the block lock tables on PostgreSQL (a planned load
    started by a beheerder: `import-signals --bulk-load-locking`)."""
    token = _locking_allowed.set(allowed)
    try:
        yield
    finally:
        _locking_allowed.reset(token)


def min_rows() -> int:
    """Smallest delivery that may be bulk loaded; 0 switches the bulk path off."""
    return int(getattr(settings, "KNOOPPUNT_BULK_LOAD_MIN_ROWS", 50_000))


def _estimated_rows(model: type[models.Model]) -> int | None:
    """PostgreSQL's planner estimate of the table's rows (None when unknown)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                       [connection.ops.quote_name(model._meta.db_table)])
        estimate = cursor.fetchone()[0]
    return estimate if estimate >= 0 else None  # -1: never analysed


def should_bulk_load(model: type[models.Model], new_rows: int) -> bool:
    """A delivery of at least `min_rows()` rows that at least doubles the table.

    Rebuilding an index reads the whole table; it pays when the new rows are about as many
    as the old ones (measured: benchmarks/README.md, fourth round). It also bounds how often
    the locks are taken: a table can only double so many times.
    """
    threshold = min_rows()
    if not threshold or new_rows < threshold:
        return False
    estimate = _estimated_rows(model)
    if estimate is not None and estimate > 4 * new_rows:
        return False  # clearly not (the estimate can be stale, so only for a clear no)
    return new_rows >= model.objects.count()


def secondary_objects(model: type[models.Model]) -> list[SchemaObject]:
    """The non-unique indexes and (PostgreSQL) foreign keys of the model's table."""
    table = model._meta.db_table
    qn = connection.ops.quote_name
    found: list[SchemaObject] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                SELECT i.relname, pg_get_indexdef(x.indexrelid)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
                ORDER BY i.relname
                """,
                [qn(table)],
            )
            found += [SchemaObject(table, "index", n, d) for n, d in cursor.fetchall()]
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [qn(table)],
            )
            found += [SchemaObject(table, "foreign key", n, d) for n, d in cursor.fetchall()]
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA index_list({qn(table)})")
            # (seq, name, unique, origin, partial): origin 'c' = CREATE INDEX.
            plain = {row[1] for row in cursor.fetchall() if not row[2] and row[3] == "c"}
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL ORDER BY name",
                [table],
            )
            found += [SchemaObject(table, "index", n, d) for n, d in cursor.fetchall()
                      if n in plain]
    return found


def _drop(cursor, item: SchemaObject) -> None:
    qn = connection.ops.quote_name
    if item.kind == "index":
        cursor.execute(f"DROP INDEX {qn(item.name)}")
    else:
        cursor.execute(f"ALTER TABLE {qn(item.table)} DROP CONSTRAINT {qn(item.name)}")


def _create(cursor, item: SchemaObject) -> None:
    qn = connection.ops.quote_name
    if item.kind == "index":
        cursor.execute(item.definition)
    else:
        cursor.execute(
            f"ALTER TABLE {qn(item.table)} ADD CONSTRAINT {qn(item.name)} {item.definition}")


def _drop_all(items: Sequence[SchemaObject]) -> bool:
    """Drop everything, or nothing when a lock does not come in time (returns False)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint
            if connection.vendor == "postgresql":
                # Rows written earlier in this transaction (the caller's) have their
                # deferred checks pending, and PostgreSQL alters no table with pending
                # checks: run them now (a violation fails as it would at COMMIT).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
            for item in items:
                _drop(cursor, item)
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
    except DatabaseError as exc:
        logger.warning("Bulkladen niet mogelijk (%s); gewone weg genomen.", exc)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
        return False
    return True


@contextmanager
def bulk_load(models_written: Sequence[type[models.Model]], enabled: bool = True
              ) -> Iterator[bool]:
    """Inside a transaction: drop the secondary indexes and foreign keys of the tables,
    let the caller insert, re-create them before the transaction ends.

    Yields whether the bulk path was taken. An exception inside skips the re-creation:
    the caller's transaction rolls back, and with it the drops.
    """
    if not enabled or connection.vendor not in ("postgresql", "sqlite") \
            or not locking_allowed():
        yield False
        return
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load needs a transaction")
    items = [item for model in models_written for item in secondary_objects(model)]
    if not items or not _drop_all(items):
        yield False
        return
    token = _alongside.set([])
    try:
        yield True
        pending = _alongside.get()
    finally:
        _alongside.reset(token)
    with _computing(pending) as results, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Sorting the rebuilt indexes in memory; this transaction only.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        # Indexes first, then the foreign keys: each re-added key checks every row in
        # one pass and raises (rolling everything back) when one points at nothing.
        for item in sorted(items, key=lambda i: i.kind != "index"):
            _create(cursor, item)
    for (_compute, then), result in zip(pending, results, strict=True):
        then(result)
    if connection.vendor == "sqlite" and _sqlite_keys_enforced():
        # SQLite would refuse the COMMIT; checking here, set-wise, fails the same way but
        # names the row, and holds for a caller's outer transaction too. (When the keys
        # are off, `write_transaction` checks every written table before its COMMIT.)
        connection.check_constraints(table_names=[m._meta.db_table for m in models_written])


def alongside_rebuild(compute: Callable[[], Any], then: Callable[[Any], None]) -> None:
    """Run `compute` while the current bulk load re-creates its indexes and keys, then
    `then(result)` in this thread, inside the transaction, before the load ends; outside a
    bulk load, both at once.

    Re-creating indexes is one long statement each, in SQLite's C code or on the
    PostgreSQL server, during which our thread holds no interpreter lock: Python work that
    needs no database (`compute` must not touch it) runs meanwhile on the second core.
    """
    pending = _alongside.get()
    if pending is None:
        then(compute())
    else:
        pending.append((compute, then))


@contextmanager
def _computing(pending: Sequence[tuple[Callable[[], Any], Callable[[Any], None]]]
               ) -> Iterator[list]:
    """Run the computations in a thread for the duration of the block; yields the list
    their results fill (complete after the block). A computation's error is raised here."""
    results: list = [None] * len(pending)
    errors: list[BaseException] = []
    if not pending:
        yield results
        return

    def work() -> None:
        try:
            for i, (compute, _then) in enumerate(pending):
                results[i] = compute()
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=work, name="bulk-load-alongside", daemon=True)
    thread.start()
    try:
        yield results
    finally:
        thread.join()
    if errors:
        raise errors[0]


def _sqlite_keys_enforced() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


@contextmanager
def write_transaction(models_written: Sequence[type[models.Model]], new_rows: int
                      ) -> Iterator[None]:
    """`transaction.atomic()` for a delivery of `new_rows` rows into the first model (at
    most: re-delivered rows are found inside); on SQLite, when that is large enough to be
    bulk loaded, with the per-row foreign-key check off and one set-wise check of every
    written table before COMMIT.

    SQLite looks up each key of each inserted row (seven per signal): ~1.4 s per million
    rows (benchmarks/README.md, seventh round), where one `PRAGMA foreign_key_check` per
    table takes ~0.4 s. A row pointing at nothing still fails the whole transaction, with
    the row named. SQLite only switches the check outside a transaction, so inside a
    caller's transaction (and on other databases) this is plain `atomic()`.
    """
    off = (connection.vendor == "sqlite" and not connection.in_atomic_block
           and should_bulk_load(models_written[0], new_rows) and _sqlite_keys_enforced())
    if off:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        with transaction.atomic():
            yield
            if off:
                connection.check_constraints(
                    table_names=[m._meta.db_table for m in models_written])
    finally:
        if off:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys = ON")
