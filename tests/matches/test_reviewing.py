"""Reviewing: a reason is required, decisions are append-only, undo reverses, confirmed
pairs form clusters; who sees and decides is scope's business."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.entities.models import Entity
from knooppunt.matches.clusters import cluster_of, clusters
from knooppunt.matches.models import MatchDecision, State
from knooppunt.matches.reviewing import ReviewRefused, decide
from knooppunt.organisations import permissions, scope

from .conftest import candidate, hidden_person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reason", [None, "", "   \n", 5, "x" * 2001, "ja\x00"])
def test_reason_required_and_nothing_stored(world, reason):
    match = candidate("pol-1", "cor-1")
    with pytest.raises(ReviewRefused) as refused:
        decide(world.chain.analist, match, "confirm", reason)
    assert " / " in str(refused.value)  # Dutch / English
    assert not MatchDecision.objects.exists()
    match.refresh_from_db()
    assert match.state == State.OPEN


def test_confirm_undo_and_append_only(world):
    user = world.chain.analist
    match = candidate("pol-1", "cor-1")
    decide(user, match, "confirm", "Zelfde geboortedatum en adres")
    assert match.state == State.CONFIRMED
    with pytest.raises(ReviewRefused):
        decide(user, match, "reject", "kan niet: al bevestigd")
    decide(user, match, "undo", "Toch twijfel")
    match.refresh_from_db()
    assert match.state == State.OPEN
    decide(user, match, "reject", "Andere persoon volgens dossier")
    assert [(d.verdict, d.state_before, d.state_after)
            for d in MatchDecision.objects.order_by("pk")] == [
        ("confirm", "open", "confirmed"), ("undo", "confirmed", "open"),
        ("reject", "open", "rejected")]
    with pytest.raises(PermissionError):
        MatchDecision.objects.update(reason="anders")
    with pytest.raises(PermissionError):
        MatchDecision.objects.first().delete()
    updates = ProcessingLogEntry.objects.filter(object_type="matches.candidatematch",
                                                action="update")
    assert updates.count() == 3
    assert Entity.objects.filter(pk__in=["pol-1", "cor-1"]).count() == 2  # nothing merged


def test_undo_of_open_refused(world):
    match = candidate("pol-1", "cor-1")
    with pytest.raises(ReviewRefused) as refused:
        decide(world.chain.analist, match, "undo", "reden")
    assert refused.value.code == "state"


def test_clusters_of_confirmed_pairs(world):
    user = world.chain.coordinator
    a = candidate("pol-1", "cor-1")
    b = candidate("cor-1", "pol-3")
    candidate("pol-2", "cor-2")  # open: not in any cluster
    decide(user, a, "confirm", "zelfde persoon")
    decide(user, b, "confirm", "zelfde persoon")
    assert clusters(user) == [("cor-1", "pol-1", "pol-3")]
    others, links = cluster_of(user, "pol-3")
    assert others == ["cor-1", "pol-1"]
    assert {link.match_id for link in links} == {a.pk, b.pk}
    assert all(link.confirmed_by == user.get_username() for link in links)
    decide(user, a, "undo", "vergissing")
    assert clusters(user) == [("cor-1", "pol-3")]
    assert cluster_of(user, "pol-1") == ([], [])


def test_partner_medewerker_and_bestuurder_see_none(world):
    candidate("pol-1", "cor-1")
    chain = world.chain
    for user in (chain.partner, chain.medewerker, chain.mayor):
        assert not scope.matches_for(user).exists()
        assert not permissions.may(user, permissions.Action.MATCH_REVIEW)
    assert scope.matches_for(chain.analist).count() == 1


def test_one_sided_visibility_hides_the_candidate(world):
    hidden_person(world.chain)
    match = candidate("pol-1", "out-1")
    user = world.chain.analist
    assert scope.entities_for(user).filter(pk="pol-1").exists()
    assert not scope.matches_for(user).exists()
    with pytest.raises(PermissionDenied):
        decide(user, match, "confirm", "gezien")
    assert not MatchDecision.objects.exists()
