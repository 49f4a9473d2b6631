"""Registering a signal through the web form: good input lands, bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.organisations.models import Role
from knooppunt.signals.models import Signal, StatusChange
from knooppunt.taxonomy.models import SourceType, Theme

from .factories import OrganisationFactory, member, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    org = OrganisationFactory(municipalities=[municipality()])
    return member(Role.COORDINATOR, org), org


def _valid(org) -> dict:
    return {
        "reporting_organisation": org.pk,
        "theme": Theme.objects.get(code="hennepteelt").pk,
        "source_type": SourceType.objects.get(code="bewoner").pk,
        "received_on": "2025-06-02",
        "municipality": municipality().pk,
        "street": "Hengelosestraat",
        "house_number": "12",
        "postcode": "7514 ae",
        "city": "Enschede",
        "description": "Sterke hennepgeur, ramen afgeplakt.",
        "confidentiality": "1",
    }


def test_valid_form_creates_signal_with_history(client, coordinator):
    user, org = coordinator
    client.force_login(user)
    response = client.post("/signalen/nieuw/", _valid(org))
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.reference == f"KNP-2025-{signal.pk:06d}"
    assert signal.postcode == "7514AE"
    assert signal.created_by == user
    assert list(signal.history.values_list("to_status", flat=True)) == ["ontvangen"]
    assert response["Location"] == f"/signalen/{signal.reference}/"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"postcode": "1234"}, "geen geldige Nederlandse postcode"),
        ({"received_on": (dt.date.today() + dt.timedelta(days=2)).isoformat()}, "toekomst"),
        ({"received_on": "0001-01-01"}, "vóór 01-01-2000"),
        ({"municipality": "", "latitude": "48.8566", "longitude": "2.3522"},
         "niet binnen een Nederlandse gemeente"),
        ({"latitude": "52.3731", "longitude": "4.8922"}, "ligt in Amsterdam"),
        ({"latitude": "52.2215"}, "volledig punt"),
        ({"municipality": ""}, "Geef een gemeente of een punt op"),
        ({"municipality": "999999"}, "geldige keuze"),
        ({"description": ""}, "verplicht"),
        ({"is_anonymous": "on", "reporter_name": "Jan"}, "anonieme melding"),
        ({"house_letter": "AB"}, "huisletter"),
        ({"reporting_organisation": "0"}, "geldige keuze"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_stores_nothing(client, coordinator, change, message):
    user, org = coordinator
    client.force_login(user)
    log_before = ProcessingLogEntry.objects.count()
    response = client.post("/signalen/nieuw/", {**_valid(org), **change})
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert Signal.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert ProcessingLogEntry.objects.filter(action="create").count() == 0
    assert ProcessingLogEntry.objects.count() == log_before


def test_cannot_register_for_another_organisation(client, coordinator):
    user, _org = coordinator
    other = OrganisationFactory()
    client.force_login(user)
    response = client.post("/signalen/nieuw/", _valid(other))
    assert response.status_code == 400
    assert Signal.objects.count() == 0


def test_anonymous_source_drops_reporter_identity(client, coordinator):
    user, org = coordinator
    client.force_login(user)
    data = {**_valid(org), "source_type": SourceType.objects.get(code="mma").pk,
            "reporter_name": "Piet Melder", "reporter_contact": "06-12345678"}
    assert client.post("/signalen/nieuw/", data).status_code == 302
    signal = Signal.objects.get()
    assert signal.is_anonymous
    assert signal.reporter_name == signal.reporter_contact == ""


FIELDS = ["reporting_organisation", "theme", "source_type", "received_on", "municipality",
          "street", "house_number", "house_letter", "house_number_addition", "postcode",
          "city", "latitude", "longitude", "description", "confidentiality", "is_anonymous",
          "reporter_name", "reporter_contact"]
junk = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["=cmd|' /C calc'!A0", "<script>alert(1)</script>", "31-12-2024",
                     "1.234,56", "-1", "0", "99999999999999999999", "NaN", "inf", "\x00",
                     "GM0153", "52,2215", "2025-02-30"]),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(overrides=st.dictionaries(st.sampled_from(FIELDS), junk, min_size=1, max_size=6))
def test_garbage_never_crashes_and_never_half_stores(client, coordinator, overrides):
    user, org = coordinator
    client.force_login(user)
    with transaction.atomic():
        before = Signal.objects.count()
        data = {**_valid(org), **{k: v.replace("\x00", "") for k, v in overrides.items()}}
        response = client.post("/signalen/nieuw/", data)
        assert response.status_code in (302, 400)
        after = Signal.objects.count()
        if response.status_code == 302:
            assert after == before + 1
            signal = Signal.objects.latest("pk")
            assert signal.history.count() == 1
            page = client.get(response["Location"]).content.decode()
            assert "<script>alert(1)</script>" not in page
        else:
            assert after == before
        transaction.set_rollback(True)


def test_medewerker_cannot_register_above_own_clearance(client):
    org = OrganisationFactory(municipalities=[municipality()])
    user = member(Role.MEDEWERKER, org)
    client.force_login(user)
    response = client.post("/signalen/nieuw/", {**_valid(org), "confidentiality": "3"})
    assert response.status_code == 400
    assert "vertrouwelijkheid" in response.content.decode()
    assert Signal.objects.count() == 0
    assert client.post("/signalen/nieuw/", {**_valid(org), "confidentiality": "2"}).status_code \
        == 302


def test_known_address_alone_places_the_signal(client, coordinator):
    from tests.registers.factories import AddressFactory

    user, org = coordinator
    address = AddressFactory(postcode="7511GA", house_number=5)
    client.force_login(user)
    data = {**_valid(org), "municipality": "", "street": "", "city": "",
            "postcode": "7511 ga", "house_number": "5"}
    response = client.post("/signalen/nieuw/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    signal = Signal.objects.get()
    assert signal.address_status == "gevonden"
    assert signal.municipality.code == "GM0153"
    assert signal.street == address.street
    assert signal.x_rd == pytest.approx(address.x_rd)
