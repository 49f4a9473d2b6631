"""A small chain world: a municipality, its signal meeting, a partner, people in roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from knooppunt.organisations.models import OrganisationKind, Role

from ..factories import OrganisationFactory, SignalFactory, member, municipality
from .factories import ForumFactory


@pytest.fixture(autouse=True)
def _dutch():
    """Service messages are Dutch; a page test earlier in this worker may have left the
    thread in English (LocaleMiddleware activates the request's language)."""
    from django.utils import translation

    with translation.override("nl"):
        yield


@dataclass
class Chain:
    gemeente: object
    politie: object
    corporatie: object
    outsider: object
    forum: object
    coordinator: object
    analist: object
    medewerker: object
    partner: object
    mayor: object
    signals: list


@pytest.fixture
def chain(db) -> Chain:
    enschede = municipality("GM0153")
    gemeente = OrganisationFactory(name="Gemeente Enschede (test)", municipalities=[enschede])
    politie = OrganisationFactory(name="Politie (test)", kind=OrganisationKind.POLITIE,
                                  municipalities=[enschede])
    corporatie = OrganisationFactory(name="Corporatie (test)",
                                     kind=OrganisationKind.WONINGCORPORATIE)
    outsider = OrganisationFactory(name="Buiten het overleg")
    forum = ForumFactory(name="Signalenoverleg test", members=[gemeente, politie],
                         municipalities=[enschede])
    forum.partners.set([corporatie])
    signals = [SignalFactory(reporting_organisation=gemeente, received_on=dt.date(2025, 3, d))
               for d in (1, 3)]
    return Chain(gemeente, politie, corporatie, outsider, forum,
                 member(Role.COORDINATOR, gemeente), member(Role.ANALIST, gemeente),
                 member(Role.MEDEWERKER, gemeente), member(Role.MEDEWERKER, corporatie),
                 member(Role.BESTUURDER, gemeente), signals)


def open_case(chain: Chain, opened_on=dt.date(2025, 3, 5)):
    from knooppunt.cases import services

    return services.open_case(user=chain.coordinator, signals=chain.signals,
                              forum=chain.forum, title="Woning", opened_on=opened_on)
