"""Fixtures for the API tests: a partner organisation in Enschede with a token."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from knooppunt.organisations.models import ApiToken, Organisation, Role
from tests.factories import OrganisationFactory, member, municipality


@dataclass
class Partner:
    user: object
    organisation: Organisation
    token: ApiToken
    key: str


def token_client(user, name: str = "partnersysteem") -> APIClient:
    """An API client that authenticates with a freshly issued token for `user`."""
    _, key = ApiToken.issue(user, name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def enschede_org(db) -> Organisation:
    return OrganisationFactory(name="Gemeente Enschede", municipalities=[municipality("GM0153")])


@pytest.fixture
def partner(enschede_org) -> Partner:
    user = member(Role.MEDEWERKER, enschede_org)
    token, key = ApiToken.issue(user, "zaaksysteem Enschede")
    return Partner(user, enschede_org, token, key)


@pytest.fixture
def api(partner) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {partner.key}")
    return client
