"""Resolving addresses against the register, and what a new signal gets from it."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.geo.models import Neighbourhood
from knooppunt.organisations.models import Role
from knooppunt.registers.addresses import AddressKey, resolve, resolve_many
from knooppunt.signals import services
from knooppunt.signals.models import AddressStatus
from knooppunt.taxonomy.models import SourceType, Theme
from tests.factories import member, municipality

from .factories import ENSCHEDE_X, ENSCHEDE_Y, AddressFactory

pytestmark = pytest.mark.django_db


def test_resolve_many_finds_exact_keys_only():
    a = AddressFactory(postcode="7511GA", house_number=1)
    b = AddressFactory(postcode="7511GA", house_number=1, house_letter="A")
    AddressFactory(postcode="7512AB", house_number=3, house_number_addition="2")
    keys = [AddressKey("7511GA", 1), AddressKey("7511GA", 1, "A"), AddressKey("7512AB", 3),
            AddressKey("9999ZZ", 1)]
    found = resolve_many(keys)
    assert set(found) == {keys[0], keys[1]}
    assert found[keys[0]].nummeraanduiding_id == a.nummeraanduiding_id
    assert found[keys[1]].nummeraanduiding_id == b.nummeraanduiding_id
    assert resolve(AddressKey("7512AB", 3, "", "2")) is not None


def test_resolve_many_uses_few_queries(django_assert_max_num_queries):
    for n in range(1, 30):
        AddressFactory(postcode="7511GA", house_number=n)
    keys = [AddressKey(f"75{n:02d}GA", n) for n in range(1, 2000)]
    with django_assert_max_num_queries(3):
        found = resolve_many(keys)
    assert len(found) == 1  # only 7511GA 11 exists among those keys


def _create(user, org, **address):
    location = services.resolve_location(municipality())
    if "x_rd" in address:
        location = services.resolve_location(
            municipality(), x_rd=address.pop("x_rd"), y_rd=address.pop("y_rd")
        )
    return services.create_signal(
        user=user, reporting_organisation=org, theme=Theme.objects.get(code="hennepteelt"),
        source_type=SourceType.objects.get(code="politie"), received_on=dt.date(2025, 3, 1),
        location=location, description="Hennepgeur", **address,
    )


def _user():
    user = member(Role.MEDEWERKER)
    org = user.memberships.get().organisation
    return user, org


def test_found_address_fills_place_and_point():
    buurt = Neighbourhood.objects.filter(municipality=municipality()).first()
    reg = AddressFactory(postcode="7511GA", house_number=12, house_letter="B",
                         street="Oude Markt", neighbourhood=buurt, district=buurt.district)
    user, org = _user()
    signal = _create(user, org, postcode="7511 ga", house_number=12, house_letter="b")
    assert signal.address_status == AddressStatus.RESOLVED
    assert signal.address_register_id == reg.nummeraanduiding_id
    assert (signal.street, signal.city) == ("Oude Markt", "Enschede")
    assert (signal.x_rd, signal.y_rd) == (ENSCHEDE_X, ENSCHEDE_Y)
    assert signal.latitude is not None
    assert signal.neighbourhood_id == buurt.pk and signal.district_id == buurt.district_id


def test_given_point_stays_authoritative():
    AddressFactory(postcode="7511GA", house_number=12)
    user, org = _user()
    signal = _create(user, org, postcode="7511GA", house_number=12,
                     x_rd=ENSCHEDE_X + 40, y_rd=ENSCHEDE_Y + 40)
    assert signal.address_status == AddressStatus.RESOLVED
    assert signal.x_rd == ENSCHEDE_X + 40


def test_unknown_address_is_kept_and_flagged():
    user, org = _user()
    signal = _create(user, org, street="Nergensstraat", postcode="7511GA", house_number=999,
                     city="Enschede")
    assert signal.address_status == AddressStatus.UNRESOLVED
    assert signal.address_register_id == ""
    assert (signal.street, signal.house_number, signal.postcode) == (
        "Nergensstraat", 999, "7511GA")


def test_address_in_another_municipality_is_flagged():
    AddressFactory(postcode="7411AA", house_number=1, municipality=municipality("GM0150"))
    user, org = _user()
    signal = _create(user, org, postcode="7411AA", house_number=1)
    assert signal.address_status == AddressStatus.UNRESOLVED
    assert signal.municipality.code == "GM0153"


def test_no_address_is_geen():
    user, org = _user()
    signal = _create(user, org, street="Langs het kanaal")
    assert signal.address_status == AddressStatus.NOT_GIVEN
