"""The API places a signal from its postcode and house number alone when the register knows
the address; an unknown address without municipality or point is still refused."""

from __future__ import annotations

import pytest

from tests.api.helpers import SIGNALS, valid_payload

from .factories import AddressFactory

pytestmark = pytest.mark.django_db

NO_PLACE = ("municipality", "latitude", "longitude", "street", "city")


def test_postcode_and_number_alone_are_enough(api):
    address = AddressFactory(postcode="7511GA", house_number=1, street="Oude Markt")
    response = api.post(SIGNALS, valid_payload(drop=NO_PLACE), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["municipality"] == "GM0153" and body["street"] == "Oude Markt"
    assert body["addressStatus"] == "gevonden" and body["addressId"] == address.nummeraanduiding_id
    assert body["latitude"] is not None
    assert body["enrichment"] is None  # only on retrieve


def test_unknown_address_without_place_is_refused(api):
    response = api.post(SIGNALS, valid_payload(drop=NO_PLACE), format="json")
    assert response.status_code == 400


def test_unknown_address_with_municipality_is_kept_and_flagged(api):
    response = api.post(SIGNALS, valid_payload(drop=("latitude", "longitude")), format="json")
    assert response.status_code == 201
    assert response.json()["addressStatus"] == "niet_gevonden"
