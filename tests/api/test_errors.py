"""Every API error is problem+json in Dutch with an API-Version header; never a traceback."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from knooppunt.api.middleware import ProblemDetailsMiddleware
from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.organisations.api_keys import revoke
from knooppunt.signals.api.views import SignalViewSet
from knooppunt.signals.models import Signal

from .helpers import SIGNALS, assert_problem, invalid_names, valid_payload

pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_with_www_authenticate():
    response = APIClient().get(SIGNALS)

    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert "API-sleutel" in body["detail"]


def test_unknown_token_is_401(partner):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "x" * 43)

    body = assert_problem(client.get(SIGNALS), 401)

    assert body["detail"] == "Ongeldige of ingetrokken API-sleutel."


def test_revoked_token_is_401(api, partner):
    assert api.get(SIGNALS).status_code == 200
    revoke(partner.token, by=None)

    response = api.get(SIGNALS)

    assert assert_problem(response, 401)["detail"] == "Ongeldige of ingetrokken API-sleutel."
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Bearer abc", "Token \u00fc", "token abc", "Basic YTpi"]
)
def test_malformed_authorization_header_is_401(partner, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(SIGNALS)

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"


def test_token_of_inactive_user_is_401(api, partner):
    partner.user.is_active = False
    partner.user.save()

    assert_problem(api.get(SIGNALS), 401)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/", "/api/v1/signalen", "/api/v1/signals/", "/api/v1/signals/KNP-2025-000001/x"],
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_path_is_404(api, path, method):
    response = getattr(api, method)(path)

    assert assert_problem(response, 404)["detail"] == "Dit API-pad bestaat niet."


def test_unknown_api_path_needs_no_credentials():
    assert_problem(APIClient().get("/api/v1/bestaat-niet"), 404)


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("delete", SIGNALS, "GET, POST, HEAD, OPTIONS"),
        ("put", SIGNALS + "/KNP-2025-000001", "GET, HEAD, OPTIONS"),
        ("patch", SIGNALS + "/KNP-2025-000001", "GET, HEAD, OPTIONS"),
    ],
)
def test_method_not_allowed_is_405_with_allow(api, method, path, allowed):
    response = getattr(api, method)(path, {}, format="json")

    body = assert_problem(response, 405)
    assert method.upper() in body["detail"]
    assert response["Allow"] == allowed


def test_form_post_is_415(api):
    response = api.post(SIGNALS, {"theme": "hennepteelt"})  # multipart

    body = assert_problem(response, 415)
    assert "multipart/form-data" in body["detail"]
    assert Signal.objects.count() == 0


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b'{"theme": "hennepteelt",}',
        b"{'theme': 'hennepteelt'}",
        b'{"latitude": NaN}',
        b'{"latitude": Infinity}',
        b"\xff\xfe\x00{}",
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["truncated", "trailing comma", "single quotes", "NaN", "Infinity", "not utf-8", "deep"],
)
def test_malformed_json_is_400(api, raw):
    response = api.post(SIGNALS, raw, content_type="application/json")

    body = assert_problem(response, 400)
    assert body["detail"].startswith("De body is geen geldige JSON")
    assert Signal.objects.count() == 0


def test_body_over_the_limit_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    raw = json.dumps(valid_payload(description="x" * 2000))

    response = api.post(SIGNALS, raw, content_type="application/json")

    assert "1000 bytes" in assert_problem(response, 413)["detail"]
    assert Signal.objects.count() == 0


def test_html_only_accept_is_406(api):
    response = api.get(SIGNALS, HTTP_ACCEPT="text/html")

    assert_problem(response, 406)


def test_browser_accept_header_gets_json(api):
    response = api.get(SIGNALS, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_validation_problem_lists_every_field(api):
    response = api.post(SIGNALS, {"theme": "nope", "receivedOn": "gisteren"}, format="json")

    names = invalid_names(response)
    assert names == {"theme", "receivedOn", "sourceType", "description"}
    assert "invalidParams" in assert_problem(response, 400)["detail"]
    codes = {p["name"]: p["code"] for p in response.json()["invalidParams"]}
    assert codes["sourceType"] == "required"


def test_messages_are_dutch_even_when_english_is_asked(api):
    response = api.post(SIGNALS, {"houseNumber": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    reasons = {p["name"]: p["reason"] for p in assert_problem(response, 400)["invalidParams"]}
    assert reasons["theme"] == "Dit veld is vereist."
    assert reasons["houseNumber"] == "Geef een geheel getal (een JSON-getal, geen tekst)."
    assert response["Content-Language"] == "nl"


def test_error_inside_a_view_is_500_problem_and_logged(api, monkeypatch, caplog):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("geheime interne details")

    monkeypatch.setattr(SignalViewSet, "list", explode)

    with caplog.at_level(logging.ERROR, logger="knooppunt.api"):
        response = api.get(SIGNALS)

    body = assert_problem(response, 500)
    assert "geheime" not in response.content.decode()
    assert response["X-Trace-Id"] in body["detail"]
    assert any(r.exc_info and "geheime" in str(r.exc_info[1]) for r in caplog.records)


def test_error_inside_a_view_is_problem_also_with_debug(api, monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr(
        SignalViewSet, "retrieve", lambda *a, **k: 1 / 0
    )

    response = api.get(SIGNALS + "/KNP-2025-000001")

    assert_problem(response, 500)
    assert "ZeroDivisionError" not in response.content.decode()


def test_error_late_in_create_is_500_and_stores_nothing(api, monkeypatch):
    from knooppunt.signals import services
    from knooppunt.signals.models import StatusChange

    def log_unavailable(**kwargs):
        raise ConnectionError("logserver weg")

    # The processing-log write is the last step of create_signal, after the signal
    # and its first status change were written.
    monkeypatch.setattr(services, "record", log_unavailable)

    response = api.post(SIGNALS, valid_payload(), format="json")

    assert_problem(response, 500)
    assert Signal.objects.count() == 0 and StatusChange.objects.count() == 0


def test_problem_details_middleware_is_installed(settings):
    assert "knooppunt.api.middleware.ProblemDetailsMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize("path", ["/api/", "/api/v2/signals", "/api/v1/signals/x/y"])
def test_unknown_path_outside_v1_is_problem_too(path):
    response = APIClient().get(path)

    assert_problem(response, 404)


def test_web_pages_keep_their_html_error_pages(client):
    response = client.get("/bestaat-niet/")

    assert response.status_code in (302, 404)
    assert not response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)


class TestProblemDetailsMiddleware:
    """The safety net for errors outside DRF views (Django's 404/500 pages on /api/)."""

    def _run(self, path: str, response):
        from django.http import HttpResponse

        middleware = ProblemDetailsMiddleware(lambda request: response or HttpResponse())
        request = RequestFactory().get(path)
        request.trace_id = "abc123"
        return middleware(request)

    def test_html_error_on_api_path_becomes_problem(self):
        from django.http import HttpResponseServerError

        html = HttpResponseServerError("<h1>Traceback (most recent call last)</h1>")
        html["Retry-After"] = "5"

        response = self._run("/api/v2/signals", html)

        assert response.status_code == 500
        assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
        body = json.loads(response.content)
        assert body["status"] == 500 and "abc123" in body["detail"]
        assert body["instance"] == "/api/v2/signals"
        assert b"Traceback" not in response.content
        assert response["Retry-After"] == "5"

    def test_django_404_on_api_path_becomes_problem(self):
        from django.http import HttpResponseNotFound

        response = self._run("/api/", HttpResponseNotFound("<h1>Not Found</h1>"))

        assert json.loads(response.content)["title"] == "Niet gevonden / Not found"

    def test_web_pages_and_problems_are_left_alone(self):
        from django.http import HttpResponseNotFound

        page = HttpResponseNotFound("<h1>Niet gevonden</h1>")
        assert self._run("/signalen/x", page) is page
        problem = HttpResponseNotFound("{}", content_type=PROBLEM_CONTENT_TYPE)
        assert self._run("/api/v1/x", problem) is problem
