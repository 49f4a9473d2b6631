"""A large delivery locks nobody out (issue 13, decision 0031).

While a delivery large enough for the bulk load of decision 0017 is storing - its
transaction open - a second connection with a one-second lock timeout logs in (reads and
updates auth_user, writes a session), reads the signal table, and registers a signal of
another organisation. Before decision 0031 each of these waited on PostgreSQL until the
delivery committed (ACCESS EXCLUSIVE on eleven tables). Not timed: the lock timeout turns a
wait into an error.
"""

from __future__ import annotations

import pytest
from django.db import connection

from knooppunt.intake import importer
from knooppunt.intake.examples import example_file, example_rows
from knooppunt.intake.models import DeliveryProfile, DeliveryStatus
from knooppunt.intake.submit import submit
from knooppunt.signals import bulkload
from knooppunt.signals.models import Signal
from tests.factories import OrganisationFactory, SignalFactory, member, municipality


def _second_connection():
    """A connection of its own (not Django's), as another user's request has."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        import psycopg

        other = psycopg.connect(
            host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
            user=settings["USER"], password=settings["PASSWORD"] or None,
            dbname=settings["NAME"], autocommit=True)
        other.execute("SET lock_timeout = '1s'")
        return other
    import sqlite3

    other = sqlite3.connect(settings["NAME"], timeout=1, isolation_level=None)
    return other


def _others_work(other, user_pk: int, org_pk: int) -> dict[str, object]:
    """What another organisation does meanwhile; each step's outcome (or its error)."""
    done: dict[str, object] = {}
    steps = {
        "login": [
            ("SELECT id, password FROM auth_user WHERE id = %s", [user_pk]),
            ("UPDATE auth_user SET last_login = CURRENT_TIMESTAMP WHERE id = %s", [user_pk]),
        ],
        "read": [
            ("SELECT id, reference FROM signals_signal WHERE reporting_organisation_id = %s "
             "ORDER BY received_on DESC LIMIT 25", [org_pk]),
            ("SELECT count(*) FROM organisations_organisation", []),
            ("SELECT count(*) FROM taxonomy_theme", []),
        ],
    }
    for name, statements in steps.items():
        try:
            for sql, params in statements:
                if connection.vendor == "sqlite":
                    other.execute(sql.replace("%s", "?"), params)
                else:
                    other.execute(sql, params)
            done[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - the outcome is the assertion
            done[name] = f"{type(exc).__name__}: {exc}"
    return done


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_flushable_log")
def test_a_large_delivery_blocks_no_login_and_no_other_organisations_read(
        deliverer, partner, settings, monkeypatch):
    settings.KNOOPPUNT_BULK_LOAD_MIN_ROWS = 10  # 30 rows into an empty table: "large"
    town = OrganisationFactory(name="Gemeente Ander", municipalities=[municipality("GM0153")])
    clerk = member("coordinator", organisation=town, username="ander.inlog")
    SignalFactory(reporting_organisation=town)
    # The other organisation's registration, through the app, from another thread.
    seen: list[dict] = []
    real = importer.insert_columns
    bulk_taken: list[bool] = []
    real_drop = bulkload._drop_all

    def drop_all(items):
        bulk_taken.append(real_drop(items))
        return bulk_taken[-1]

    def insert_then_look(model, *args, **kwargs):
        found = real(model, *args, **kwargs)
        # The delivery's rows are in, its transaction open (the records come last).
        other = _second_connection()
        try:
            seen.append(_others_work(other, clerk.pk, town.pk))
        finally:
            other.close()
        return found

    monkeypatch.setattr(importer, "insert_columns", insert_then_look)
    monkeypatch.setattr(bulkload, "_drop_all", drop_all)
    profile = DeliveryProfile.objects.get(code="politie-hennep")
    data, name = example_file("politie-hennep", example_rows("politie-hennep", 30))
    delivery = submit(profile=profile, organisation=partner, user=deliverer, data=data,
                      filename=name)
    assert delivery.status == DeliveryStatus.ACCEPTED and delivery.accepted == 30
    assert len(seen) == 1
    if connection.vendor == "postgresql":
        # No bulk load unless a beheerder switched it on, so nothing shared is locked.
        assert bulk_taken == []
        assert seen[0] == {"login": "ok", "read": "ok"}
    else:
        # SQLite: the bulk load needs no switch; readers read the last committed state
        # (WAL). A write (the login's UPDATE) waits for the one writer, as any write did.
        assert bulk_taken == [True]
        assert seen[0]["read"] == "ok"
    assert Signal.objects.filter(reporting_organisation=town).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_flushable_log")
def test_the_locking_bulk_load_is_taken_only_where_a_beheerder_allows_it(
        deliverer, partner, settings, monkeypatch):
    settings.KNOOPPUNT_BULK_LOAD_MIN_ROWS = 10
    taken: list[bool] = []
    real_drop = bulkload._drop_all

    def drop_all(items):
        taken.append(real_drop(items))
        return taken[-1]

    monkeypatch.setattr(bulkload, "_drop_all", drop_all)
    profile = DeliveryProfile.objects.get(code="politie-hennep")

    def deliver(seed: int):
        data, name = example_file("politie-hennep",
                                  example_rows("politie-hennep", 40 * (seed + 1), seed=seed))
        return submit(profile=profile, organisation=partner, user=deliverer, data=data,
                      filename=name)

    assert deliver(0).status == DeliveryStatus.ACCEPTED
    with bulkload.allow_locking():  # as `import-signals --bulk-load-locking` does
        assert deliver(1).status == DeliveryStatus.ACCEPTED
    if connection.vendor == "postgresql":
        assert taken == [True]  # only the allowed one
    else:
        assert taken == [True, True]  # SQLite locks no reader: always allowed
