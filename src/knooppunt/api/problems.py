"""Problem details (RFC 9457, `application/problem+json`): the body of every API error.

NLGov API Design Rules: every error has `type`, `title`, `status`, `detail` and
`instance`; validation errors add `invalidParams` (name, code, reason per field).
Titles carry Dutch and English; details are Dutch.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://knooppunt.nl/problemen/"

TITLES: dict[int, str] = {
    400: "Ongeldige invoer / Invalid input",
    401: "Niet ingelogd / Not authenticated",
    403: "Geen toegang / Forbidden",
    404: "Niet gevonden / Not found",
    405: "Methode niet toegestaan / Method not allowed",
    406: "Niet aanvaardbaar / Not acceptable",
    409: "Conflict / Conflict",
    413: "Verzoek te groot / Payload too large",
    415: "Mediatype niet ondersteund / Unsupported media type",
    422: "Niet te verwerken / Unprocessable content",
    429: "Te veel verzoeken / Too many requests",
    500: "Interne fout / Internal error",
    503: "Niet beschikbaar / Service unavailable",
}

# Dutch details for errors that carry no more specific message.
DEFAULT_DETAILS: dict[int, str] = {
    400: "Het verzoek is ongeldig.",
    401: "Stuur een geldige API-sleutel mee in de header 'Authorization: Token <sleutel>'.",
    403: "U heeft geen toegang tot deze gegevens.",
    404: "Dit API-pad bestaat niet.",
    405: "Deze methode is op dit pad niet toegestaan.",
    406: "Deze API levert alleen application/json.",
    413: "Het verzoek is te groot.",
    415: "Stuur de gegevens als application/json.",
    429: "Te veel verzoeken; probeer het later opnieuw.",
    500: "Er ging aan onze kant iets mis. De fout is vastgelegd.",
    503: "De dienst is tijdelijk niet beschikbaar.",
}

# Headers that belong to an error and are kept when a response is rewritten.
KEPT_HEADERS = ("WWW-Authenticate", "Retry-After", "Allow")


def problem_type(status_code: int) -> str:
    return f"{TYPE_BASE}{status_code}"


def problem_body(
    status_code: int, detail: str | None = None, request: HttpRequest | None = None, **extra: Any
) -> dict[str, Any]:
    """The problem document for `status_code`; `extra` adds members such as invalidParams."""
    body: dict[str, Any] = {
        "type": problem_type(status_code),
        "title": TITLES.get(status_code, "Fout / Error"),
        "status": status_code,
        "detail": detail or DEFAULT_DETAILS.get(status_code, TITLES.get(status_code, "Fout")),
    }
    if request is not None:
        body["instance"] = request.get_full_path()
    body.update(extra)
    if status_code == 400 and "invalidParams" not in body:
        # The OpenAPI document promises `invalidParams` with every 400 (ValidationProblem).
        body["invalidParams"] = [{"name": "request", "code": "invalid", "reason": body["detail"]}]
    return body


def problem_response(
    status_code: int, detail: str | None = None, request: HttpRequest | None = None, **extra: Any
) -> Response:
    """A DRF response with a problem document, for use inside API views."""
    return Response(
        problem_body(status_code, detail, request, **extra),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def problem_http_response(
    status_code: int, detail: str | None = None, request: HttpRequest | None = None, **extra: Any
) -> HttpResponse:
    """A plain Django response with a problem document, for use outside DRF (middleware)."""
    body = problem_body(status_code, detail, request, **extra)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status_code,
        content_type=f"{PROBLEM_CONTENT_TYPE}; charset=utf-8",
    )


def is_problem(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)
