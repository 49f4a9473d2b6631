"""The review queue, a candidate's page, the decision form and "also known as"."""

from __future__ import annotations

import pytest

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.matches.models import MatchDecision, State

from .conftest import candidate, hidden_person

pytestmark = pytest.mark.django_db


def test_queue_shows_both_sides_and_waterfall(world, client):
    candidate("pol-1", "cor-1")
    client.force_login(world.chain.analist)
    page = client.get("/koppelingen/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "J. de Vries" in body and "Jan de Vries" in body
    assert "1978-03-12" in body and "Exact match" in body and "sterk voor" in body
    assert "Geboortedatum" in body
    assert world.chain.politie.name in body and world.chain.corporatie.name in body
    assert 'name="csrfmiddlewaretoken"' in body and 'value="confirm"' in body
    shown = ProcessingLogEntry.objects.filter(object_type="entities.entity", action="list")
    assert any({"pol-1", "cor-1"} <= set(e.object_ids or []) for e in shown)


def test_english_queue(world, client):
    candidate("pol-1", "cor-1")
    client.force_login(world.chain.analist)
    client.cookies["django_language"] = "en"
    body = client.get("/koppelingen/").content.decode()
    assert "Candidate matches" in body and "Reason (required)" in body


def test_decide_without_reason_keeps_form(world, client):
    match = candidate("pol-1", "cor-1")
    client.force_login(world.chain.analist)
    refused = client.post(f"/koppelingen/{match.pk}/besluit/", {"besluit": "confirm",
                                                                "reden": "  "})
    assert refused.status_code == 400
    assert "Give a reason" in refused.content.decode()
    assert not MatchDecision.objects.exists()
    done = client.post(f"/koppelingen/{match.pk}/besluit/", {"besluit": "confirm",
                                                             "reden": "Zelfde persoon"})
    assert done.status_code == 302
    match.refresh_from_db()
    assert match.state == State.CONFIRMED


def test_entity_page_shows_also_known_as(world, client):
    from knooppunt.matches.reviewing import decide

    match = candidate("pol-1", "cor-1")
    decide(world.chain.coordinator, match, "confirm", "Zelfde geboortedatum")
    client.force_login(world.chain.analist)
    # Through the case the entities come from: names (decision 0054).
    body = client.get(f"/entiteiten/pol-1/?casus={world.case.reference}").content.decode()
    assert "Ook bekend als" in body and "Jan de Vries" in body
    assert world.chain.coordinator.get_username() in body and "Zelfde geboortedatum" in body


def test_partner_403_and_hidden_candidate_404(world, client):
    hidden_person(world.chain)
    hidden = candidate("pol-1", "out-1")
    client.force_login(world.chain.partner)
    assert client.get("/koppelingen/").status_code == 403
    client.force_login(world.chain.analist)
    assert "out-1" not in client.get("/koppelingen/").content.decode()
    assert client.get(f"/koppelingen/{hidden.pk}/").status_code == 404
    assert client.post(f"/koppelingen/{hidden.pk}/besluit/", {
        "besluit": "confirm", "reden": "ja"}).status_code == 404
    assert not MatchDecision.objects.exists()


def test_the_queue_links_to_an_entity_page_only_where_it_shows_the_name(world, client):
    """Review finding H2: a link from a named side to the entity page (which shows a
    pseudonym, by token) would tie each queued name to its pseudonym."""
    from django.urls import reverse

    from knooppunt.entities import pseudonyms
    from knooppunt.entities.reveal import reveal_entity

    match = candidate("pol-1", "cor-1")
    client.force_login(world.chain.coordinator)
    for url in ("/koppelingen/", f"/koppelingen/{match.pk}/"):
        body = client.get(url).content.decode()
        assert "J. de Vries" in body and "Jan de Vries" in body  # names: by design (0053)
        assert reverse("entities:detail", args=["pol-1"]) not in body
        assert reverse("entities:detail", args=["cor-1"]) not in body
        token = pseudonyms.token(world.chain.gemeente.pk, "pol-1")
        assert token not in body
    # Revealed to this reviewer: the page shows the name, so the queue links to it.
    reveal_entity(world.chain.coordinator, "pol-1", "Weging")
    body = client.get("/koppelingen/").content.decode()
    assert reverse("entities:detail", args=["pol-1"]) in body
    assert reverse("entities:detail", args=["cor-1"]) not in body
