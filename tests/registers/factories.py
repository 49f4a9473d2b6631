"""Factories for register rows: an address in Enschede with its building, companies, energy."""

from __future__ import annotations

import datetime as dt

import factory

from knooppunt.geo.projection import rd_to_wgs84
from knooppunt.registers.models import Address, Company, EnergyAnomaly
from tests.factories import municipality

# A point in the centre of Enschede (RD New).
ENSCHEDE_X, ENSCHEDE_Y = 258_000.0, 471_700.0


def _lat(obj):
    return round(rd_to_wgs84(obj.x_rd, obj.y_rd)[0], 7)


def _lon(obj):
    return round(rd_to_wgs84(obj.x_rd, obj.y_rd)[1], 7)


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    nummeraanduiding_id = factory.Sequence(lambda n: f"0153200000{n + 1:06d}")
    street = "Oude Markt"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "7511GA"
    city = "Enschede"
    x_rd = ENSCHEDE_X
    y_rd = ENSCHEDE_Y
    latitude = factory.LazyAttribute(_lat)
    longitude = factory.LazyAttribute(_lon)
    municipality = factory.LazyFunction(municipality)
    verblijfsobject_id = factory.LazyAttribute(lambda o: "015301" + o.nummeraanduiding_id[6:])
    pand_id = factory.LazyAttribute(lambda o: "015310" + o.nummeraanduiding_id[6:])
    usage = "woonfunctie"
    construction_year = 1931
    floor_area = 96
    status = "Verblijfsobject in gebruik"
    source = "BAG-extract (test)"
    source_date = dt.date(2025, 1, 1)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    kvk_number = factory.Sequence(lambda n: f"{90000000 + n}")
    name = factory.Sequence(lambda n: f"Handelsonderneming {n} (test)")
    sbi_code = "6820"
    address = factory.SubFactory(AddressFactory)
    registered_on = dt.date(2019, 5, 1)
    source = "KvK (test)"
    source_date = dt.date(2025, 1, 1)


class EnergyAnomalyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnergyAnomaly

    address = factory.SubFactory(AddressFactory)
    period_start = dt.date(2024, 1, 1)
    period_end = dt.date(2024, 12, 31)
    expected_kwh = 3000
    measured_kwh = 21000
    source = "Netbeheerder (test)"
    reported_on = dt.date(2025, 2, 1)
