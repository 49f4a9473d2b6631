"""A case with persons supplied by the police and by the housing corporation, written
differently, and one person the gemeente's analyst may not see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from knooppunt.entities.services import Provenance

from ..cases.conftest import Chain, _dutch, chain, open_case  # noqa: F401 - fixtures
from ..entities.factories import case_origin, entity

POLICE = [
    ("pol-1", "J. de Vries", "1978-03-12", "7511GA"),
    ("pol-2", "Fatima el Amrani", "1990-07-01", "7512AB"),
    ("pol-3", "Pieter Bakker", "1965-11-30", "7513CD"),
    ("pol-4", "Sanne Jansen", "1984-02-14", "7514EF"),
]
HOUSING = [
    ("cor-1", "Jan de Vries", "12-03-1978", "7511GA"),
    ("cor-2", "Fatima El-Amrani", "1990-07-01", "7512AB"),
    ("cor-3", "Kees Mulder", "1950-01-01", "7599ZZ"),
    ("cor-4", "Anna Smit", "2001-05-05", "7598YY"),
]


@dataclass
class World:
    chain: Chain
    case: object


def _people(rows, provenance) -> None:
    for eid, name, born, _postcode in rows:
        entity(eid, "Person", provenance, name=name, birthDate=born)


@pytest.fixture
def world(chain) -> World:  # noqa: F811 - the fixture imported above
    case = open_case(chain)
    _people(POLICE, case_origin(case, chain.politie))
    _people(HOUSING, case_origin(case, chain.corporatie))
    return World(chain, case)


def hidden_person(world_chain, eid: str = "out-1", name: str = "Jan de Vries",
                  born: str = "1978-03-12") -> None:
    """A person only the outsider supplied, from a delivery nobody else sees."""
    when = dt.date(2025, 3, 5)
    entity(eid, "Person", Provenance(
        origin_kind="delivery", origin_id="999999", legal_basis="test",
        organisation_id=world_chain.outsider.pk, first_seen=when, last_seen=when,
        confidentiality=1), name=name, birthDate=born)


def candidate(left: str, right: str, probability: float = 0.9):
    """A stored candidate without running Splink (the proposer has its own tests)."""
    from knooppunt.matches.models import CandidateMatch, LinkageRun

    run = LinkageRun.objects.first() or LinkageRun.objects.create(
        data_version="test", records=0, settings={})
    left, right = sorted((left, right))
    return CandidateMatch.objects.create(
        left_id=left, right_id=right, match_probability=probability, match_weight=3.0,
        prior_weight=-5.0, run=run, waterfall=[
            {"field": "prior", "level": "", "weight": -5.0, "left": None, "right": None},
            {"field": "dob", "level": "Exact match", "weight": 6.5, "left": "1978-03-12",
             "right": "1978-03-12"},
            {"field": "first_name", "level": "Initial matches", "weight": 1.5,
             "left": "jan", "right": None}])
