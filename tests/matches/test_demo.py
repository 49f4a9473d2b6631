"""The demo's RIEC analyst finds the police's and the housing corporation's persons as
candidate matches; a partner sees none; rebuilding the demo does not pile them up."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from knooppunt.demo.builder import build_demo
from knooppunt.matches.models import CandidateMatch
from knooppunt.matches.reviewing import decide
from knooppunt.organisations import scope

pytestmark = pytest.mark.django_db


def test_demo_queue(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo("VR05", scale=0.2, years=1.0, today=date(2026, 6, 15))
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
    build_demo("VR05", scale=0.2, years=1.0, today=date(2026, 6, 15))
    assert CandidateMatch.objects.count() == count  # rebuilt, not piled up
