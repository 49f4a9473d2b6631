"""Fixtures for delivery tests: a partner organisation with a member who may deliver."""

from __future__ import annotations

import importlib

import pytest
from django.core.management.commands import flush
from django.db import connection

from knooppunt.geo.loading import load_geography
from knooppunt.organisations.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, member, municipality


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def partner(db):
    return OrganisationFactory(
        name="Politie Oost-Nederland", kind=OrganisationKind.POLITIE,
        municipalities=[municipality("GM0153")],
    )


@pytest.fixture
def deliverer(partner):
    return member(Role.ANALIST, organisation=partner, username="aanleveraar")


@pytest.fixture
def _flushable_log():
    """A transactional test ends with a flush of every table; the processing log refuses
    DELETE and TRUNCATE by trigger. For that one flush only, lift the triggers and put them
    back (the statements of the migration that made them). The flush also removes the
    geography, which is loaded once per test database after the state that
    `serialized_rollback` restores was taken: load it again for the tests after it."""
    yield
    triggers = importlib.import_module("knooppunt.audit.migrations.0002_append_only_triggers")
    original = flush.Command.handle

    def handle(self, **options):
        flush.Command.handle = original
        vendor = connection.vendor
        drop = {"sqlite": triggers.SQLITE_REVERSE, "postgresql": triggers.POSTGRES_REVERSE}
        make = {"sqlite": triggers.SQLITE, "postgresql": triggers.POSTGRES}
        with connection.cursor() as cursor:
            for statement in drop.get(vendor, []):
                cursor.execute(statement)
        try:
            return original(self, **options)
        finally:
            with connection.cursor() as cursor:
                for statement in make.get(vendor, []):
                    cursor.execute(statement)
            load_geography()

    flush.Command.handle = handle
