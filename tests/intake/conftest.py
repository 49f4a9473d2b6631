"""Fixtures for delivery tests: a partner organisation with a member who may deliver."""

from __future__ import annotations

import pytest

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
