"""Proposing candidates: across partners, stored with the waterfall, never twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from knooppunt.matches.models import CandidateMatch, LinkageRun, State
from knooppunt.matches.proposing import propose_matches

from ..cases.conftest import open_case
from ..entities.factories import case_origin, entity

pytestmark = pytest.mark.django_db


def test_proposes_the_same_persons_across_partners(world):
    found = propose_matches()
    pairs = set(CandidateMatch.objects.values_list("left_id", "right_id"))
    assert ("cor-1", "pol-1") in pairs and ("cor-2", "pol-2") in pairs
    assert found.added == len(pairs)
    assert not any(a[:3] == b[:3] for a, b in pairs)  # never within one partner
    match = CandidateMatch.objects.get(left_id="cor-1", right_id="pol-1")
    assert match.state == State.OPEN and match.match_probability >= 0.5
    rows = {row["field"]: row for row in match.waterfall}
    assert rows["prior"]["weight"] < 0
    dob = next(row for name, row in rows.items() if "dob" in name)
    assert (dob["left"], dob["right"]) == ("1978-03-12", "1978-03-12")
    assert dob["weight"] > 0
    run = match.run
    assert run.records == 8 and run.data_version.startswith("sha256:")
    assert run.settings["linkType"] == "link_only"


def test_rerun_adds_nothing_and_decided_pairs_stay_decided(world):
    propose_matches()
    count = CandidateMatch.objects.count()
    CandidateMatch.objects.filter(left_id="cor-1").update(state=State.REJECTED)
    again = propose_matches()
    assert again.added == 0 and CandidateMatch.objects.count() == count
    assert CandidateMatch.objects.get(left_id="cor-1", right_id="pol-1").state == State.REJECTED
    assert LinkageRun.objects.count() == 2


def test_one_source_proposes_nothing(chain):
    case = open_case(chain)
    entity("a", "Person", case_origin(case, chain.politie), name="Jan de Vries")
    entity("b", "Person", case_origin(case, chain.politie), name="Jan de Vries")
    assert propose_matches().added == 0
    assert not CandidateMatch.objects.exists()


def test_command(world, capsys):
    call_command("propose_matches")
    assert "nieuw voorgesteld" in capsys.readouterr().out
    assert CandidateMatch.objects.exists()
