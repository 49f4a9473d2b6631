"""The OpenAPI generator for the API (REST_FRAMEWORK['DEFAULT_SCHEMA_CLASS']).

On top of drf-spectacular's AutoSchema every operation documents:
* its error responses as `application/problem+json` (components `Problem` and, for
  400, `ValidationProblem`), chosen from what the operation can actually answer;
* the response headers `API-Version` (all), `Location` (201), `WWW-Authenticate` (401)
  and `Retry-After` (429);
* a read-only field as nullable when the model field it reads (or any relation on the
  way to it) may be empty, so the document says what the answers contain;
* `additionalProperties: false` on request bodies whose serializer refuses unknown
  properties (`rejects_unknown_fields`), so the document says what is refused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from . import extensions  # noqa: F401 - registers the authentication schemes
from .extensions import CODES_KEY
from .problems import PROBLEM_CONTENT_TYPE
from .serializers import ProblemSerializer, ValidationProblemSerializer

PROBLEM_DESCRIPTIONS: dict[int, str] = {
    400: "Ongeldige invoer: `invalidParams` noemt per veld of parameter de reden. "
    "Er is niets opgeslagen.",
    401: "Geen, een onbekende of een ingetrokken API-sleutel.",
    403: "De gebruiker achter de sleutel heeft geen rol die signalen mag zien of aanleveren.",
    404: "Bestaat niet, of u heeft er geen toegang toe (hetzelfde antwoord in beide gevallen).",
    413: "De body is groter dan de toegestane omvang.",
    409: "Het object is intussen door iemand anders gewijzigd (`version` klopt niet); "
    "er is niets veranderd. Lees het opnieuw en probeer het nog eens.",
    415: "De body is geen application/json.",
    422: "Het verzoek is geldig, maar er is niets om mee te rekenen (de reden staat in "
    "`detail`); er is niets opgeslagen.",
    429: "Te veel verzoeken; wacht het aantal seconden uit `Retry-After`.",
    500: "Onverwachte fout aan de kant van Knooppunt; er is niets opgeslagen.",
}

RESPONSE_HEADERS = [
    OpenApiParameter(
        "API-Version",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=True,
        description="Volledige versie van de API (semantic versioning), bijv. 1.0.0.",
    ),
    OpenApiParameter(
        "Location",
        OpenApiTypes.URI,
        OpenApiParameter.HEADER,
        response=[201],
        description="Adres van het zojuist aangemaakte object.",
    ),
    OpenApiParameter(
        "WWW-Authenticate",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[401],
        description="Het verwachte authenticatieschema: `Token`.",
    ),
    OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=[429],
        description="Aantal seconden tot een nieuw verzoek weer wordt aangenomen.",
    ),
]

SUCCESS_DESCRIPTIONS: dict[str, str] = {
    "200": "Gelukt.",
    "201": "Aangemaakt; de body is het nieuwe object, `Location` zijn adres.",
}

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
NO_NUL_PATTERN = "^[^\\u0000]*$"


class ApiAutoSchema(AutoSchema):
    # An API of another domain words its errors in its own terms (e.g. 403 for figures).
    problem_descriptions: dict[int, str] = {}

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and field.read_only and _reads_nullable(field):
            meta["nullable"] = True
        if direction == "request" and getattr(field, "accepts_null", False):
            meta["nullable"] = True
        return meta

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request":
            for name, field in serializer.fields.items():
                prop = schema.get("properties", {}).get(name)
                if (isinstance(field, serializers.CharField) and isinstance(prop, dict)
                        and prop.get("type") == "string"
                        and not {"pattern", "enum", "format"} & set(prop)):
                    # DRF refuses NUL in any text field (PostgreSQL cannot store it).
                    prop["pattern"] = NO_NUL_PATTERN
        if direction == "request" and getattr(serializer, "rejects_unknown_fields", False):
            schema["additionalProperties"] = False
        if direction == "request" and getattr(serializer, "required_in_patch", False):
            # A PATCH that still needs some fields (e.g. `version`): drf-spectacular makes
            # every field of a PATCH body optional; the serializer knows better.
            required = [name for name, field in serializer.fields.items()
                        if field.required and not field.read_only]
            if required:
                schema["required"] = required
        return schema

    def get_override_parameters(self) -> list[Any]:
        return [*super().get_override_parameters(), *RESPONSE_HEADERS]

    def problem_status_codes(self) -> list[int]:
        """The error statuses this operation can answer with."""
        codes = set()
        if self.method in BODY_METHODS:
            codes |= {400, 413, 415}
        if self._is_list_view():
            codes |= {400, 404}  # bad filter or page parameter; page past the end
        if "{" in self.path:
            codes.add(404)
        if not all(issubclass(p, AllowAny) for p in self.view.permission_classes):
            codes |= {401, 403}
        codes |= {429, 500}
        # A view names further answers per action or method, e.g. {"transitions": [409]}.
        extra = getattr(self.view, "problem_codes", {})
        codes |= set(extra.get(getattr(self.view, "action", None), ()))
        codes |= set(extra.get(self.method.lower(), ()))
        return sorted(codes)

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, response in responses.items():
            if not response.get("description") and code in SUCCESS_DESCRIPTIONS:
                response["description"] = SUCCESS_DESCRIPTIONS[code]
        for code in self.problem_status_codes():
            serializer = ValidationProblemSerializer if code == 400 else ProblemSerializer
            responses.setdefault(
                str(code),
                self._get_response_for_code(
                    OpenApiResponse(serializer, description=self.problem_descriptions.get(
                        code, PROBLEM_DESCRIPTIONS[code])),
                    str(code),
                    [PROBLEM_CONTENT_TYPE],
                    direction,
                ),
            )
        return responses


def _reads_nullable(field: serializers.Field) -> bool:
    """Whether a read-only field of a ModelSerializer can answer null: the model field
    at the end of its `source`, or a relation on the way there, allows NULL."""
    if field.allow_null:
        return True
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or isinstance(field, serializers.SerializerMethodField):
        return False
    attrs = list(getattr(field, "source_attrs", None) or [])
    if not attrs or attrs == ["*"]:
        return False
    for attr in attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False  # a property or method: its annotation is not ours to guess
        if getattr(model_field, "null", False):
            return True
        model = getattr(model_field, "related_model", None)
        if model is None:
            return False
    return False


# Query parameters that take a code from a code list, per path: documented with the codes
# this instance accepts, as CodeField is for request bodies (decision 0032).
CODE_LIST_PARAMETERS: dict[tuple[str, str], tuple[str, str]] = {
    ("/signals", "theme"): ("taxonomy.Theme", "code"),
    ("/signals", "sourceType"): ("taxonomy.SourceType", "code"),
    ("/signals", "municipality"): ("geo.Municipality", "code"),
    ("/map/areas", "theme"): ("taxonomy.Theme", "code"),
    ("/map/grid", "theme"): ("taxonomy.Theme", "code"),
    ("/map/signals", "theme"): ("taxonomy.Theme", "code"),
}


def code_lists(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """drf-spectacular postprocessing hook, after its enum hook: code lists as enums.

    Code lists are data (edited in /beheer/), so the document lists the codes of this
    instance: the `x-knooppunt-codes` that `extensions.CodeListField` left, and the query
    parameters of `CODE_LIST_PARAMETERS`."""
    from django.apps import apps

    _codes_to_enums(result)
    codes: dict[tuple[str, str], list[str]] = {}
    for path, item in result.get("paths", {}).items():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                source = CODE_LIST_PARAMETERS.get((path, parameter.get("name")))
                if source is None or parameter.get("in") != "query":
                    continue
                if source not in codes:
                    model = apps.get_model(source[0])
                    try:
                        codes[source] = sorted(model.objects.values_list(source[1], flat=True))
                    except DatabaseError:  # no tables yet (`check --deploy` before migrate)
                        codes[source] = []
                if codes[source]:
                    parameter["schema"] = {**parameter.get("schema", {}), "enum": codes[source]}
    return result


def _codes_to_enums(node: Any) -> None:
    if isinstance(node, dict):
        if CODES_KEY in node:
            # A nullable enum must list null itself (OpenAPI 3.0: `nullable` does not
            # widen an enum).
            node["enum"] = node.pop(CODES_KEY) + ([None] if node.get("nullable") else [])
        for value in node.values():
            _codes_to_enums(value)
    elif isinstance(node, list):
        for value in node:
            _codes_to_enums(value)
