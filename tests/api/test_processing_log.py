"""Every API access to signals writes a processing-log row: channel api, user, action."""

from __future__ import annotations

import pytest

from knooppunt.audit.models import Action, Outcome, ProcessingLogEntry
from knooppunt.organisations.models import Role
from knooppunt.signals.models import Signal
from tests.factories import SignalFactory, member

from .conftest import token_client
from .helpers import SIGNALS, valid_payload

pytestmark = pytest.mark.django_db


def only_new_row(before: set[int]) -> ProcessingLogEntry:
    rows = list(ProcessingLogEntry.objects.exclude(pk__in=before))
    assert len(rows) == 1, rows
    return rows[0]


def existing() -> set[int]:
    return set(ProcessingLogEntry.objects.values_list("pk", flat=True))


def assert_api_row(row: ProcessingLogEntry, user, action: str) -> None:
    assert row.channel == "api"
    assert row.user_id == user.pk and row.username == user.get_username()
    assert row.action == action
    assert row.object_type == "signals.signal"
    assert row.trace_id


def test_list_logs_the_signals_on_the_page(api, partner):
    signals = [SignalFactory(reporting_organisation=partner.organisation) for _ in range(3)]
    before = existing()

    response = api.get(SIGNALS, {"pageSize": 2, "theme": "hennepteelt"})

    row = only_new_row(before)
    assert_api_row(row, partner.user, Action.LIST)
    shown = {item["reference"] for item in response.json()["results"]}
    assert {str(s.pk) for s in signals if s.reference in shown} == set(row.object_ids)
    assert row.object_count == 2
    assert "theme=hennepteelt" in row.detail
    assert row.trace_id == response["X-Trace-Id"]


def test_empty_list_is_logged_too(api, partner):
    before = existing()

    api.get(SIGNALS)

    row = only_new_row(before)
    assert_api_row(row, partner.user, Action.LIST)
    assert row.object_ids == [] and row.object_count == 0


def test_retrieve_logs_the_signal(api, partner):
    signal = SignalFactory(reporting_organisation=partner.organisation)
    before = existing()

    api.get(f"{SIGNALS}/{signal.reference}")

    row = only_new_row(before)
    assert_api_row(row, partner.user, Action.VIEW)
    assert row.object_id == str(signal.pk) and row.outcome == Outcome.SUCCESS


def test_create_logs_the_new_signal_once(api, partner):
    before = existing()

    response = api.post(SIGNALS, valid_payload(), format="json")

    row = only_new_row(before)
    assert_api_row(row, partner.user, Action.CREATE)
    signal = Signal.objects.get(reference=response.json()["reference"])
    assert row.object_id == str(signal.pk)
    assert partner.organisation.name in row.organisation


def test_refused_create_logs_nothing(api):
    before = existing()

    api.post(SIGNALS, valid_payload(theme="onbekend"), format="json")

    assert existing() == before


def test_retrieve_of_hidden_signal_is_logged_as_denied(api, partner):
    hidden = SignalFactory()  # another organisation, no covenant
    before = existing()

    api.get(f"{SIGNALS}/{hidden.reference}")

    row = only_new_row(before)
    assert_api_row(row, partner.user, Action.VIEW)
    assert row.outcome == Outcome.DENIED
    assert row.object_ids == [] and hidden.reference in row.detail


def test_bestuurder_refusal_is_logged_as_denied(partner):
    bestuurder = member(Role.BESTUURDER, partner.organisation)
    client = token_client(bestuurder)
    before = existing()

    client.get(SIGNALS)

    row = only_new_row(before)
    assert_api_row(row, bestuurder, Action.VIEW)
    assert row.outcome == Outcome.DENIED


def test_unauthenticated_request_logs_nothing(client):
    before = existing()

    client.get(SIGNALS)

    assert existing() == before
