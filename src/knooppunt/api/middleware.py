"""Middleware for /api/ paths: the `API-Version` header and problem+json for every error.

`ApiVersionMiddleware` adds `API-Version` to every API response (NLGov API Design Rules).
`ProblemDetailsMiddleware` is the safety net for errors that happen outside DRF views
(an unknown /api/ path, a Django-level 400 or 500, DEBUG's HTML traceback page): an
/api/ error response that is not problem+json yet is replaced by one, without the
original body, so no HTML and no stack trace ever reaches a partner system.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .problems import DEFAULT_DETAILS, KEPT_HEADERS, is_problem, problem_http_response

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


class ApiVersionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_api_request(request):
            response["API-Version"] = settings.API_VERSION
        return response


class ProblemDetailsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_request(request) or response.status_code < 400 or is_problem(response):
            return response
        detail = DEFAULT_DETAILS.get(response.status_code)
        if response.status_code == 500:
            trace_id = getattr(request, "trace_id", None)
            if trace_id:
                detail = f"{detail} Noem bij vragen trace-id {trace_id}."
        problem = problem_http_response(response.status_code, detail, request)
        for header in (*KEPT_HEADERS, "X-Trace-Id", "API-Version"):
            if header in response:
                problem[header] = response[header]
        return problem
