"""Query parameters of GET /api/v1/signals, checked and applied through SignalFilterForm.

The API names its parameters in camelCase (like its properties); this module maps them
onto the shared filter form, refuses unknown parameters (a misspelt filter would
otherwise silently return everything) and reports errors under the API's names.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from knooppunt.geo.models import Municipality

from ..filters import SignalFilterForm
from ..models import Status
from .fields import CONFIDENTIALITY_BY_CODE

# API parameter -> filter form field
FILTER_FIELDS: dict[str, str] = {
    "q": "q",
    "theme": "theme",
    "sourceType": "source_type",
    "municipality": "municipality",
    "status": "status",
    "confidentiality": "confidentiality",
    "receivedFrom": "received_from",
    "receivedUntil": "received_until",
}
DATE_PARAMETERS = frozenset({"receivedFrom", "receivedUntil"})
NOT_EMPTY = DATE_PARAMETERS | {"theme", "sourceType", "municipality", "status", "confidentiality"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PAGINATION_PARAMETERS = frozenset({"page", "pageSize"})
API_NAMES = {form_name: api_name for api_name, form_name in FILTER_FIELDS.items()}

FILTER_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Zoekterm in kenmerk, omschrijving, straat of postcode."
    ),
    OpenApiParameter("theme", OpenApiTypes.STR, description="Themacode, bijv. hennepteelt."),
    OpenApiParameter("sourceType", OpenApiTypes.STR, description="Code van het soort bron."),
    OpenApiParameter(
        "municipality", OpenApiTypes.STR, description="CBS-gemeentecode, bijv. GM0153."
    ),
    OpenApiParameter(
        "status", OpenApiTypes.STR, enum=list(Status.values), description="Status van het signaal."
    ),
    OpenApiParameter(
        "confidentiality",
        OpenApiTypes.STR,
        enum=list(CONFIDENTIALITY_BY_CODE),
        description="Vertrouwelijkheid.",
    ),
    OpenApiParameter(
        "receivedFrom", OpenApiTypes.DATE, description="Ontvangen op of na deze datum (JJJJ-MM-DD)."
    ),
    OpenApiParameter(
        "receivedUntil",
        OpenApiTypes.DATE,
        description="Ontvangen op of vóór deze datum (JJJJ-MM-DD).",
    ),
]


def apply_filters(queryset: QuerySet, params: QueryDict) -> QuerySet:
    """Narrow an already scoped queryset by the request's query parameters."""
    unknown = sorted(set(params) - set(FILTER_FIELDS) - PAGINATION_PARAMETERS)
    if unknown:
        raise serializers.ValidationError(
            {
                name[:60]: [
                    serializers.ErrorDetail(
                        "Onbekende parameter; bekend zijn: "
                        + ", ".join([*FILTER_FIELDS, *sorted(PAGINATION_PARAMETERS)])
                        + ".",
                        "unknown_parameter",
                    )
                ]
                for name in unknown
            }
        )
    _check_format(params)
    form = SignalFilterForm(_form_data(params), municipalities=Municipality.objects.all())
    if not form.is_valid():
        raise serializers.ValidationError(
            {
                API_NAMES.get(field, field): [
                    serializers.ErrorDetail(message, error.code or "invalid")
                    for error in errors
                    for message in error.messages
                ]
                for field, errors in form.errors.as_data().items()
            }
        )
    return form.apply(queryset)


def _check_format(params: QueryDict) -> None:
    """What the shared form would accept but the API does not: control characters
    (PostgreSQL refuses NUL in a query) and dates other than ISO 8601."""
    errors: dict[str, list[serializers.ErrorDetail]] = {}
    for name in FILTER_FIELDS:
        value = params.get(name, "")
        if not value.isprintable():
            errors[name] = [serializers.ErrorDetail("Bevat niet-afdrukbare tekens.", "invalid")]
        elif name in NOT_EMPTY and name in params and not value:
            # The document gives these an enum or a date format, which "" is not.
            errors[name] = [serializers.ErrorDetail("Leeg; laat de parameter weg of geef een "
                                                    "waarde.", "blank")]
        elif name in DATE_PARAMETERS and value and not ISO_DATE.fullmatch(value):
            errors[name] = [serializers.ErrorDetail("Gebruik het formaat JJJJ-MM-DD.", "invalid")]
    if errors:
        raise serializers.ValidationError(errors)


def _form_data(params: QueryDict) -> dict[str, str]:
    data = {FILTER_FIELDS[name]: params.get(name, "") for name in FILTER_FIELDS if name in params}
    if "municipality" in data:
        data["municipality"] = data["municipality"].strip().upper()
    if "confidentiality" in data:
        code = data["confidentiality"].strip().lower()
        data["confidentiality"] = str(CONFIDENTIALITY_BY_CODE.get(code, code))
    return data
