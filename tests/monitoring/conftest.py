"""Fixtures: organisations in Enschede and Hengelo, users per role, computed figures."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.geo.models import Neighbourhood
from knooppunt.monitoring.compute import compute_all
from knooppunt.organisations.models import OrganisationKind, Role
from knooppunt.taxonomy.models import Theme
from tests.factories import OrganisationFactory, SignalFactory, member, municipality


@pytest.fixture
def enschede_org(db):
    return OrganisationFactory(name="Gemeente Enschede (test)", kind=OrganisationKind.GEMEENTE,
                               municipalities=[municipality("GM0153")])


@pytest.fixture
def hengelo_org(db):
    return OrganisationFactory(name="Gemeente Hengelo (test)", kind=OrganisationKind.GEMEENTE,
                               municipalities=[municipality("GM0164")])


@pytest.fixture
def coordinator(enschede_org):
    return member(Role.COORDINATOR, enschede_org)


@pytest.fixture
def mayor(enschede_org):
    return member(Role.BESTUURDER, enschede_org)


@pytest.fixture
def hengelo_analyst(hengelo_org):
    return member(Role.ANALIST, hengelo_org)


def add_signals(count: int, *, day: dt.date, code: str = "GM0153", theme: str = "hennepteelt",
                buurt: Neighbourhood | None = None, **kwargs):
    theme_obj = Theme.objects.get(code=theme)
    extra = {"neighbourhood": buurt, "district": buurt.district} if buurt else {}
    for _ in range(count):
        SignalFactory(received_on=day, municipality=municipality(code), theme=theme_obj,
                      **extra, **kwargs)


@pytest.fixture
def figures(db):
    """Enschede: 12 hennep signals in Jan 2024 over two buurten (9 + 3), 2 in Feb 2024;
    Hengelo: 7 in Jan 2024. Then the two indicators they feed are computed."""
    buurten = list(Neighbourhood.objects.filter(municipality__code="GM0153").order_by("code")[:2])
    add_signals(9, day=dt.date(2024, 1, 10), buurt=buurten[0])
    add_signals(3, day=dt.date(2024, 1, 11), buurt=buurten[1])
    add_signals(2, day=dt.date(2024, 2, 11))
    add_signals(7, day=dt.date(2024, 1, 12), code="GM0164")
    compute_all(force=True, codes=["signalen-hennepteelt", "signalen-totaal"])
    return buurten
