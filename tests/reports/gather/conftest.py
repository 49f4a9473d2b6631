"""A small world for the report gatherers: Enschede's municipality with a coordinator, a
case worker, an analyst and the mayor, an outsider in Hengelo, and a few signals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from knooppunt.monitoring.compute import compute_all
from knooppunt.organisations.models import OrganisationKind, Role
from knooppunt.taxonomy.models import SourceType, Theme
from tests.factories import OrganisationFactory, SignalFactory, member, municipality


@pytest.fixture(autouse=True)
def _dutch():
    from django.utils import translation

    with translation.override("nl"):
        yield


@dataclass
class World:
    gemeente: object
    hengelo: object
    coordinator: object
    medewerker: object
    analist: object
    mayor: object
    outsider: object


@pytest.fixture
def world(db) -> World:
    gemeente = OrganisationFactory(name="Gemeente Enschede (test)",
                                   kind=OrganisationKind.GEMEENTE,
                                   municipalities=[municipality("GM0153")])
    hengelo = OrganisationFactory(name="Gemeente Hengelo (test)",
                                  kind=OrganisationKind.GEMEENTE,
                                  municipalities=[municipality("GM0164")])
    return World(gemeente, hengelo, member(Role.COORDINATOR, gemeente),
                 member(Role.MEDEWERKER, gemeente), member(Role.ANALIST, gemeente),
                 member(Role.BESTUURDER, gemeente), member(Role.COORDINATOR, hengelo))


def signals(n: int, *, day: dt.date, theme: str = "hennepteelt", source: str = "politie",
            code: str = "GM0153", **kwargs) -> list:
    """n signals of one theme and source received on `day` in the municipality."""
    theme_obj, source_obj = Theme.objects.get(code=theme), SourceType.objects.get(code=source)
    return [SignalFactory(received_on=day, municipality=municipality(code), theme=theme_obj,
                          source_type=source_obj, **kwargs) for _ in range(n)]


def compute() -> None:
    compute_all(force=True)
