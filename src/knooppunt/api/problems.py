"""Errors as RFC 9457 problem details (application/problem+json), in Dutch.

NLGov API Design Rules: every error has type, title, status, detail and instance;
validation errors add `invalidParams` with the field and reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Ongeldige invoer / Invalid input",
    401: "Niet ingelogd / Not authenticated",
    403: "Geen toegang / Forbidden",
    404: "Niet gevonden / Not found",
    405: "Methode niet toegestaan / Method not allowed",
    406: "Niet aanvaardbaar / Not acceptable",
    409: "Conflict",
    415: "Mediatype niet ondersteund / Unsupported media type",
    429: "Te veel verzoeken / Too many requests",
    500: "Interne fout / Internal error",
}


def _flatten(detail, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            params.extend(_flatten(value, name))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                params.extend(_flatten(value, f"{prefix}[{index}]"))
            else:
                params.append(_param(prefix, value))
    else:
        params.append(_param(prefix, detail))
    return params


def _param(name: str, value) -> dict[str, str]:
    code = getattr(value, "code", "invalid")
    return {"name": name or "nonFieldErrors", "code": str(code), "reason": str(value)}


def problem_response(status_code: int, detail: str, request=None, **extra) -> Response:
    body = {
        "type": f"https://knooppunt.nl/problemen/{status_code}",
        "title": TITLES.get(status_code, "Fout / Error"),
        "status": status_code,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.get_full_path()
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Het gevraagde object bestaat niet of u heeft geen toegang."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        params = _flatten(exc.detail)
        result = problem_response(
            status.HTTP_400_BAD_REQUEST,
            _("De invoer is niet geldig; zie invalidParams. / The input is not valid."),
            request,
            invalidParams=params,
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        result = problem_response(response.status_code, str(detail), request)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result
