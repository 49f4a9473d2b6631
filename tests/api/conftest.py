"""Fixtures for the API tests: a partner organisation in Enschede with a system account and key."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from knooppunt.organisations.models import ApiToken, Organisation, Role, SystemAccount
from tests.factories import OrganisationFactory, issue_key, municipality, system_account


@dataclass
class Partner:
    user: object
    organisation: Organisation
    token: ApiToken
    key: str


def token_client(user, name: str = "partnersysteem") -> APIClient:
    """An API client acting as `user`.

    A system account gets a freshly issued key with every scope; a person cannot hold a
    key, so their client carries their session, as the browser does.
    """
    client = APIClient()
    if SystemAccount.objects.filter(user=user).exists():
        _, key = issue_key(user, name=name)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    else:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def enschede_org(db) -> Organisation:
    return OrganisationFactory(name="Gemeente Enschede", municipalities=[municipality("GM0153")])


@pytest.fixture
def partner(enschede_org) -> Partner:
    user = system_account(enschede_org, Role.MEDEWERKER, "systeem.zaaksysteem")
    token, key = issue_key(user, name="zaaksysteem Enschede")
    return Partner(user, enschede_org, token, key)


@pytest.fixture
def api(partner) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {partner.key}")
    return client
