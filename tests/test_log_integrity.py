# ruff: noqa: S608 - the statements below are the attacks, table names are constants
"""A log nobody can rewrite: SQLite refuses REPLACE, PostgreSQL's application role may only
insert and select, and the hash chain shows any change that got round both."""

from __future__ import annotations

import os
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.audit.chain import verify
from knooppunt.audit.log import record
from knooppunt.audit.models import Action, ProcessingLogEntry
from knooppunt.organisations.models import Role

from .factories import member

pytestmark = pytest.mark.django_db
TABLE = "audit_processinglogentry"
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'")
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'")


def write_rows(n: int, user=None) -> list[ProcessingLogEntry]:
    return [record(user=user, action=Action.VIEW, object_type="signals.signal",
                   object_ids=[i], purpose="test", detail=f"rij {i}") for i in range(n)]


def verify_output() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_log", stdout=out)
    return out.getvalue()


def lift_guards() -> None:
    """What someone with the database file or owner rights could do: drop the guards."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("no_update", "no_delete", "no_replace"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{name}")
        else:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")


def test_rows_are_chained_and_verify_log_counts_them():
    rows = write_rows(5, member(Role.COORDINATOR))
    total = ProcessingLogEntry.objects.count()
    assert rows[0].row_hash and rows[1].prev_hash == rows[0].row_hash
    assert verify().intact and verify().count == total
    assert f"{total} regels" in verify_output()


@sqlite_only
def test_sqlite_refuses_insert_or_replace_of_an_existing_row():
    first, _ = write_rows(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(
            f"INSERT OR REPLACE INTO {TABLE} (id, timestamp, trace_id, username, organisation, "
            "channel, action, object_type, object_id, object_ids, object_count, purpose, "
            "outcome, detail, prev_hash, row_hash) VALUES (%s, '2020-01-01', 't', 'x', '', "
            "'web', 'view', 'x', '', '[]', 0, 'weg', 'success', '', '', '')", [first.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(f"REPLACE INTO {TABLE} SELECT * FROM {TABLE} WHERE id = %s", [first.pk])
    assert ProcessingLogEntry.objects.get(pk=first.pk).detail == "rij 0"
    assert verify().intact


@sqlite_only
def test_sqlite_still_refuses_update_and_delete():
    (row,) = write_rows(1)
    for statement in (f"UPDATE {TABLE} SET detail = 'x' WHERE id = %s",
                      f"DELETE FROM {TABLE} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [row.pk])


def _tamper(kind: str, rows: list[ProcessingLogEntry]) -> int:
    """Tamper with the log; returns the id verify_log must name."""
    lift_guards()
    a, b, c = rows[1], rows[2], rows[3]
    with connection.cursor() as cursor:
        if kind == "update":
            cursor.execute(f"UPDATE {TABLE} SET username = 'iemand anders' WHERE id = %s",
                           [b.pk])
            return b.pk
        if kind == "delete":
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [b.pk])
            return c.pk
        if kind == "delete-tail":
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [rows[-1].pk])
            return rows[-1].pk
        if kind == "append":
            # A row after the last, chained correctly on it but not through Knooppunt.
            last = rows[-1]
            from knooppunt.audit.chain import HASHED_FIELDS, content_hash

            forged = ProcessingLogEntry(trace_id="vals", action=Action.VIEW, object_type="x",
                                        purpose="vals", prev_hash=last.row_hash)
            forged.row_hash = content_hash(
                forged.prev_hash, {f: getattr(forged, f) for f in HASHED_FIELDS})
            cursor.execute(
                f"INSERT INTO {TABLE} (id, timestamp, trace_id, user_id, username, "
                "organisation, channel, action, object_type, object_id, object_ids, "
                "object_count, purpose, outcome, detail, prev_hash, row_hash) VALUES "
                "(%s, %s, %s, NULL, '', '', 'web', 'view', 'x', '', '[]', 1, 'vals', "
                "'success', '', %s, %s)",
                [last.pk + 1, forged.timestamp, forged.trace_id, forged.prev_hash,
                 forged.row_hash])
            return last.pk + 1
        if kind == "insert":
            # A forged row between two real ones, correctly hashed on its predecessor:
            # the next real row no longer links to it.
            forged = ProcessingLogEntry(trace_id="vals", action=Action.VIEW, object_type="x",
                                        purpose="vals", prev_hash=a.row_hash)
            from knooppunt.audit.chain import HASHED_FIELDS, content_hash

            forged.row_hash = content_hash(
                forged.prev_hash, {f: getattr(forged, f) for f in HASHED_FIELDS})
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [b.pk])
            forged.pk = b.pk
            cursor.execute(
                f"INSERT INTO {TABLE} (id, timestamp, trace_id, user_id, username, "
                "organisation, channel, action, object_type, object_id, object_ids, "
                "object_count, purpose, outcome, detail, prev_hash, row_hash) VALUES "
                "(%s, %s, %s, NULL, '', '', 'web', 'view', 'x', '', '[]', 1, 'vals', "
                "'success', '', %s, %s)",
                [b.pk, forged.timestamp, forged.trace_id, forged.prev_hash, forged.row_hash])
            return c.pk
        if kind == "reorder":
            # Swap two rows entirely, hashes included.
            columns = "username, detail, object_ids, prev_hash, row_hash, trace_id, timestamp"
            cursor.execute(f"SELECT {columns} FROM {TABLE} WHERE id = %s", [b.pk])
            b_values = cursor.fetchone()
            cursor.execute(f"SELECT {columns} FROM {TABLE} WHERE id = %s", [c.pk])
            c_values = cursor.fetchone()
            setter = ", ".join(f"{name.strip()} = %s" for name in columns.split(","))
            cursor.execute(f"UPDATE {TABLE} SET {setter} WHERE id = %s", [*c_values, b.pk])
            cursor.execute(f"UPDATE {TABLE} SET {setter} WHERE id = %s", [*b_values, c.pk])
            return b.pk
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["update", "delete", "delete-tail", "insert", "append",
                                  "reorder"])
def test_verify_log_names_the_first_broken_row(kind):
    rows = write_rows(6, member(Role.ANALIST))
    assert verify().intact
    broken = _tamper(kind, rows)
    verdict = verify()
    assert not verdict.intact and verdict.broken_id == broken, verdict
    with pytest.raises(CommandError, match=f"eerste gebroken regel {broken}"):
        call_command("verify_log")


def test_verify_log_exits_non_zero_from_the_command_line():
    from knooppunt.cli import main

    rows = write_rows(4)
    _tamper("update", rows)
    with pytest.raises(SystemExit) as exited:
        main(["knooppunt", "verify_log"])
    assert exited.value.code != 0


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(st.text(max_size=40).filter(lambda t: "\x00" not in t), min_size=1,
                      max_size=4))
def test_any_text_people_type_chains_and_verifies(texts):
    """Names, details and ids of any shape (accents, emoji, quotes) hash the same read back."""
    with transaction.atomic():
        for text in texts:
            record(user=None, action=Action.UPDATE, object_type="signals.signal",
                   object_ids=[text, 1], purpose=text[:200] or "p", detail=text)
        assert verify().intact
        transaction.set_rollback(True)


@postgres_only
def test_concurrent_writers_do_not_fork_the_chain():
    """Eight threads writing at once on PostgreSQL: one chain, no two rows on one parent.

    Each thread has its own connection and commits (the log cannot be flushed after a
    test, so these rows stay for the session; they are a valid chain).
    """
    errors: list[Exception] = []

    def work() -> None:
        try:
            write_rows(10)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    parents = list(ProcessingLogEntry.objects.values_list("prev_hash", flat=True))
    assert len(parents) == len(set(parents))
    assert verify().intact and verify().count == len(parents)


@postgres_only
def test_the_application_role_may_only_insert_and_select_on_the_log():
    """Run as a role set up by `grant_app_role`: the log refuses all but INSERT and SELECT."""
    role = f"knp_app_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
    call_command("grant_app_role", role)
    rows = write_rows(2)
    refused = {
        "update": f"UPDATE {TABLE} SET detail = 'x' WHERE id = {rows[0].pk}",
        "delete": f"DELETE FROM {TABLE} WHERE id = {rows[0].pk}",
        "truncate": f"TRUNCATE {TABLE}",
        "disable trigger": f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL",
        "drop trigger": f"DROP TRIGGER {TABLE}_append_only ON {TABLE}",
        "replica": "SET session_replication_role = replica",
        "setval": f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), 1)",
    }
    for what, statement in refused.items():
        with pytest.raises(DatabaseError, match="permission denied|must be owner"), \
                transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
            cursor.execute(statement)
            pytest.fail(f"{what} was allowed")  # pragma: no cover
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        record(user=None, action=Action.VIEW, object_type="x", purpose="als app")
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        assert cursor.fetchone()[0] == ProcessingLogEntry.objects.count()
        # Other tables stay writable for the application.
        cursor.execute("UPDATE organisations_organisation SET active = active")
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == role
    assert verify().intact


@postgres_only
def test_grant_app_role_refuses_a_superuser_or_the_owner():
    with pytest.raises(CommandError):
        call_command("grant_app_role", "postgres")
    with pytest.raises(CommandError):
        call_command("grant_app_role", "bestaat_niet_knp")


def test_a_bulk_delivery_chains_its_log_row():
    import datetime as dt

    from knooppunt.signals.bulk import bulk_create_signals
    from knooppunt.taxonomy.models import SourceType, Theme

    from .factories import OrganisationFactory, municipality

    org = OrganisationFactory(municipalities=[municipality()])
    user = member(Role.COORDINATOR, org)
    write_rows(2)
    base = {"theme_id": Theme.objects.get(code="hennepteelt").pk,
            "source_type_id": SourceType.objects.get(code="politie").pk,
            "municipality_id": municipality().pk, "description": "Hennepbericht",
            "confidentiality": 1, "received_on": dt.date(2025, 4, 1)}
    ids = bulk_create_signals(user=user, organisation=org, rows=[base, base, base])
    last = ProcessingLogEntry.objects.order_by("-id").first()
    assert last.object_ids == [str(i) for i in ids] and last.row_hash
    assert verify().intact
    with pytest.raises(PermissionError):
        ProcessingLogEntry.objects.bulk_create([ProcessingLogEntry(trace_id="x")])
    assert verify().intact
