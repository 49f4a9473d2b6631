"""Page-number pagination with `page` and `pageSize`, strict about their values.

DRF ignores a malformed page size and answers 404 for `page=abc`; a partner system
that gets its parameters wrong should hear so, with a 400 naming the parameter.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_query_param = "page"
    page_size_query_param = "pageSize"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    invalid_page_message = "Pagina {page_number} bestaat niet: {message}"
    template = None

    def get_page_number(self, request, paginator) -> int:
        return _positive_int(request.query_params, self.page_query_param, default=1)

    def get_page_size(self, request) -> int:
        return _positive_int(
            request.query_params,
            self.page_size_query_param,
            default=self.page_size,
            maximum=self.max_page_size,
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Het totale aantal resultaten over alle pagina's.",
                    "example": 123,
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "Adres van de volgende pagina; null op de laatste pagina.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "Adres van de vorige pagina; null op de eerste pagina.",
                },
                "results": {**schema, "description": "De resultaten op deze pagina."},
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Paginanummer, vanaf 1.",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Aantal resultaten per pagina (1 tot en met {MAX_PAGE_SIZE}).",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": self.page_size,
                },
            },
        ]


def _positive_int(params, name: str, *, default: int, maximum: int | None = None) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        limit = f"1 tot en met {maximum}" if maximum is not None else "1 of hoger"
        raise serializers.ValidationError(
            {name: [serializers.ErrorDetail(f"Geef een geheel getal van {limit}.", "invalid")]}
        )
    return value
