"""/api/v1/networks: a case's or an entity's network, scoped, filtered, logged; problem+json."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.entities import pseudonyms
from knooppunt.entities.services import Provenance

from ..api.conftest import token_client
from ..factories import member
from .factories import case_origin, entity

pytestmark = pytest.mark.django_db


def outsider_origin(chain) -> Provenance:
    """A fact only the other municipality supplied (a signal of theirs)."""
    return Provenance(origin_kind="signal", origin_id="999999", legal_basis="test",
                      organisation_id=chain.outsider.pk, first_seen=dt.date(2025, 1, 1),
                      last_seen=dt.date(2025, 1, 1), confidentiality=1)


@pytest.fixture
def filled(chain, case):
    origin = case_origin(case, chain.gemeente)
    entity("p1", "Person", origin, name="Jan de Vries")
    entity("c1", "Company", origin, name="Hennep BV")
    entity("c2", "Company", origin, name="Wasstraat BV")
    entity("d1", "Directorship", origin, director="p1", organization="c1",
           startDate="2019-03", endDate="2020")
    entity("d2", "Directorship", origin, director="p1", organization="c2", startDate="2023")
    entity("o1", "Ownership", origin, owner="p1", asset="c2")
    # A company only the other municipality knows, and a link to it in the case:
    entity("x9", "Company", outsider_origin(chain), name="Geheim BV")
    entity("d9", "Directorship", origin, director="p1", organization="x9")
    return case


def _ids(body) -> tuple[set[str], set[str]]:
    return {n["id"] for n in body["nodes"]}, {e["id"] for e in body["edges"]}


def test_the_case_network_with_a_hidden_count(chain, filled):
    api = token_client(chain.coordinator)
    answer = api.get("/api/v1/networks", {"case": filled.reference})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert _ids(body) == ({"p1", "c1", "c2"}, {"d1", "d2", "o1"})
    counts = {n["id"]: n["hiddenCount"] for n in body["nodes"]}
    assert counts == {"p1": 1, "c1": 0, "c2": 0}  # d9 is read, its company is not
    d1 = next(e for e in body["edges"] if e["id"] == "d1")
    assert (d1["linkType"], d1["start"], d1["end"]) == ("Directorship", "2019-03-01",
                                                        "2020-12-31")
    assert d1["provenance"][0]["organisation"] == chain.gemeente.name
    logged = ProcessingLogEntry.objects.filter(object_type="entities.entity", action="list",
                                               detail__startswith="netwerk casus").last()
    assert logged is not None and set(logged.object_ids) == {"p1", "c1", "c2"}


def test_expanding_an_entity_with_filters(chain, filled):
    # Expanding from the case (case + entity): real ids and names (decision 0054).
    api = token_client(chain.coordinator)
    via = {"case": filled.reference}
    around = api.get("/api/v1/networks", {"entity": "c1", **via}).json()
    assert _ids(around) == ({"c1", "p1"}, {"d1"})
    two = api.get("/api/v1/networks", {"entity": "c1", "depth": "2", **via}).json()
    assert _ids(two)[0] == {"c1", "p1", "c2"}
    owned = api.get("/api/v1/networks", {"entity": "p1", "linkTypes": "Ownership",
                                         **via}).json()
    assert _ids(owned) == ({"p1", "c2"}, {"o1"})
    in_2021 = api.get("/api/v1/networks", {"entity": "p1", "linkTypes": "Directorship",
                                           "start": "2021-01-01", "end": "2021-12-31",
                                           **via}).json()
    assert _ids(in_2021) == ({"p1"}, set())  # d1 ended in 2020, d2 began in 2023
    in_2024 = api.get("/api/v1/networks", {"entity": "p1", "linkTypes": "Directorship",
                                           "start": "2024-01-01", **via}).json()
    assert _ids(in_2024) == ({"p1", "c2"}, {"d2"})


def test_partners_see_none_and_strangers_only_their_own(chain, filled):
    partner = token_client(chain.partner).get("/api/v1/networks", {"case": filled.reference})
    assert partner.status_code == 403 and partner["Content-Type"] == PROBLEM_CONTENT_TYPE
    stranger = token_client(member("analist", chain.outsider))
    case = stranger.get("/api/v1/networks", {"case": filled.reference})
    assert case.status_code == 404 and case["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert stranger.get("/api/v1/networks", {"entity": "p1"}).status_code == 404
    assert stranger.get("/api/v1/networks", {"entity": "x9"}).status_code == 404  # M1
    own = stranger.get("/api/v1/networks", {"entity": pseudonyms.token(
        chain.outsider.pk, "x9")}).json()
    # They see their company but not the case's link to it, so no count either; outside a
    # case as a pseudonym (decision 0054).
    [node] = own["nodes"]
    assert node["schema"] == "Company" and node["label"].startswith("Bedrijf B-")
    assert node["id"].startswith("psn-") and node["attributes"] == {"pseudonymised": True}
    assert node["hiddenCount"] == 0 and "Geheim BV" not in str(own)
    assert own["edges"] == []
    denied = ProcessingLogEntry.objects.filter(object_type="entities.entity",
                                               outcome="denied", detail__contains="netwerk")
    assert denied.exists()


@pytest.mark.parametrize("params", [
    {}, {"case": "X!", "entity": "p1"}, {"entity": "p1", "depth": "9"},
    {"entity": "p1", "linkTypes": "Friendship"}, {"entity": "p1", "start": "2024-02-30"},
    {"entity": "p1", "start": "2024-02-01", "end": "2024-01-01"}, {"entity": "p1", "x": "1"},
    {"area": "GM0153", "case": "CAS-2025-000001"}, {"area": "WK015301", "entity": "p1"},
])
def test_bad_parameters_are_problems(chain, filled, params):
    answer = token_client(chain.coordinator).get("/api/v1/networks", params)
    assert answer.status_code == 400 and answer["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert answer.json()["invalidParams"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=30))
def test_any_entity_id_is_an_answer_not_an_error(chain, filled, value):
    answer = token_client(chain.coordinator).get("/api/v1/networks", {"entity": value})
    assert answer.status_code in (200, 400, 404)
    if answer.status_code != 200:
        assert answer["Content-Type"] == PROBLEM_CONTENT_TYPE


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(area=st.one_of(st.sampled_from(["GM0153", "WK015301", "GM0153\x00"]),
                      st.text(max_size=12)),
       case=st.one_of(st.sampled_from(["CAS-2025-000001", "\x00"]), st.text(max_size=20)))
def test_an_area_with_a_case_is_refused(chain, filled, area, case):
    """An area gives no case (decision 0054): `area` with `case` is a 400, whatever the
    values, and says so in Dutch and English when both are well formed."""
    answer = token_client(chain.coordinator).get("/api/v1/networks",
                                                 {"area": area, "case": case})
    assert answer.status_code == 400 and answer["Content-Type"] == PROBLEM_CONTENT_TYPE
