"""OpenAPI descriptions of the two ways to authenticate (drf-spectacular extensions).

Imported by `knooppunt.api.schema`, so they are registered before a schema is built.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "knooppunt.organisations.authentication.ApiTokenAuthentication"
    name = "apiToken"
    priority = 1

    def get_security_definition(self, auto_schema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "API-sleutel van het partnersysteem, als `Authorization: Token <sleutel>`. "
                "Een sleutel hoort bij een systeemaccount van een organisatie, heeft "
                "bevoegdheden (signals:read, signals:write, deliveries, cases:read, "
                "cases:write, figures:read, figures:write) en een vervaldatum. Een beheerder "
                "geeft de sleutel eenmalig uit; Knooppunt bewaart alleen een hash. Een "
                "ingetrokken, verlopen, nog niet goedgekeurde of onbekende sleutel geeft 401; "
                "een aanroep buiten de bevoegdheden 403."
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "rest_framework.authentication.SessionAuthentication"
    name = "sessie"
    priority = 1

    def get_security_definition(self, auto_schema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": (
                "Sessie van de ingelogde gebruiker in de browser; schrijvende verzoeken "
                "vragen ook de CSRF-token in de header X-CSRFToken."
            ),
        }
