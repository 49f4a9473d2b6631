"""POST /api/v1/signals: a good signal is stored once; a bad one is refused and stores nothing."""

from __future__ import annotations

import pytest

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.organisations.models import Role
from knooppunt.signals.models import Signal, StatusChange
from tests.factories import OrganisationFactory, member, municipality

from .conftest import token_client
from .helpers import (
    ENSCHEDE_POINT,
    HENGELO_POINT,
    SIGNALS,
    future_date,
    invalid_names,
    valid_payload,
)

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Signal.objects.count(), StatusChange.objects.count(), ProcessingLogEntry.objects.count()


def test_create_stores_signal_history_and_returns_it(api, partner):
    response = api.post(SIGNALS, valid_payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    signal = Signal.objects.get(reference=body["reference"])
    assert response["Location"].endswith(f"{SIGNALS}/{signal.reference}")
    assert signal.reporting_organisation == partner.organisation
    assert signal.created_by == partner.user
    assert signal.municipality.code == "GM0153"
    assert signal.postcode == "7511GA"
    assert signal.x_rd is not None and signal.y_rd is not None
    assert body["municipalityName"] == "Enschede"
    assert body["reportingOrganisationName"] == partner.organisation.name
    assert body["confidentiality"] == "normaal"
    assert body["status"] == "ontvangen"
    assert [h["toStatus"] for h in body["history"]] == ["ontvangen"]
    assert StatusChange.objects.filter(signal=signal).count() == 1


def test_point_alone_finds_the_municipality(api):
    response = api.post(SIGNALS, valid_payload(drop=("municipality",)), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["municipality"] == "GM0153"


def test_municipality_alone_is_enough(api):
    response = api.post(
        SIGNALS, valid_payload(drop=("latitude", "longitude"), municipality="gm0153"), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["latitude"] is None


def test_null_for_optional_fields_means_empty(api):
    payload = valid_payload(street=None, houseNumber=None, houseLetter=None, postcode=None)

    response = api.post(SIGNALS, payload, format="json")

    assert response.status_code == 201, response.json()
    signal = Signal.objects.get(reference=response.json()["reference"])
    assert (signal.street, signal.house_number, signal.postcode) == ("", None, "")


def test_reporter_is_stored_but_never_returned(api):
    payload = valid_payload(reporterName="J. Jansen", reporterContact="06-12345678")

    response = api.post(SIGNALS, payload, format="json")

    assert response.status_code == 201
    assert "reporterName" not in response.json() and "J. Jansen" not in response.content.decode()
    assert Signal.objects.get(reference=response.json()["reference"]).reporter_name == "J. Jansen"


def test_anonymous_source_stores_no_reporter(api):
    response = api.post(SIGNALS, valid_payload(sourceType="mma"), format="json")

    assert response.status_code == 201
    signal = Signal.objects.get(reference=response.json()["reference"])
    assert signal.is_anonymous and signal.reporter_name == "" and signal.reporter_contact == ""


def test_member_of_two_organisations_must_choose_and_may_choose_either(partner):
    other = OrganisationFactory(municipalities=[municipality("GM0153")])
    from tests.factories import MembershipFactory

    MembershipFactory(user=partner.user, organisation=other, role=Role.ANALIST)
    client = token_client(partner.user)

    refused = client.post(SIGNALS, valid_payload(), format="json")
    chosen = client.post(SIGNALS, valid_payload(reportingOrganisation=other.pk), format="json")

    assert invalid_names(refused) == {"reportingOrganisation"}
    assert chosen.status_code == 201
    assert Signal.objects.get().reporting_organisation == other


# Each case: what people get wrong, and the field the answer must name.
BAD_PAYLOADS = {
    "missing theme": (valid_payload(drop=("theme",)), {"theme"}),
    "missing everything": ({}, {"theme", "sourceType", "receivedOn", "description"}),
    "unknown theme": (valid_payload(theme="hennep"), {"theme"}),
    "theme as number": (valid_payload(theme=3), {"theme"}),
    "unknown source": (valid_payload(sourceType="buurman"), {"sourceType"}),
    "unknown GM code": (valid_payload(municipality="GM9999"), {"municipality"}),
    "name instead of GM code": (valid_payload(municipality="Enschede"), {"municipality"}),
    "Paris": (
        valid_payload(drop=("municipality",), latitude=48.85, longitude=2.35),
        {"latitude", "longitude"},
    ),
    "North Sea": (
        valid_payload(drop=("municipality",), latitude=53.5, longitude=4.0),
        {"latitude", "longitude"},
    ),
    "point in Hengelo, municipality Enschede": (
        valid_payload(**HENGELO_POINT),
        {"municipality"},
    ),
    "latitude without longitude": (
        valid_payload(drop=("longitude",)),
        {"longitude"},
    ),
    "latitude out of range": (valid_payload(latitude=152.2), {"latitude"}),
    "no location at all": (
        valid_payload(drop=("municipality", "latitude", "longitude")),
        {"municipality"},
    ),
    "invalid postcode": (valid_payload(postcode="75111 GA"), {"postcode"}),
    "postcode with letters first": (valid_payload(postcode="GA 7511"), {"postcode"}),
    "future date": (valid_payload(receivedOn=future_date()), {"receivedOn"}),
    "Dutch date format": (valid_payload(receivedOn="01-03-2025"), {"receivedOn"}),
    "anonymous with reporter name": (
        valid_payload(isAnonymous=True, reporterName="J. Jansen"),
        {"reporterName"},
    ),
    "anonymous source with reporter contact": (
        valid_payload(sourceType="mma", reporterContact="06-12345678"),
        {"reporterContact"},
    ),
    "house number as text": (valid_payload(houseNumber="12a"), {"houseNumber"}),
    "house letter too long": (valid_payload(houseLetter="ab"), {"houseLetter"}),
    "empty description": (valid_payload(description="   "), {"description"}),
    "description too long": (valid_payload(description="x" * 10001), {"description"}),
    "unknown confidentiality": (valid_payload(confidentiality="geheim"), {"confidentiality"}),
    "confidentiality as number": (valid_payload(confidentiality=2), {"confidentiality"}),
    "unknown property (Dutch name)": (valid_payload(omschrijving="x"), {"omschrijving"}),
    "read-only property": (valid_payload(status="afgesloten"), {"status"}),
    "organisation id as text": (valid_payload(reportingOrganisation="Enschede"), {
        "reportingOrganisation"
    }),
    "organisation id as float": (valid_payload(reportingOrganisation=1.5), {
        "reportingOrganisation"
    }),
    "organisation that does not exist": (valid_payload(reportingOrganisation=10**12), {
        "reportingOrganisation"
    }),
    "a list instead of an object": ([valid_payload()], {"nonFieldErrors"}),
    "NUL in a code": (valid_payload(theme="hennep\x00teelt"), {"theme"}),
    "NUL in GM code": (valid_payload(municipality="GM\x000153"), {"municipality"}),
    "NUL in description": (valid_payload(description="geur\x00"), {"description"}),
}


@pytest.mark.parametrize("payload, fields", BAD_PAYLOADS.values(), ids=BAD_PAYLOADS.keys())
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(api, payload, fields):
    before = counts()

    response = api.post(SIGNALS, payload, format="json")

    assert invalid_names(response) == fields
    assert counts() == before


def test_reasons_are_specific_and_dutch(api):
    cases = {
        "theme": (valid_payload(theme="hennep"), "Geldige codes: "),
        "municipality": (valid_payload(municipality="GM9999"), "Onbekende code 'GM9999'"),
        "latitude": (
            valid_payload(drop=("municipality",), latitude=48.85, longitude=2.35),
            "niet binnen een Nederlandse gemeente",
        ),
        "postcode": (valid_payload(postcode="75111 GA"), "geen geldige Nederlandse postcode"),
        "receivedOn": (valid_payload(receivedOn=future_date()), "in de toekomst"),
    }
    for field, (payload, expected) in cases.items():
        body = api.post(SIGNALS, payload, format="json").json()
        reasons = {p["name"]: p["reason"] for p in body["invalidParams"]}
        assert expected in reasons[field], (field, reasons)
    body = api.post(SIGNALS, valid_payload(**HENGELO_POINT), format="json").json()
    assert body["invalidParams"][0]["reason"] == "Het punt ligt in Hengelo (O.), niet in Enschede."


def test_all_problems_across_fields_are_reported_at_once(api):
    payload = valid_payload(
        drop=("municipality",), latitude=48.85, longitude=2.35,
        isAnonymous=True, reporterName="J. Jansen",
        reportingOrganisation=OrganisationFactory().pk,
    )

    assert invalid_names(api.post(SIGNALS, payload, format="json")) == {
        "latitude", "longitude", "reporterName", "reportingOrganisation"
    }


def test_organisation_the_user_may_not_report_for_is_refused(api):
    stranger = OrganisationFactory()
    before = counts()

    response = api.post(SIGNALS, valid_payload(reportingOrganisation=stranger.pk), format="json")

    assert invalid_names(response) == {"reportingOrganisation"}
    reason = response.json()["invalidParams"][0]["reason"]
    assert reason == "U mag niet melden namens deze organisatie."
    assert counts() == before


def test_lone_surrogate_in_json_is_refused(api):
    body = '{"theme": "hennepteelt", "description": "\\ud800 kapot"}'

    response = api.post(SIGNALS, body, content_type="application/json")

    assert "description" in invalid_names(response)
    assert Signal.objects.count() == 0


def test_unknown_property_with_surrogate_name_gets_a_readable_answer(api):
    body = '{"\\udfff": 1}'

    response = api.post(SIGNALS, body, content_type="application/json")

    assert "?" in invalid_names(response)


def test_analist_of_other_organisation_cannot_report_for_enschede(enschede_org):
    analyst = member(Role.ANALIST)
    client = token_client(analyst)

    response = client.post(
        SIGNALS, valid_payload(reportingOrganisation=enschede_org.pk), format="json"
    )

    assert invalid_names(response) == {"reportingOrganisation"}


def test_enschede_point_constant_is_in_enschede(api):
    response = api.post(SIGNALS, valid_payload(drop=("municipality",), **ENSCHEDE_POINT),
                        format="json")
    assert response.json()["municipalityName"] == "Enschede"


def test_received_date_before_2000_is_refused():
    org = OrganisationFactory(municipalities=[municipality()])
    api = token_client(member(Role.COORDINATOR, org))
    response = api.post(SIGNALS, {**valid_payload(), "receivedOn": "0001-01-01"}, format="json")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "receivedOn"
    assert Signal.objects.count() == 0


def test_medewerker_cannot_create_above_own_clearance():
    org = OrganisationFactory(municipalities=[municipality()])
    api = token_client(member(Role.MEDEWERKER, org))
    response = api.post(SIGNALS, {**valid_payload(), "confidentiality": "riec"}, format="json")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "confidentiality"
    assert Signal.objects.count() == 0
