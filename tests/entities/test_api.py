"""/api/v1/entities, /links, export and import: scoped, logged, problem+json on bad input."""

from __future__ import annotations

import json

import pytest

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.entities.models import Statement

from ..api.conftest import token_client
from .factories import case_origin, entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(chain, case):
    origin = case_origin(case, chain.gemeente)
    entity("p1", "Person", origin, name="Jan de Vries", birthDate="1978-03-12")
    entity("c1", "Company", origin, name="Hennep BV", registrationNumber="12345678")
    entity("d1", "Directorship", origin, director="p1", organization="c1", role="directeur")
    return case


def test_list_filter_and_detail(chain, filled):
    # Through the case the coordinator's organisation sits at: names (decision 0054).
    api = token_client(chain.coordinator)
    via = {"case": filled.reference}
    listed = api.get("/api/v1/entities", {"schema": "Person", **via})
    assert listed.status_code == 200, listed.content
    assert [(e["id"], e["pseudonymised"]) for e in listed.json()["results"]] == [("p1", False)]
    named = api.get("/api/v1/entities", {"name": "hennep", **via}).json()["results"]
    assert [(e["id"], e["label"]) for e in named] == [("c1", "Hennep BV")]
    detail = api.get("/api/v1/entities/p1", via).json()
    assert detail["properties"] == {"birthDate": ["1978-03-12"], "name": ["Jan de Vries"]}
    assert {(s["prop"], s["supplier"], s["originKind"], s["originId"])
            for s in detail["statements"]} == {
        ("name", chain.gemeente.name, "case", str(filled.pk)),
        ("birthDate", chain.gemeente.name, "case", str(filled.pk))}
    views = ProcessingLogEntry.objects.filter(object_type="entities.entity", action="view")
    assert any("p1" in (entry.object_ids or []) for entry in views)


def test_links(chain, filled):
    api = token_client(chain.coordinator)
    links = api.get("/api/v1/links", {"entity": "p1", "case": filled.reference}
                    ).json()["results"]
    assert [(link["id"], link["source"], link["target"], link["label"]) for link in links] == [
        ("d1", "p1", "c1", "directeur")]
    assert api.get("/api/v1/links", {"schema": "Family"}).json()["results"] == []


def test_partners_and_strangers(chain, filled):
    partner = token_client(chain.partner)
    refused = partner.get("/api/v1/entities")
    assert refused.status_code == 403 and refused["Content-Type"] == PROBLEM_CONTENT_TYPE
    from ..factories import member

    stranger = member("analist", chain.outsider)
    missing = token_client(stranger).get("/api/v1/entities/p1")
    assert missing.status_code == 404 and missing["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert token_client(stranger).get("/api/v1/entities").json()["count"] == 0


def test_bad_parameters_are_problems(chain, filled):
    api = token_client(chain.coordinator)
    for params in ({"schema": "Spaceship"}, {"colour": "red"}):
        answer = api.get("/api/v1/entities", params)
        assert answer.status_code == 400 and answer["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert api.get("/api/v1/entities/export").status_code == 400
    assert api.get("/api/v1/entities/export", {"case": "CAS-0000-999999"}).status_code == 404


def test_export_and_import_through_the_api(chain, filled):
    api = token_client(chain.coordinator)
    exported = api.get("/api/v1/entities/export", {"case": filled.reference})
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in exported.content.decode().splitlines()]
    assert [e["id"] for e in lines] == ["c1", "d1", "p1"]
    again = api.post("/api/v1/entities/import", {"case": filled.reference, "entities": lines},
                     format="json")
    assert again.status_code == 200, again.content
    assert again.json() == {"entities": 3, "newStatements": 0}
    assert api.get("/api/v1/entities/export", {"case": filled.reference}).content \
        == exported.content


def test_a_bad_import_is_a_problem_and_stores_nothing(chain, filled):
    api = token_client(chain.coordinator)
    before = Statement.objects.count()
    answer = api.post("/api/v1/entities/import", {"case": filled.reference, "entities": [
        {"id": "p9", "schema": "Person", "properties": {"name": ["Ok"]}},
        {"id": "p10", "schema": "Person", "properties": {"socialSecurityNumber": ["123"]}},
    ]}, format="json")
    assert answer.status_code == 400 and answer["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = answer.json()
    assert "niets opgeslagen" in body["detail"] and "nothing was stored" in body["detail"]
    assert body["invalidParams"][0]["name"] == "entities[1].properties.socialSecurityNumber"
    assert Statement.objects.count() == before
    shape = api.post("/api/v1/entities/import", {"case": filled.reference, "entities": "x"},
                     format="json")
    assert shape.status_code == 400
    partner = token_client(chain.partner).post(
        "/api/v1/entities/import", {"case": filled.reference, "entities": []}, format="json")
    assert partner.status_code == 403
