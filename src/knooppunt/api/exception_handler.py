"""DRF exception handler: every error raised in an API view becomes problem+json.

Known errors get a Dutch detail; validation errors list the fields in `invalidParams`;
anything unexpected is logged with its traceback and answered with a bare 500 problem
(no stack trace, no exception text) so nothing internal leaks to a partner system.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from .invalid_params import invalid_params
from .problems import DEFAULT_DETAILS, KEPT_HEADERS, problem_response

logger = logging.getLogger("knooppunt.api")

NOT_FOUND_DETAIL = "Het gevraagde object bestaat niet of u heeft geen toegang."
VALIDATION_DETAIL = "De invoer is niet geldig; zie invalidParams voor de velden en redenen."
BODY_PARAM = "body"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "De body is te groot."
    default_code = "payload_too_large"


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """The REST_FRAMEWORK['EXCEPTION_HANDLER']."""
    request = context.get("request")
    api_exc = _as_api_exception(exc)
    if api_exc is None:
        return _internal_error(exc, context)
    exc = api_exc
    response = exception_handler(exc, context)
    if response is None:  # pragma: no cover - every APIException gets a response
        return _internal_error(exc, context)
    if isinstance(exc, exceptions.ValidationError):
        result = problem_response(
            status.HTTP_400_BAD_REQUEST,
            VALIDATION_DETAIL,
            request,
            invalidParams=invalid_params(exc.detail),
        )
    elif response.status_code == status.HTTP_400_BAD_REQUEST:
        # Every 400 names what was wrong in `invalidParams`, as the OpenAPI document
        # promises: a body that is not JSON at all is the parameter "body".
        detail = _detail(exc, request)
        result = problem_response(
            status.HTTP_400_BAD_REQUEST, detail, request,
            invalidParams=[{"name": BODY_PARAM, "code": _code(exc), "reason": detail}],
        )
    else:
        result = problem_response(response.status_code, _detail(exc, request), request)
    for header in KEPT_HEADERS:
        if header in response:
            result[header] = response[header]
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        result["Retry-After"] = str(_wait_seconds(exc.wait))
    return result


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        # Django's own message names the model in English; the answer is the same
        # whether the object does not exist or is not the caller's to see.
        return exceptions.NotFound(NOT_FOUND_DETAIL)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return PayloadTooLarge(f"De body is groter dan {limit} bytes.")
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError("Het verzoek is ongeldig.")
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError(exc.messages)
    return None


def _detail(exc: exceptions.APIException, request) -> str:
    """A Dutch detail: the exception's own message unless it is DRF's generic one."""
    code = exc.status_code
    if isinstance(exc, exceptions.MethodNotAllowed) and request is not None:
        return f"De methode {request.method} is op dit pad niet toegestaan."
    if isinstance(exc, exceptions.UnsupportedMediaType) and request is not None:
        media_type = request.content_type or "(geen)"
        return f"Mediatype '{media_type[:80]}' wordt niet ondersteund; stuur application/json."
    if isinstance(exc, exceptions.Throttled):
        if exc.wait:
            seconds = _wait_seconds(exc.wait)
            return f"Te veel verzoeken; probeer het over {seconds} seconden opnieuw."
        return DEFAULT_DETAILS[429]
    if isinstance(exc, exceptions.NotAcceptable):
        return DEFAULT_DETAILS[406]
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        return (
            "CSRF-controle mislukt: wie via de browser is ingelogd, stuurt bij schrijvende "
            "verzoeken de CSRF-token mee in de header X-CSRFToken."
        )
    if str(exc.detail) == str(exc.default_detail):
        if isinstance(exc, exceptions.NotFound):
            return NOT_FOUND_DETAIL
        if isinstance(exc, exceptions.ParseError):
            return "De body is geen geldige JSON."
        return DEFAULT_DETAILS.get(code, str(exc.detail))
    return str(exc.detail)


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def _wait_seconds(wait: float) -> int:
    return max(1, math.ceil(wait))


def _internal_error(exc: Exception, context: dict[str, Any]) -> Response:
    request = context.get("request")
    view = context.get("view")
    logger.error(
        "Onverwachte fout in API-view %s (%s %s)",
        type(view).__name__,
        getattr(request, "method", "?"),
        getattr(request, "path", "?"),
        exc_info=exc,
    )
    set_rollback()
    trace_id = getattr(request, "trace_id", None)
    detail = DEFAULT_DETAILS[500]
    if trace_id:
        detail = f"{detail} Noem bij vragen trace-id {trace_id}."
    return problem_response(status.HTTP_500_INTERNAL_SERVER_ERROR, detail, request)
