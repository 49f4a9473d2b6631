"""Fixtures for police incident (event) tests: a police unit with a Dutch dataset, and the
Toronto test dataset of the same holder."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from knooppunt.events.datasets import DatasetSpec, ensure_dataset
from knooppunt.events.demo import build_demo_events
from knooppunt.geo.models import SafetyRegion
from knooppunt.organisations.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, member, municipality
from tests.registers.factories import AddressFactory

TORONTO_AREA = (43.57, 43.87, -79.65, -79.10)
HEADER = "pleegdatum;pleegtijd;incidentcode;soort locatie;lat;lon\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def police(db):
    return OrganisationFactory(
        name="Politie Oost-Nederland", kind=OrganisationKind.POLITIE,
        municipalities=[municipality("GM0153"), municipality("GM0164")])


@pytest.fixture
def officer(police):
    return member(Role.ANALIST, organisation=police, username="politie.analist")


@pytest.fixture
def twente(police):
    return ensure_dataset(DatasetSpec(code="twente", name="Incidenten Twente",
                                      organisation=police))


@pytest.fixture
def toronto(police):
    return ensure_dataset(DatasetSpec(
        code="toronto-mci", name="Toronto MCI", organisation=police, code_list="toronto-mci",
        crs=2952, country="CA", area=TORONTO_AREA))


@pytest.fixture
def incidents(police, officer):
    """The demo's synthetic incidents of one year in Enschede (dataset demo-vr05)."""
    AddressFactory.create_batch(5)
    orgs = SimpleNamespace(politie=police, region=SafetyRegion.objects.get(code="VR05"),
                           municipalities=[municipality("GM0153")])
    assert build_demo_events(orgs, years=1, scale=0.2) > 100
    return "demo-vr05"


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(r + "\n" for r in rows)).encode()
