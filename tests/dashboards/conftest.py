"""A small world for the dashboard pages: Enschede with signals, computed indicator values,
a target, and accounts of a mayor, an analyst and an outsider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from knooppunt.geo.models import District, Municipality
from knooppunt.monitoring.benchmark import ensure_peer_groups
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.models import AreaLevel, Indicator, Target
from knooppunt.organisations.models import OrganisationKind, Role
from knooppunt.taxonomy.models import Theme
from tests.factories import OrganisationFactory, SignalFactory, member

INDICATORS = ["signalen-totaal", "signalen-hennepteelt", "signalen-drugsdump"]


@dataclass
class World:
    mayor: object
    analyst: object
    outsider: object
    regional: object
    district_code: str
    year: int


@pytest.fixture
def world(db, records_from_data) -> World:
    enschede = Municipality.objects.get(code="GM0153")
    hengelo = Municipality.objects.get(code="GM0164")
    gemeente = OrganisationFactory(name="Gemeente Enschede", kind=OrganisationKind.GEMEENTE,
                                   municipalities=[enschede])
    amsterdam = OrganisationFactory(name="Gemeente Amsterdam", kind=OrganisationKind.GEMEENTE,
                                    municipalities=[Municipality.objects.get(code="GM0363")])
    police = OrganisationFactory(name="Politie", kind=OrganisationKind.POLITIE)
    riec = OrganisationFactory(name="RIEC Oost-Nederland", kind=OrganisationKind.RIEC,
                               municipalities=Municipality.objects.filter(
                                   code__in=["GM0153", "GM0164", "GM0141", "GM0173"]))
    district = District.objects.filter(municipality=enschede).order_by("code").first()
    neighbourhood = district.neighbourhoods.order_by("code").first()
    year = dt.date.today().year - 1
    hennep = Theme.objects.get(code="hennepteelt")
    dump = Theme.objects.get(code="drugsdump")
    for month in range(1, 13):
        SignalFactory(theme=hennep, received_on=dt.date(year, month, 3), municipality=enschede,
                      district=district, neighbourhood=neighbourhood,
                      reporting_organisation=gemeente, x_rd=257500.0, y_rd=471500.0,
                      description="Hennepgeur Geheimstraat 1")
    # Knooppunt's first record: 1 January of last year. The trend's first year (three
    # years back) has no data, which pages and reports must show alike (decision 0021).
    for month, day in ((1, 1), (5, 3), (8, 3)):
        SignalFactory(theme=hennep, received_on=dt.date(year - 1, month, day),
                      municipality=enschede, reporting_organisation=police)
    for month in (4, 9):  # two drug dumps: under the threshold
        SignalFactory(theme=dump, received_on=dt.date(year, month, 7), municipality=enschede,
                      reporting_organisation=police)
    for month in (1, 2, 3):  # three in Hengelo: under the threshold on the map
        SignalFactory(theme=hennep, received_on=dt.date(year, month, 7), municipality=hengelo,
                      reporting_organisation=police)
    for code in ("GM0141", "GM0173"):  # Almelo, Oldenzaal: Twente peers served by the RIEC
        for month in range(1, 7):
            SignalFactory(theme=hennep, received_on=dt.date(year, month, 9),
                          municipality=Municipality.objects.get(code=code),
                          reporting_organisation=police)
    compute_all(codes=INDICATORS, force=True)
    ensure_peer_groups()
    Target.objects.create(indicator=Indicator.objects.get(code="signalen-totaal"),
                          area_level=AreaLevel.MUNICIPALITY, area_code="GM0153", year=year,
                          value=20, basis="Gebaseerd op de resultaten van vorig jaar")
    return World(
        mayor=member(Role.BESTUURDER, gemeente, username="burgemeester"),
        analyst=member(Role.ANALIST, gemeente, username="analist"),
        outsider=member(Role.BESTUURDER, amsterdam, username="amsterdam"),
        regional=member(Role.BESTUURDER, riec, username="driehoek"),
        district_code=district.code,
        year=year,
    )
