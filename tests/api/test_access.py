"""Who sees which signals through the API: exactly `scope.signals_for`, nothing more."""

from __future__ import annotations

import pytest
from django.middleware.csrf import _get_new_csrf_string
from rest_framework.test import APIClient

from knooppunt.organisations import scope
from knooppunt.organisations.models import Confidentiality, OrganisationKind, Role
from knooppunt.signals.models import Signal
from tests.factories import (
    CovenantFactory,
    OrganisationFactory,
    SignalFactory,
    member,
    municipality,
)

from .conftest import token_client
from .helpers import SIGNALS, assert_problem, valid_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(partner):
    """Enschede's own signal, one shared by the police under a covenant, and three that
    Enschede may not see: too confidential for the covenant, outside Enschede's area,
    and from an organisation without a covenant."""
    enschede, hengelo = municipality("GM0153"), municipality("GM0164")
    police = OrganisationFactory(
        name="Politie Oost-Nederland", kind=OrganisationKind.POLITIE,
        municipalities=[enschede, hengelo],
    )
    stranger = OrganisationFactory(name="Woonstichting Elders", municipalities=[enschede])
    CovenantFactory(parties=[partner.organisation, police])
    signals = {
        "own": SignalFactory(reporting_organisation=partner.organisation),
        "shared": SignalFactory(reporting_organisation=police),
        "too_confidential": SignalFactory(
            reporting_organisation=police, confidentiality=Confidentiality.VERTROUWELIJK
        ),
        "outside_area": SignalFactory(reporting_organisation=police, municipality=hengelo),
        "no_covenant": SignalFactory(reporting_organisation=stranger),
    }
    return {"police": police, "stranger": stranger, **signals}


def listed(client: APIClient, **params) -> set[str]:
    response = client.get(SIGNALS, {"pageSize": 100, **params})
    assert response.status_code == 200, response.content
    return {item["reference"] for item in response.json()["results"]}


def test_partner_lists_own_and_covenant_shared_signals_only(api, world):
    assert listed(api) == {world["own"].reference, world["shared"].reference}


@pytest.mark.parametrize("hidden", ["too_confidential", "outside_area", "no_covenant"])
def test_hidden_signal_is_404_exactly_like_a_missing_one(api, world, hidden):
    hidden_response = api.get(f"{SIGNALS}/{world[hidden].reference}")
    missing_response = api.get(f"{SIGNALS}/KNP-1999-999999")

    hidden_body = assert_problem(hidden_response, 404)
    missing_body = assert_problem(missing_response, 404)
    hidden_body.pop("instance"), missing_body.pop("instance")
    assert hidden_body == missing_body
    assert world[hidden].description not in hidden_response.content.decode()


@pytest.mark.parametrize("reference", ["KNP%002025", "%27%20OR%201%3D1", "x" * 300])
def test_references_that_cannot_exist_are_404(api, world, reference):
    assert_problem(api.get(f"{SIGNALS}/{reference}"), 404)


@pytest.mark.parametrize("visible", ["own", "shared"])
def test_visible_signal_is_retrieved(api, world, visible):
    response = api.get(f"{SIGNALS}/{world[visible].reference}")

    assert response.status_code == 200
    assert response.json()["description"] == world[visible].description
    assert "reporterName" not in response.json()


def test_every_user_sees_through_the_api_what_scope_allows(world, partner):
    users = [
        partner.user,
        member(Role.ANALIST, world["police"]),
        member(Role.MEDEWERKER, world["police"]),
        member(Role.COORDINATOR, world["stranger"]),
    ]
    for user in users:
        expected = set(scope.signals_for(user).values_list("reference", flat=True))
        assert listed(token_client(user)) == expected, user
        # and the difference matters: not everyone sees everything
        assert expected != set(Signal.objects.values_list("reference", flat=True))


def test_filters_never_widen_the_scope(api, world):
    assert listed(api, municipality="GM0164") == set()
    assert listed(api, q=world["no_covenant"].reference) == set()
    assert listed(api, confidentiality="vertrouwelijk") == set()


@pytest.mark.parametrize("role", [Role.BESTUURDER, Role.BEHEERDER])
def test_roles_without_personal_data_get_403_on_every_signal_endpoint(world, partner, role):
    client = token_client(member(role, partner.organisation))

    for response in (
        client.get(SIGNALS),
        client.get(f"{SIGNALS}/{world['own'].reference}"),
        client.get(f"{SIGNALS}/KNP-1999-999999"),
        client.post(SIGNALS, valid_payload(), format="json"),
    ):
        body = assert_problem(response, 403)
        assert "geaggregeerde cijfers" in body["detail"]
        assert world["own"].description not in response.content.decode()
    assert Signal.objects.count() == 5


def test_user_without_membership_gets_403(world, django_user_model):
    user = django_user_model.objects.create_user("los", password="x" * 12)

    assert_problem(token_client(user).get(SIGNALS), 403)


def test_inactive_organisation_loses_access(api, partner, world):
    partner.organisation.active = False
    partner.organisation.save()

    assert_problem(api.get(SIGNALS), 403)


class TestSessionForTheBrowser:
    @pytest.fixture
    def browser(self, partner):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(partner.user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    def test_session_reads_like_a_token(self, browser, world):
        assert listed(browser) == {world["own"].reference, world["shared"].reference}

    def test_session_write_without_csrf_token_is_403(self, browser):
        response = browser.post(SIGNALS, valid_payload(), format="json")

        assert "X-CSRFToken" in assert_problem(response, 403)["detail"]
        assert Signal.objects.count() == 0

    def test_session_write_with_csrf_token_is_created(self, browser):
        csrf = _get_new_csrf_string()
        browser.cookies["csrftoken"] = csrf

        response = browser.post(SIGNALS, valid_payload(), format="json", HTTP_X_CSRFTOKEN=csrf)

        assert response.status_code == 201, response.content
