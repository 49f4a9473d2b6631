"""Adds the `API-Version` header to every API response (NLGov API Design Rules)."""

from __future__ import annotations

from django.conf import settings


class ApiVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["API-Version"] = settings.API_VERSION
        return response
