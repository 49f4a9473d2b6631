"""/api/v1/matches: scoped list and detail with the waterfall; decisions with a reason,
problem+json on every bad input, nothing stored then."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.matches.models import CandidateMatch, MatchDecision, State

from ..api.conftest import token_client
from .conftest import candidate, hidden_person

pytestmark = pytest.mark.django_db


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
    return response.json()


def test_list_filter_detail_and_log(world):
    a = candidate("pol-1", "cor-1", 0.97)
    candidate("pol-2", "cor-2", 0.8)
    api = token_client(world.chain.analist)
    listed = api.get("/api/v1/matches").json()
    assert [m["id"] for m in listed["results"]][0] == a.pk
    first = listed["results"][0]
    assert {first["left"]["id"], first["right"]["id"]} == {"pol-1", "cor-1"}
    assert world.chain.politie.name in first["right"]["suppliers"]
    assert api.get("/api/v1/matches", {"state": "confirmed"}).json()["count"] == 0
    detail = api.get(f"/api/v1/matches/{a.pk}").json()
    assert detail["waterfall"][0] == {"field": "dob", "level": "Exact match", "weight": 6.5,
                                      "leftValue": "1978-03-12", "rightValue": "1978-03-12"}
    assert detail["run"]["dataVersion"] == "test"
    logged = ProcessingLogEntry.objects.filter(object_type="matches.candidatematch")
    assert set(logged.values_list("action", flat=True)) == {"list", "view"}
    _problem(api.get("/api/v1/matches", {"state": "maybe"}), 400)


def test_confirm_then_undo(world):
    match = candidate("pol-1", "cor-1")
    api = token_client(world.chain.coordinator)
    done = api.post(f"/api/v1/matches/{match.pk}/confirm", {"reason": "Zelfde persoon"},
                    format="json")
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "confirmed"
    assert done.json()["decisions"][0]["reason"] == "Zelfde persoon"
    _problem(api.post(f"/api/v1/matches/{match.pk}/reject", {"reason": "x"}, format="json"),
             409)
    undone = api.post(f"/api/v1/matches/{match.pk}/undo", {"reason": "Twijfel"},
                      format="json")
    assert undone.json()["state"] == "open" and len(undone.json()["decisions"]) == 2


def test_partner_gets_403_and_one_sided_404(world):
    match = candidate("pol-1", "cor-1")
    _problem(token_client(world.chain.partner).get("/api/v1/matches"), 403)
    hidden_person(world.chain)
    hidden = candidate("pol-2", "out-1")
    api = token_client(world.chain.analist)
    assert [m["id"] for m in api.get("/api/v1/matches").json()["results"]] == [match.pk]
    _problem(api.get(f"/api/v1/matches/{hidden.pk}"), 404)
    _problem(api.post(f"/api/v1/matches/{hidden.pk}/confirm", {"reason": "ja"},
                      format="json"), 404)
    assert not MatchDecision.objects.exists()


payloads = st.one_of(
    st.just({}),
    st.fixed_dictionaries({"reason": st.one_of(
        st.none(), st.integers(), st.lists(st.text(max_size=3), max_size=2),
        st.text(alphabet=" \t\n\r", max_size=20),
        st.text(min_size=2001, max_size=2100))}),
    st.fixed_dictionaries({"reason": st.text(min_size=1, max_size=20),
                           "extra": st.text(max_size=5)}),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(payload=payloads, verdict=st.sampled_from(["confirm", "reject", "undo"]))
def test_bad_payloads_refused_nothing_stored(world, payload, verdict):
    match = CandidateMatch.objects.first() or candidate("pol-1", "cor-1")
    api = token_client(world.chain.analist)
    body = _problem(api.post(f"/api/v1/matches/{match.pk}/{verdict}", payload,
                             format="json"), 400)
    assert " / " in body["title"]
    assert body.get("invalidParams")
    assert not MatchDecision.objects.exists()
    match.refresh_from_db()
    assert match.state == State.OPEN


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(missing=st.integers(min_value=1, max_value=10**9),
       verdict=st.sampled_from(["confirm", "reject", "undo"]))
def test_unknown_id_404(world, missing, verdict):
    existing = set(CandidateMatch.objects.values_list("pk", flat=True))
    if missing in existing:
        missing = max(existing) + 1
    api = token_client(world.chain.analist)
    _problem(api.post(f"/api/v1/matches/{missing}/{verdict}", {"reason": "ja"},
                      format="json"), 404)
    assert not MatchDecision.objects.exists()


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(reason=st.text(min_size=1, max_size=200).filter(str.strip))
@example(reason="nee\x00")
def test_wrong_state_409_with_any_reason(world, reason):
    """Undo of an open match is a state conflict; a reason that cannot be
    stored (a NUL character) is refused first as invalid input."""
    match = CandidateMatch.objects.first() or candidate("pol-1", "cor-1")
    api = token_client(world.chain.analist)
    expected = 400 if "\x00" in reason else 409
    _problem(api.post(f"/api/v1/matches/{match.pk}/undo", {"reason": reason},
                      format="json"), expected)
    assert not MatchDecision.objects.exists()
    match.refresh_from_db()
    assert match.state == State.OPEN
