"""Large deliveries as a bulk load (decision 0017): same schema afterwards, same guarantees."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from knooppunt.intake import importer
from knooppunt.intake.examples import example_file, example_rows
from knooppunt.intake.models import DeliveryProfile, DeliveryRecord, DeliveryStatus
from knooppunt.intake.submit import submit
from knooppunt.signals import bulkload
from knooppunt.signals.bulk import reserve_ids
from knooppunt.signals.models import Signal
from knooppunt.taxonomy.models import Theme
from tests.factories import SignalFactory

TABLES = ("signals_signal", "intake_deliveryrecord")


def schema() -> dict:
    """Every index and constraint on the written tables and every key pointing at them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE tablename = ANY(%s) ORDER BY 1, 2", [list(TABLES)])
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid), "
                "condeferrable, condeferred, convalidated FROM pg_constraint "
                "WHERE conrelid::regclass::text = ANY(%s) OR confrelid::regclass::text = ANY(%s) "
                "ORDER BY 1, 2", [list(TABLES), list(TABLES)])
            return {"indexes": indexes, "constraints": cursor.fetchall()}
        cursor.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name IN (%s, %s) "
            "ORDER BY type, name", list(TABLES))
        objects = cursor.fetchall()
        keys = []
        for table in TABLES:
            cursor.execute(f"PRAGMA foreign_key_list({table})")
            keys.append(sorted(cursor.fetchall()))
        return {"objects": objects, "foreign_keys": keys}


@pytest.fixture(autouse=True)
def _locking_allowed(settings):
    """These tests are about the bulk load itself: on PostgreSQL a beheerder must switch it
    on (decision 0031; tests/intake/test_delivery_locks.py tests that it is off by default)."""
    settings.KNOOPPUNT_BULK_LOAD_LOCKING = True


@pytest.fixture
def spy(monkeypatch):
    """Records whether each delivery took the bulk path."""
    taken: list[bool] = []
    real = importer.bulk_load

    @contextmanager
    def recording(models_written, enabled=True):
        with real(models_written, enabled) as bulk:
            taken.append(bulk)
            yield bulk

    monkeypatch.setattr(importer, "bulk_load", recording)
    return taken


def deliver(user, org, rows: int, seed: int = 0):
    data, name = example_file("politie-hennep", example_rows("politie-hennep", rows, seed=seed))
    return submit(profile=DeliveryProfile.objects.get(code="politie-hennep"),
                  organisation=org, user=user, data=data, filename=name)


def test_what_is_dropped_comes_from_the_catalogue(db):
    """Non-unique indexes only (the unique reference and the re-delivery key stay), and on
    PostgreSQL every foreign key; each with a statement that re-creates it."""
    signal = bulkload.secondary_objects(Signal)
    record = bulkload.secondary_objects(DeliveryRecord)
    indexes = [i for i in signal + record if i.kind == "index"]
    assert indexes and all("UNIQUE" not in i.definition.upper() for i in indexes)
    assert all(i.definition.upper().startswith("CREATE INDEX") for i in indexes)
    names = {i.name for i in signal}
    assert "unique_signal_reference" not in names
    assert {"signal_address_status_idx", "signal_address_register_idx"} <= names
    keys = {i.name for i in signal + record if i.kind == "foreign key"}
    if connection.vendor == "postgresql":
        # theme, source type, municipality, wijk, buurt, organisation, creator; and the
        # delivery record's profile, organisation, signal and delivery.
        assert len(keys) == 11
        assert all("DEFERRABLE INITIALLY DEFERRED" in i.definition
                   for i in signal + record if i.kind == "foreign key")
    else:
        assert keys == set()


def test_threshold_needs_enough_rows_that_double_the_table(db, settings):
    settings.KNOOPPUNT_BULK_LOAD_MIN_ROWS = 10
    assert not bulkload.should_bulk_load(Signal, 9)
    assert bulkload.should_bulk_load(Signal, 10)
    settings.KNOOPPUNT_BULK_LOAD_MIN_ROWS = 0
    assert not bulkload.should_bulk_load(Signal, 10**6)


def test_large_delivery_is_bulk_loaded_and_the_schema_is_as_before(
        deliverer, partner, settings, spy):
    settings.KNOOPPUNT_BULK_LOAD_MIN_ROWS = 20
    before = schema()
    first = deliver(deliverer, partner, 40)
    assert first.status == DeliveryStatus.ACCEPTED and first.accepted == 40
    assert spy == [True]
    assert schema() == before
    # Fewer than the rows already stored: the ordinary path.
    second = deliver(deliverer, partner, 25, seed=1)
    assert second.status == DeliveryStatus.ACCEPTED and second.accepted == 25
    assert spy == [True, False]
    assert schema() == before
    # Idempotent as always: delivered again, nothing new (and under the threshold).
    again = deliver(deliverer, partner, 40)
    assert (again.accepted, again.duplicates) == (0, 40)
    assert Signal.objects.count() == DeliveryRecord.objects.count() == 65


def test_small_delivery_keeps_the_ordinary_path(deliverer, partner, spy):
    delivery = deliver(deliverer, partner, 30)
    assert delivery.status == DeliveryStatus.ACCEPTED
    assert spy == [False]


def test_a_bad_reference_fails_the_whole_bulk_delivery(partner, deliverer, settings,
                                                         monkeypatch, spy):
    """A row pointing at a theme that does not exist (as if it were deleted meanwhile):
    re-adding the foreign key (PostgreSQL) or the set-wise check (SQLite) refuses the
    whole delivery inside its transaction; nothing is stored and the schema is intact."""
    settings.KNOOPPUNT_BULK_LOAD_MIN_ROWS = 10
    missing = (Theme.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    real_place, real_place_columns = importer.place, importer.place_columns

    def place_then_break(rows):
        found = real_place(rows)
        rows[-1]["theme_id"] = missing
        return found

    def place_columns_then_break(columns):
        found = real_place_columns(columns)
        columns["theme_id"][-1] = missing
        return found

    monkeypatch.setattr(importer, "place", place_then_break)
    monkeypatch.setattr(importer, "place_columns", place_columns_then_break)
    before = schema()
    delivery = deliver(deliverer, partner, 30)
    assert spy == [True]
    assert delivery.status == DeliveryStatus.FAILED
    assert "niets opgeslagen" in delivery.message
    assert Signal.objects.count() == 0
    assert DeliveryRecord.objects.count() == 0
    assert schema() == before


def test_drops_roll_back_with_the_transaction(db):
    """An error while loading: the caller's transaction rolls back and takes the drops
    with it; nothing is re-created twice and the schema is as before."""
    before = schema()
    with pytest.raises(ZeroDivisionError), transaction.atomic(), \
            bulkload.bulk_load([Signal, DeliveryRecord]) as taken:
        assert taken
        assert bulkload.secondary_objects(Signal) == []
        assert bulkload.secondary_objects(DeliveryRecord) == []
        1 / 0  # noqa: B018
    assert schema() == before


def test_a_lock_that_does_not_come_falls_back_to_the_ordinary_path(
        deliverer, partner, settings, monkeypatch, spy):
    """A drop that fails (on PostgreSQL: a reader holds a table past the lock timeout) is
    undone whole by its savepoint; the delivery is stored the ordinary way."""
    settings.KNOOPPUNT_BULK_LOAD_MIN_ROWS = 10
    real_drop = bulkload._drop
    dropped = []

    def drop_then_time_out(cursor, item):
        if dropped:
            raise OperationalError("canceling statement due to lock timeout")
        dropped.append(item)
        real_drop(cursor, item)

    monkeypatch.setattr(bulkload, "_drop", drop_then_time_out)
    before = schema()
    delivery = deliver(deliverer, partner, 30)
    assert len(dropped) == 1  # one object was dropped before the "timeout"
    assert spy == [False]
    assert delivery.status == DeliveryStatus.ACCEPTED and delivery.accepted == 30
    assert schema() == before


def test_ids_reserved_while_the_table_is_held_are_one_step_of_the_sequence(db):
    """Inside a bulk load the table is ours until COMMIT: the ids come as one range (on
    PostgreSQL by one step of the sequence, not a nextval() per row), and a signal made
    afterwards the ordinary way gets an id past the range."""
    with transaction.atomic(), bulkload.bulk_load([Signal, DeliveryRecord]) as taken:
        assert taken
        with CaptureQueriesContext(connection) as queries:
            ids = reserve_ids(Signal, 500)
    assert ids == list(range(ids[0], ids[0] + 500))
    if connection.vendor == "postgresql":
        assert not any("generate_series" in q["sql"] for q in queries.captured_queries)
    later = SignalFactory()
    if connection.vendor == "postgresql":
        # The sequence moved past the range (on SQLite the range is the transaction's
        # write lock and the rows themselves: ids of rows never written are free again).
        assert later.pk > ids[-1]
    # Outside a bulk load: still a range no one else gets, the ordinary way.
    more = reserve_ids(Signal, 3)
    assert len(set(more)) == 3 and min(more) > later.pk


def _foreign_keys_enforced() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


# Outside a test transaction, as a delivery runs in production (the job runner, the
# command line): only then can SQLite switch its per-row key check off.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_flushable_log")
def test_a_large_delivery_checks_keys_once_and_a_bad_one_still_fails_all(
        deliverer, partner, settings, monkeypatch, spy):
    settings.KNOOPPUNT_BULK_LOAD_MIN_ROWS = 10
    missing = (Theme.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    real_place_columns = importer.place_columns
    enforced_while_writing: list[bool] = []
    breaking = [True]

    def place_columns_then_break(columns):
        found = real_place_columns(columns)
        if connection.vendor == "sqlite":
            enforced_while_writing.append(_foreign_keys_enforced())
        if breaking[0]:
            columns["theme_id"][-1] = missing
        return found

    monkeypatch.setattr(importer, "place_columns", place_columns_then_break)
    before = schema()
    failed = deliver(deliverer, partner, 30)
    assert failed.status == DeliveryStatus.FAILED
    assert "niets opgeslagen" in failed.message
    assert Signal.objects.count() == DeliveryRecord.objects.count() == 0
    assert schema() == before
    breaking[0] = False
    stored = deliver(deliverer, partner, 30)
    assert stored.status == DeliveryStatus.ACCEPTED and stored.accepted == 30
    assert spy == [True, True]
    assert schema() == before
    if connection.vendor == "sqlite":
        assert enforced_while_writing == [False, False]  # off for the rows ...
        assert _foreign_keys_enforced()  # ... and on again afterwards, after either outcome


def test_work_alongside_the_rebuild_runs_in_another_thread_before_the_load_ends(db):
    """Pure-Python work handed over during a bulk load runs while the indexes are re-created
    (another thread) and its result is used in this thread before the load ends; outside
    a bulk load it runs at once."""
    done: list[tuple[str, object]] = []

    def compute():
        return threading.current_thread().name

    with transaction.atomic(), bulkload.bulk_load([Signal, DeliveryRecord]) as taken:
        assert taken
        bulkload.alongside_rebuild(compute, lambda name: done.append(("then", name)))
        assert done == []  # deferred
    assert done == [("then", "bulk-load-alongside")]
    bulkload.alongside_rebuild(compute, lambda name: done.append(("now", name)))
    assert done[-1] == ("now", threading.current_thread().name)


def test_an_error_alongside_the_rebuild_fails_the_load(db):
    before = schema()

    def broken():
        raise ValueError("kapot")

    with pytest.raises(ValueError, match="kapot"), transaction.atomic(), \
            bulkload.bulk_load([Signal, DeliveryRecord]):
        bulkload.alongside_rebuild(broken, lambda _result: None)
    assert schema() == before
