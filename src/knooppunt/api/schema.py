"""The OpenAPI generator for the API (REST_FRAMEWORK['DEFAULT_SCHEMA_CLASS']).

On top of drf-spectacular's AutoSchema every operation documents:
* its error responses as `application/problem+json` (components `Problem` and, for
  400, `ValidationProblem`), chosen from what the operation can actually answer;
* the response headers `API-Version` (all), `Location` (201), `WWW-Authenticate` (401)
  and `Retry-After` (429).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import AllowAny

from . import extensions  # noqa: F401 - registers the authentication schemes
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


class ApiAutoSchema(AutoSchema):
    # An API of another domain words its errors in its own terms (e.g. 403 for figures).
    problem_descriptions: dict[int, str] = {}

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
