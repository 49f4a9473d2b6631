"""The API's only request parser: JSON that cannot crash the server.

DRF's JSONParser lets a deeply nested document raise RecursionError (a 500); here every
malformed body becomes a 400 with a Dutch detail. The body size is limited by Django
(DATA_UPLOAD_MAX_MEMORY_SIZE), which DRF applies to JSON bodies; see exception_handler.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.utils import json


class ApiJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(stream.read().decode(encoding))  # refuses NaN and Infinity
        except RecursionError as exc:
            raise exceptions.ParseError("De body is geen geldige JSON: te diep genest.") from exc
        except (ValueError, LookupError) as exc:
            raise exceptions.ParseError(f"De body is geen geldige JSON ({exc}).") from exc
