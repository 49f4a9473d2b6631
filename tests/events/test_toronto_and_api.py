"""The Toronto sample through the command and the profile, and the events API."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.events.models import Event, EventDataset
from knooppunt.events.points import event_points
from knooppunt.organisations.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, member, municipality

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).with_name("data") / "toronto_mci_sample.csv"


def _import(*extra: str) -> None:
    call_command("import_events", str(SAMPLE), "--dataset", "toronto-mci",
                 "--organisation", "Politie Oost-Nederland", "--crs", "2952",
                 "--country", "CA", "--area", "43.57,43.87,-79.65,-79.10",
                 "--code-list", "toronto-mci", *extra)


def test_toronto_sample_through_the_command(police, officer, capsys):
    _import()
    rows = list(csv.DictReader(SAMPLE.open()))
    dataset = EventDataset.objects.get(code="toronto-mci")
    assert dataset.crs == 2952 and dataset.profile.kind == "incidenten"
    assert Event.objects.filter(dataset=dataset).count() == len(rows)
    # Labels of the dataset map onto its code list; no Dutch municipality is looked for.
    assert set(Event.objects.values_list("offence__code", flat=True)) <= {
        "Assault", "Break and Enter", "Auto Theft", "Robbery", "Theft Over"}
    assert not Event.objects.filter(municipality__isnull=False).exists()
    assert not Event.objects.filter(district__isnull=False).exists()  # nor a wijk
    table = event_points(officer, dataset)
    x, y = table["x"].to_numpy(), table["y"].to_numpy()
    # The city in MTM zone 10 metres: ~43 km east-west, ~25 km north-south.
    assert 35_000 < x.max() - x.min() < 50_000 and 18_000 < y.max() - y.min() < 30_000
    _import()  # the same file again: nothing new
    assert Event.objects.filter(dataset=dataset).count() == len(rows)
    assert f"al ontvangen: {len(rows)}" in capsys.readouterr().out


def test_command_refuses_a_geographic_crs(police, officer):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="geen geprojecteerd stelsel"):
        call_command("import_events", str(SAMPLE), "--dataset", "x", "--organisation",
                     "Politie Oost-Nederland", "--crs", "4326", "--code-list", "toronto-mci")
    assert not EventDataset.objects.filter(code="x").exists()


def test_api_lists_scoped_events_and_logs_them(client, police, officer, twente):
    from .conftest import csv_file
    from .test_import import ENSCHEDE, deliver

    deliver(twente, officer, csv_file(f"2025-03-01;14:00;1.1.1;;{ENSCHEDE}",
                                      f"2025-03-05;;2.1.1;;{ENSCHEDE}"))
    client.force_login(officer)
    answer = client.get("/api/v1/events?dataset=twente&code=1.1.1")
    assert answer.status_code == 200, answer.content
    (event,) = answer.json()["results"]
    assert event["code"] == "1.1.1" and event["crs"] == "EPSG:28992"
    assert event["municipality"] == "GM0153" and event["hour"] == 14
    logged = ProcessingLogEntry.objects.filter(object_type="events.event", action="list").last()
    assert logged.object_ids == [str(event["id"])]
    assert client.get(f"/api/v1/events/{event['id']}").status_code == 200
    assert client.get("/api/v1/events?occurredFrom=2025-03-02").json()["count"] == 1
    bad = client.get("/api/v1/events?occurredFrom=gisteren")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/v1/events?kleur=rood").status_code == 400


def test_api_refuses_bestuurders_and_hides_other_events(client, police, officer, twente):
    from .conftest import csv_file
    from .test_import import ENSCHEDE, deliver

    deliver(twente, officer, csv_file(f"2025-03-01;;1.1.1;;{ENSCHEDE}"))
    city = OrganisationFactory(kind=OrganisationKind.GEMEENTE,
                               municipalities=[municipality("GM0153")])
    client.force_login(member(Role.BESTUURDER, organisation=city))
    assert client.get("/api/v1/events").status_code == 403
    client.force_login(member(Role.ANALIST, organisation=city))  # no covenant
    assert client.get("/api/v1/events").json()["count"] == 0
    event = Event.objects.get()
    assert client.get(f"/api/v1/events/{event.pk}").status_code == 404
