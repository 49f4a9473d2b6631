"""API-Version (NLGov API Design Rules) on every API response, success or error."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import SignalFactory

from .helpers import SIGNALS, valid_payload

pytestmark = pytest.mark.django_db


def test_every_kind_of_api_response_carries_the_version(api, partner):
    signal = SignalFactory(reporting_organisation=partner.organisation)
    responses = {
        "list": api.get(SIGNALS),
        "retrieve": api.get(f"{SIGNALS}/{signal.reference}"),
        "create": api.post(SIGNALS, valid_payload(), format="json"),
        "invalid": api.post(SIGNALS, {}, format="json"),
        "hidden": api.get(f"{SIGNALS}/KNP-1999-000001"),
        "unknown path": api.get("/api/v1/onbekend"),
        "openapi": APIClient().get("/api/v1/openapi.json"),
        "unauthenticated": APIClient().get(SIGNALS),
        "head": api.head(SIGNALS),
        "options": api.options(SIGNALS),
    }
    statuses = {name: r.status_code for name, r in responses.items()}
    assert statuses == {
        "list": 200, "retrieve": 200, "create": 201, "invalid": 400, "hidden": 404,
        "unknown path": 404, "openapi": 200, "unauthenticated": 401, "head": 200, "options": 200,
    }
    for name, response in responses.items():
        assert response["API-Version"] == settings.API_VERSION, name


def test_web_pages_do_not_carry_it(client):
    assert "API-Version" not in client.get("/healthz")
