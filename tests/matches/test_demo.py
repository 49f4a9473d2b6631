"""The demo's RIEC analyst finds the police's and the housing corporation's persons as
candidate matches; a partner sees none; rebuilding the demo does not pile them up.
Starts from the session's Twente demo (tests/shared_demo.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from knooppunt.matches.models import CandidateMatch
from knooppunt.matches.reviewing import decide
from knooppunt.organisations import scope

pytestmark = pytest.mark.django_db


def test_demo_queue(twente_demo):
    users = get_user_model().objects
    analyst = users.get(username="analist.riec")
    seen = set(scope.matches_for(analyst).values_list("left_id", "right_id"))
    expected = {("demo-corporatie-1", "demo-politie-1"), ("demo-corporatie-2", "demo-politie-2"),
                ("demo-corporatie-3", "demo-politie-3")}
    assert expected <= seen
    partner = users.filter(memberships__organisation__kind="woningcorporatie").first()
    assert not scope.matches_for(partner).exists()
    match = CandidateMatch.objects.get(left_id="demo-corporatie-1", right_id="demo-politie-1")
    decide(analyst, match, "confirm", "Zelfde naam en geboortedatum, andere schrijfwijze")
    count = CandidateMatch.objects.count()
    twente_demo.rebuild()
    assert CandidateMatch.objects.count() == count  # rebuilt, not piled up
