"""Hotspots of a dataset outside the Netherlands (the Toronto sample, MTM zone 10):
`/api/v1/hotspots?points=events&dataset=…` without an area grids the buffered hull of the
events in the dataset's own CRS and answers in WGS84; with a Dutch area, or for an
aggregate-only audience, it is refused with the reason."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from knooppunt.organisations.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, member, municipality

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).with_name("data") / "toronto_mci_sample.csv"
URL = "/api/v1/hotspots?points=events&dataset=toronto-mci&start=2014-01-01&end=2018-12-31"


@pytest.fixture
def imported(police, officer):
    call_command("import_events", str(SAMPLE), "--dataset", "toronto-mci",
                 "--organisation", "Politie Oost-Nederland", "--crs", "2952",
                 "--country", "CA", "--area", "43.57,43.87,-79.65,-79.10",
                 "--code-list", "toronto-mci", "--name", "Toronto MCI")
    with SAMPLE.open() as f:
        return sum(1 for row in csv.DictReader(f) if row["occurred_on"] <= "2018-12-31")


def test_toronto_hotspots_over_the_hull_of_the_events(client, officer, imported):
    client.force_login(officer)
    answer = client.get(URL + "&cellSize=500")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["method"]["crs"] == "EPSG:2952"
    assert body["method"]["events"] == imported
    assert sum(f["properties"]["count"] for f in body["features"]) == imported
    assert body["area"]["code"] == "" and "Toronto" in body["area"]["name"]
    lon, lat = zip(*(c for f in body["features"] for c in f["geometry"]["coordinates"][0]),
                   strict=True)
    assert -79.8 < min(lon) < max(lon) < -79.0 and 43.5 < min(lat) < max(lat) < 43.95


def test_refusals_say_why(client, officer, imported):
    client.force_login(officer)
    with_area = client.get(URL + "&area=GM0153")
    assert with_area.status_code == 400
    assert "niet in Nederland" in with_area.json()["invalidParams"][0]["reason"]
    no_area = client.get("/api/v1/hotspots?cellSize=500")
    assert no_area.status_code == 400 and "gebied" in no_area.content.decode()
    city = OrganisationFactory(kind=OrganisationKind.GEMEENTE,
                               municipalities=[municipality("GM0153")])
    client.force_login(member(Role.BESTUURDER, organisation=city))
    assert client.get(URL).status_code == 403
