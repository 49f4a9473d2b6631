"""The OpenAPI document: generated without warnings, complete, and true to the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE

from .helpers import valid_payload

pytestmark = pytest.mark.django_db

OPENAPI = "/api/v1/openapi.json"
MONITORING_PATHS = {
    "/indicators", "/indicators/{code}", "/indicators/{code}/values",
    "/indicators/{code}/series", "/indicators/{code}/breakdown", "/targets", "/statistics",
    "/alerts", "/alerts/{id}/review", "/benchmark", "/ranking", "/displacement",
}
AREA_PATHS = {"/areas", "/areas/boundaries", "/areas/{code}/boundary"}
MAP_LAYER_PATHS = ("/map/areas", "/map/grid", "/map/signals", "/map/points/{layer}",
                   "/map/vulnerable-places")
MAP_POPUP_PATHS = ("/map/signals/{id}", "/map/cases/{id}")
MAP_PATHS = (*MAP_LAYER_PATHS, *MAP_POPUP_PATHS)
MATCH_DECISION_PATHS = ("/matches/{id}/confirm", "/matches/{id}/reject", "/matches/{id}/undo")


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = APIClient().get(OPENAPI)
    assert response.status_code == 200
    return response.json()


def operations(schema: dict[str, Any]):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "openapi.json"

    # --fail-on-warn turns every warning and error of drf-spectacular into a failure.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
        "--file", str(target),
    )

    assert target.stat().st_size > 1000


def test_schema_is_public_json_with_version_header():
    response = APIClient().get(OPENAPI)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response["API-Version"] == settings.API_VERSION
    assert response.json()["info"]["version"] == settings.API_VERSION


def test_paths_servers_tags(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["servers"] == [{"url": "/api/v1", "description": "Deze Knooppunt-installatie"}]
    assert set(schema["paths"]) == {
        "/signals", "/signals/{reference}", "/deliveries", "/deliveries/{id}",
        "/cases", "/cases/{reference}", "/cases/{reference}/transitions",
        "/cases/{reference}/decisions", "/cases/{reference}/interventions",
        "/interventions", "/interventions/{id}", "/follow-up", *MONITORING_PATHS,
        "/meetings", "/meetings/{id}", "/meetings/{id}/agenda",
        "/meetings/{id}/agenda/{reference}", "/meetings/{id}/attendance",
        "/meetings/{id}/decisions", "/reports", "/reports/{id}", "/reports/{id}/pdf",
        "/hotspots", *AREA_PATHS, "/events", "/events/{id}", *MAP_PATHS,
        "/area-scans", "/area-scans/buffer", "/area-scans/polygon", "/forecasts/evaluations",
        "/forecasts", "/forecasts/cells/{cell}", "/forecasts/decisions",
        "/vulnerable-places", "/vulnerable-places/summary", "/vulnerable-places/visits",
        "/entities", "/entities/{id}", "/entities/export", "/entities/import", "/links",
        "/matches", "/matches/{id}", *MATCH_DECISION_PATHS,
        "/networks",
    }
    tags = {"/deliveries": "Aanleveringen", "/signals": "Signalen", "/cases": "Casussen",
            "/interventions": "Interventies", "/follow-up": "Opvolging",
            "/meetings": "Vergaderingen", "/reports": "Rapportages", "/hotspots": "Analyses",
            "/areas": "Gebieden", "/events": "Politie-incidenten", "/map": "Kaart",
            "/area-scans": "Gebiedsscan", "/forecasts": "Voorspellingen",
            "/vulnerable-places": "Kwetsbare plekken",
            "/entities": "Entiteiten en relaties", "/links": "Entiteiten en relaties",
            "/matches": "Koppelingen",
            "/networks": "Entiteiten en relaties",
            **{"/" + p.split("/")[1]: "Monitoring" for p in MONITORING_PATHS}}
    assert {t["name"] for t in schema["tags"]} == set(tags.values())
    for path, method, operation in operations(schema):
        tag = tags["/" + path.split("/")[1]]
        assert operation["tags"] == [tag], (path, method)
        assert operation["summary"] and operation["description"]


def test_token_scheme_is_documented(schema):
    token = schema["components"]["securitySchemes"]["apiToken"]

    assert token["type"] == "apiKey" and token["in"] == "header"
    assert token["name"] == "Authorization" and "Token <sleutel>" in token["description"]
    for _, _, operation in operations(schema):
        assert {"apiToken": []} in operation["security"]


def test_every_property_and_parameter_is_described(schema):
    undocumented = []

    def visit(name: str, component: dict[str, Any]) -> None:
        for prop, spec in component.get("properties", {}).items():
            if not spec.get("description"):
                undocumented.append(f"{name}.{prop}")
            if spec.get("type") == "object":
                visit(f"{name}.{prop}", spec)

    for name, component in schema["components"]["schemas"].items():
        visit(name, component)
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if not parameter.get("description"):
                undocumented.append(f"{method} {path} ?{parameter['name']}")
    assert undocumented == []


def test_every_error_is_documented_as_problem_json(schema):
    expected = {
        ("/signals", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/signals", "post"): {"400", "401", "403", "413", "415", "429", "500"},
        ("/signals/{reference}", "get"): {"401", "403", "404", "429", "500"},
        ("/deliveries", "post"): {"400", "401", "403", "413", "415", "429", "500"},
        ("/deliveries/{id}", "get"): {"401", "403", "404", "429", "500"},
        ("/cases", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/cases", "post"): {"400", "401", "403", "413", "415", "429", "500"},
        ("/cases/{reference}", "get"): {"401", "403", "404", "429", "500"},
        ("/cases/{reference}/transitions", "post"):
            {"400", "401", "403", "404", "409", "413", "415", "429", "500"},
        ("/cases/{reference}/decisions", "post"):
            {"400", "401", "403", "404", "409", "413", "415", "429", "500"},
        ("/cases/{reference}/interventions", "post"):
            {"400", "401", "403", "404", "413", "415", "429", "500"},
        ("/interventions", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/interventions/{id}", "get"): {"401", "403", "404", "429", "500"},
        ("/interventions/{id}", "patch"):
            {"400", "401", "403", "404", "409", "413", "415", "429", "500"},
        ("/follow-up", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/area-scans", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/area-scans/buffer", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/area-scans/polygon", "post"):
            {"400", "401", "403", "404", "413", "415", "429", "500"},
        **{(path, "get"): {"400", "401", "403", "404", "429", "500"}
           for path in MONITORING_PATHS},
        ("/alerts/{id}/review", "post"):
            {"400", "401", "403", "404", "413", "415", "429", "500"},
        ("/meetings", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/meetings", "post"): {"400", "401", "403", "413", "415", "429", "500"},
        ("/meetings/{id}", "get"): {"401", "403", "404", "429", "500"},
        ("/meetings/{id}/agenda", "post"):
            {"400", "401", "403", "404", "413", "415", "429", "500"},
        ("/meetings/{id}/agenda/{reference}", "delete"):
            {"401", "403", "404", "429", "500"},
        ("/meetings/{id}/attendance", "put"):
            {"400", "401", "403", "404", "409", "413", "415", "429", "500"},
        ("/meetings/{id}/decisions", "post"):
            {"400", "401", "403", "404", "409", "413", "415", "429", "500"},
        ("/reports", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/reports", "post"): {"400", "401", "403", "404", "413", "415", "429", "500"},
        ("/reports/{id}", "get"): {"401", "403", "404", "429", "500"},
        ("/reports/{id}/pdf", "get"): {"401", "403", "404", "429", "500"},
        ("/hotspots", "get"): {"400", "401", "403", "404", "429", "500"},
        **{(path, "get"): {"400", "401", "403", "404", "429", "500"} for path in AREA_PATHS},
        ("/events", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/entities", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/entities/{id}", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/entities/export", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/entities/import", "post"): {"400", "401", "403", "404", "413", "415", "429",
                                       "500"},
        ("/links", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/matches", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/matches/{id}", "get"): {"401", "403", "404", "429", "500"},
        **{(path, "post"): {"400", "401", "403", "404", "409", "413", "415", "429", "500"}
           for path in MATCH_DECISION_PATHS},
        ("/networks", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/events/{id}", "get"): {"401", "403", "404", "429", "500"},
        ("/forecasts/evaluations", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/forecasts", "get"): {"400", "401", "403", "404", "422", "429", "500"},
        ("/forecasts/cells/{cell}", "get"): {"400", "401", "403", "404", "422", "429", "500"},
        ("/forecasts/decisions", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/forecasts/decisions", "post"):
            {"400", "401", "403", "404", "413", "415", "422", "429", "500"},
        **{(path, "get"): {"400", "401", "403", "429", "500"} for path in MAP_LAYER_PATHS[:3]},
        ("/map/points/{layer}", "get"): {"400", "401", "403", "404", "429", "500"},
        ("/map/vulnerable-places", "get"): {"400", "401", "403", "429", "500"},
        **{(path, "get"): {"401", "403", "404", "429", "500"} for path in MAP_POPUP_PATHS},
        ("/vulnerable-places", "get"): {"400", "401", "403", "429", "500"},
        ("/vulnerable-places/summary", "get"): {"401", "403", "429", "500"},
        ("/vulnerable-places/visits", "get"): {"400", "401", "403", "429", "500"},
        ("/vulnerable-places/visits", "post"):
            {"400", "401", "403", "404", "413", "415", "429", "500"},
    }
    for path, method, operation in operations(schema):
        errors = {code for code in operation["responses"] if code >= "400"}
        assert errors == expected[(path, method)], (path, method)
        for code in errors:
            response = operation["responses"][code]
            content = response["content"]
            assert list(content) == [PROBLEM_CONTENT_TYPE]
            ref = content[PROBLEM_CONTENT_TYPE]["schema"]["$ref"]
            assert ref.endswith("/ValidationProblem" if code == "400" else "/Problem")
            assert response["description"]
        assert "WWW-Authenticate" in operation["responses"]["401"]["headers"]
        assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_problem_components_match_rfc_9457(schema):
    components = schema["components"]["schemas"]
    problem = components["Problem"]["properties"]
    validation = components["ValidationProblem"]

    assert set(problem) == {"type", "title", "status", "detail", "instance"}
    assert "invalidParams" in validation["required"]
    assert set(components["InvalidParam"]["properties"]) == {"name", "code", "reason"}


def test_every_response_documents_the_version_header(schema):
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            assert "API-Version" in response.get("headers", {}), (path, method, code)


def test_documented_request_fields_are_exactly_those_the_api_accepts(schema, api, partner):
    request_fields = set(schema["components"]["schemas"]["SignalRequest"]["properties"])
    response_fields = set(schema["components"]["schemas"]["Signal"]["properties"])
    payload = valid_payload(
        houseLetter="a", houseNumberAddition="2", confidentiality="vertrouwelijk",
        reportingOrganisation=partner.organisation.pk, isAnonymous=False,
        reporterName="J. Jansen", reporterContact="053-1234567",
    )

    assert set(payload) == request_fields
    assert api.post("/api/v1/signals", payload, format="json").status_code == 201
    assert {"reporterName", "reporterContact"} <= request_fields - response_fields
    assert {"reference", "status", "history"} <= response_fields - request_fields


def test_forbidden_is_described_in_the_terms_of_each_api(schema):
    """A 403 of a monitoring endpoint speaks of figures and areas, not of signals."""
    seen = {"monitoring": 0, "signals": 0}
    for path, _method, operation in operations(schema):
        forbidden = operation["responses"].get("403")
        if forbidden is None:
            continue
        text = forbidden["description"]
        if path.rsplit("/v1", 1)[-1] in MONITORING_PATHS or any(
                path.endswith(p) for p in MONITORING_PATHS):
            assert "signalen" not in text and "cijfers" in text, path
            seen["monitoring"] += 1
        elif "/signals" in path:
            assert "signalen" in text, path
            seen["signals"] += 1
    assert seen["monitoring"] and seen["signals"]
