"""Events through the delivery machinery: stored, placed, projected, idempotent, refused."""

from __future__ import annotations

import pytest

from knooppunt.events.models import Event
from knooppunt.intake.models import Delivery, DeliveryStatus
from knooppunt.intake.storage import read_kept
from knooppunt.intake.submit import submit

from .conftest import csv_file

pytestmark = pytest.mark.django_db

# Enschede, Oude Markt (lat, lon) and Hengelo centre.
ENSCHEDE = "52.2215;6.8937"
HENGELO = "52.2659;6.7931"


def deliver(dataset, user, data: bytes, name: str = "incidenten.csv") -> Delivery:
    return submit(profile=dataset.profile, organisation=dataset.organisation, user=user,
                  data=data, filename=name, inline=True)


def test_dutch_events_are_stored_placed_and_projected(twente, officer):
    data = csv_file(f"01-03-2025;14:30;1.1.1;woning;{ENSCHEDE}",
                    f"2025-03-02;;Drugshandel;;{HENGELO}")
    delivery = deliver(twente, officer, data)
    assert delivery.status == DeliveryStatus.ACCEPTED, list(delivery.errors.all())
    assert delivery.accepted == 2
    assert read_kept(delivery) == data  # the original file is kept as delivered
    first, second = Event.objects.order_by("occurred_on")
    assert (first.hour, first.offence.code, first.premises_type) == (14, "1.1.1", "woning")
    assert first.municipality.code == "GM0153" and second.municipality.code == "GM0164"
    assert second.offence.code == "3.1.1" and second.hour is None  # a label finds its code
    # RD New: Enschede's Oude Markt lies near x 258,000, y 471,000.
    assert 257_000 < first.x < 259_500 and 470_000 < first.y < 472_500


def test_redelivery_stores_nothing_twice_and_keeps_identical_rows(twente, officer):
    same = f"2025-03-01;01:00;1.4.5;;{ENSCHEDE}"
    delivery = deliver(twente, officer, csv_file(same, same))
    assert delivery.accepted == 2  # two assaults at one place and hour are two events
    again = deliver(twente, officer, csv_file(same, same, f"2025-03-03;;1.4.5;;{HENGELO}"))
    assert again.status == DeliveryStatus.ACCEPTED
    assert (again.accepted, again.duplicates) == (1, 2)
    assert Event.objects.count() == 3
    # A third copy in a later file is a new event; the first two are known.
    third = deliver(twente, officer, csv_file(same, same, same))
    assert (third.accepted, third.duplicates) == (1, 2)


@pytest.mark.parametrize(("row", "column", "reason"), [
    ("2025-03-01;;1.1.1;;6.8937;52.2215", "lat/lon",
     "Breedte- en lengtegraad lijken verwisseld."),
    ("2025-03-01;;1.1.1;;48.85;2.35", "lat/lon", "buiten het gebied"),
    ("2025-03-01;;1.1.1;;51.5;6.5", "lat/lon", "niet in een Nederlandse gemeente"),
    ("2025-03-01;;9.9.9;;52.2215;6.8937", "incidentcode", "Onbekende delict"),
    ("31-02-2025;;1.1.1;;52.2215;6.8937", "pleegdatum", "geen bestaande datum"),
    ("gisteren;;1.1.1;;52.2215;6.8937", "pleegdatum", "geen datum"),
    ("2099-01-01;;1.1.1;;52.2215;6.8937", "pleegdatum", "toekomst"),
    ("2025-03-01;25:00;1.1.1;;52.2215;6.8937", "pleegtijd", "Geen tijd"),
    ("2025-03-01;;1.1.1;;noord;6.8937", "lat", "geen getal"),
])
def test_bad_line_refuses_the_whole_file_with_its_reason(twente, officer, row, column,
                                                        reason):
    delivery = deliver(twente, officer, csv_file(f"2025-03-01;;1.1.1;;{ENSCHEDE}", row))
    assert delivery.status == DeliveryStatus.REFUSED
    assert Event.objects.count() == 0
    (error,) = delivery.errors.all()
    assert error.line == 3 and error.column == column and reason in error.reason


def test_missing_columns_are_named(twente, officer):
    delivery = deliver(twente, officer, b"datum;omschrijving\n2025-03-01;iets\n")
    assert delivery.status == DeliveryStatus.REFUSED
    assert "incidentcode" in delivery.message and "coördinaten" in delivery.message


def test_only_the_holder_delivers(twente, db):
    from knooppunt.organisations.models import OrganisationKind, Role
    from tests.factories import OrganisationFactory, member

    other = OrganisationFactory(kind=OrganisationKind.POLITIE)
    outsider = member(Role.ANALIST, organisation=other)
    delivery = submit(profile=twente.profile, organisation=other, user=outsider,
                      data=csv_file(f"2025-03-01;;1.1.1;;{ENSCHEDE}"), filename="x.csv",
                      inline=True)
    assert delivery.status == DeliveryStatus.REFUSED and not Event.objects.exists()


def test_english_messages(twente, officer):
    from django.utils import translation

    with translation.override("en"):
        delivery = deliver(twente, officer, csv_file("2025-03-01;;1.1.1;;6.8937;52.2215"))
    assert "swapped" in delivery.errors.get().reason


def test_events_are_placed_in_their_wijk_as_signals_are(twente, officer):
    from knooppunt.geo.lookup import district_at

    data = csv_file(f"01-03-2025;14:30;1.1.1;woning;{ENSCHEDE}",
                    f"2025-03-02;;Drugshandel;;{HENGELO}")
    assert deliver(twente, officer, data).status == DeliveryStatus.ACCEPTED
    first, second = Event.objects.select_related("district").order_by("occurred_on")
    # The Oude Markt lies in Enschede's city centre wijk, Hengelo's centre in one of Hengelo.
    assert first.district.code == "WK015300"
    assert second.district.code.startswith("WK0164")
    for event in (first, second):  # the same placement as a signal at that point gets
        assert event.district_id == district_at(event.municipality_id, event.x, event.y)
