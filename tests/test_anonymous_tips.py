"""Anonymous stays anonymous: after an anonymous intake the reporter's identity is nowhere —
not in any table of the database, not in the processing log, not in the server log."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from knooppunt.organisations.models import Role
from knooppunt.signals.models import Signal
from knooppunt.taxonomy.models import SourceType, Theme

from .factories import OrganisationFactory, issue_key, member, municipality, system_account

pytestmark = pytest.mark.django_db(transaction=False)

NAME = "Henk Verklikker-Zevenhuizen"
CONTACT = "henk.verklikker@example.nl 06-98765432"


def _database_contains(needle: str) -> list[str]:
    """Every table and column whose text holds `needle` (case-insensitive)."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            description = connection.introspection.get_table_description(cursor, table)
            columns = [c.name for c in description]
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = value.decode(errors="ignore") if isinstance(value, bytes) \
                        else str(value)
                    if needle.lower() in text.lower():
                        hits.append(f"{table}.{column}")
    return hits


@pytest.fixture
def caplog_all(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def _assert_nowhere(caplog_all):
    for needle in (NAME, "Verklikker", "98765432"):
        assert _database_contains(needle) == []
        assert needle not in caplog_all.text


def test_anonymous_web_form_keeps_no_reporter(client, caplog_all):
    org = OrganisationFactory(municipalities=[municipality()])
    client.force_login(member(Role.COORDINATOR, org))
    response = client.post(
        "/signalen/nieuw/",
        {
            "reporting_organisation": org.pk,
            "theme": Theme.objects.get(code="drugshandel").pk,
            "source_type": SourceType.objects.get(code="mma").pk,
            "received_on": "2025-06-02",
            "municipality": municipality().pk,
            "description": "Tip via Meld Misdaad Anoniem: handel vanuit garagebox.",
            "confidentiality": "1",
            "reporter_name": NAME,
            "reporter_contact": CONTACT,
        },
    )
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.is_anonymous
    client.get(response["Location"])  # the detail page is logged too
    _assert_nowhere(caplog_all)


def test_anonymous_api_intake_keeps_no_reporter(client, caplog_all):
    org = OrganisationFactory(municipalities=[municipality()])
    _token, key = issue_key(system_account(org, Role.MEDEWERKER), name="mma-koppeling")
    headers = {"Authorization": f"Token {key}"}
    payload = {
        "theme": "drugshandel",
        "sourceType": "bewoner",
        "receivedOn": "2025-06-02",
        "municipality": "GM0153",
        "description": "Anonieme tip van een bewoner.",
        "isAnonymous": True,
        "reporterName": NAME,
        "reporterContact": CONTACT,
    }
    refused = client.post("/api/v1/signals", payload, content_type="application/json",
                          headers=headers)
    # Identity sent with an anonymous tip is refused, and the refusal does not echo it.
    assert refused.status_code == 400
    assert NAME not in refused.content.decode()
    payload.pop("reporterName")
    payload.pop("reporterContact")
    created = client.post("/api/v1/signals", payload, content_type="application/json",
                          headers=headers)
    assert created.status_code == 201
    assert Signal.objects.get().is_anonymous
    _assert_nowhere(caplog_all)


def test_the_scan_finds_text_that_is_there():
    # Guards the guard: the scan must see signals, history and the processing log.
    org = OrganisationFactory(municipalities=[municipality()], name="Organisatie Zichtbaar")
    member(Role.COORDINATOR, org, username="zichtbare-gebruiker")
    hits = _database_contains("Organisatie Zichtbaar")
    assert "organisations_organisation.name" in hits
    assert any(hit.startswith("auth_user") for hit in _database_contains("zichtbare-gebruiker"))
