"""The processing log: every access path writes it, and nothing can change it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from knooppunt.audit.models import Action, ProcessingLogEntry
from knooppunt.organisations.models import Role
from knooppunt.signals.models import Signal
from tests.factories import issue_key, system_like

from .factories import SignalFactory, member

pytestmark = pytest.mark.django_db

ENSCHEDE_POINT = {"latitude": 52.2215, "longitude": 6.8937}


@pytest.fixture
def world():
    signal = SignalFactory()
    user = member(Role.COORDINATOR, signal.reporting_organisation)
    return user, signal


def _new_rows(before: int) -> list[ProcessingLogEntry]:
    return list(ProcessingLogEntry.objects.order_by("id")[before:])


def _assert_logged(before, user, action, channel, object_id=None):
    rows = [r for r in _new_rows(before) if r.action == action]
    assert rows, f"no {action} row written"
    row = rows[-1]
    assert row.user_id == user.pk
    assert row.username == user.username
    assert row.channel == channel
    assert row.purpose
    assert row.trace_id
    assert row.organisation
    if object_id is not None:
        assert str(object_id) in row.object_ids
    return row


def test_web_list_writes_log(client, world):
    user, signal = world
    client.force_login(user)
    before = ProcessingLogEntry.objects.count()
    assert client.get("/signalen/").status_code == 200
    _assert_logged(before, user, Action.LIST, "web", signal.pk)


def test_web_detail_writes_log(client, world):
    user, signal = world
    client.force_login(user)
    before = ProcessingLogEntry.objects.count()
    assert client.get(f"/signalen/{signal.reference}/").status_code == 200
    _assert_logged(before, user, Action.VIEW, "web", signal.pk)


def test_web_export_writes_log(client, world):
    user, signal = world
    client.force_login(user)
    before = ProcessingLogEntry.objects.count()
    assert client.get("/signalen/export.csv").status_code == 200
    _assert_logged(before, user, Action.EXPORT, "web", signal.pk)


def test_web_status_change_writes_log(client, world):
    user, signal = world
    client.force_login(user)
    before = ProcessingLogEntry.objects.count()
    response = client.post(
        f"/signalen/{signal.reference}/status/",
        {"to_status": "in_behandeling", "note": "Opgepakt door AOV"},
    )
    assert response.status_code == 302
    _assert_logged(before, user, Action.UPDATE, "web", signal.pk)


def test_web_create_writes_log(client, world):
    user, signal = world
    client.force_login(user)
    before = ProcessingLogEntry.objects.count()
    response = client.post(
        "/signalen/nieuw/",
        {
            "reporting_organisation": signal.reporting_organisation.pk,
            "theme": signal.theme.pk,
            "source_type": signal.source_type.pk,
            "received_on": "2025-05-01",
            "description": "Hennepgeur",
            "confidentiality": 1,
            **ENSCHEDE_POINT,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Signal.objects.exclude(pk=signal.pk).get()
    _assert_logged(before, user, Action.CREATE, "web", created.pk)


def _token_headers(system) -> dict[str, str]:
    _token, key = issue_key(system, name="partner")
    return {"Authorization": f"Token {key}"}


def test_api_list_retrieve_create_write_log(client, world):
    person, signal = world
    user = system_like(person)  # the partner system, under whose name its calls are logged
    headers = _token_headers(user)
    before = ProcessingLogEntry.objects.count()
    assert client.get("/api/v1/signals", headers=headers).status_code == 200
    _assert_logged(before, user, Action.LIST, "api", signal.pk)
    before = ProcessingLogEntry.objects.count()
    assert client.get(f"/api/v1/signals/{signal.reference}", headers=headers).status_code == 200
    _assert_logged(before, user, Action.VIEW, "api", signal.pk)
    before = ProcessingLogEntry.objects.count()
    response = client.post(
        "/api/v1/signals",
        {
            "theme": "hennepteelt",
            "sourceType": "politie",
            "receivedOn": "2025-05-01",
            "description": "Hennepbericht",
            **ENSCHEDE_POINT,
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    created = Signal.objects.get(reference=response.json()["reference"])
    _assert_logged(before, user, Action.CREATE, "api", created.pk)


def test_denied_detail_does_not_leak_but_is_not_logged_as_success(client, world):
    _user, signal = world
    outsider = member(Role.ANALIST)
    client.force_login(outsider)
    before = ProcessingLogEntry.objects.count()
    assert client.get(f"/signalen/{signal.reference}/").status_code == 404
    assert not [r for r in _new_rows(before) if r.action == Action.VIEW]


def test_log_refuses_changes_through_the_model(world):
    user, signal = world
    from knooppunt.audit.log import record

    entry = record(user=user, action=Action.VIEW, obj=signal, purpose="test")
    entry.purpose = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        ProcessingLogEntry.objects.filter(pk=entry.pk).update(purpose="changed")
    with pytest.raises(PermissionError):
        ProcessingLogEntry.objects.all().delete()


@pytest.mark.parametrize("statement", ["UPDATE {t} SET purpose = 'x'", "DELETE FROM {t}"])
def test_log_refuses_changes_in_the_database(world, statement):
    user, signal = world
    from knooppunt.audit.log import record

    record(user=user, action=Action.VIEW, obj=signal, purpose="test")
    table = ProcessingLogEntry._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(t=table))
    assert ProcessingLogEntry.objects.filter(purpose="test").exists()


def test_admin_offers_no_change_or_delete_on_the_log(admin_client, world):
    user, signal = world
    from knooppunt.audit.log import record

    entry = record(user=user, action=Action.VIEW, obj=signal, purpose="test")
    response = admin_client.get(f"/beheer/audit/processinglogentry/{entry.pk}/change/")
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert admin_client.get(f"/beheer/audit/processinglogentry/{entry.pk}/delete/").status_code \
        == 403
    assert admin_client.get("/beheer/audit/processinglogentry/add/").status_code == 403
