"""Gives every request a trace id, used to tie log rows of one request together."""

from __future__ import annotations

import uuid

from .context import bind_request


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.trace_id = uuid.uuid4().hex
        with bind_request(request):
            response = self.get_response(request)
        response["X-Trace-Id"] = request.trace_id
        return response
