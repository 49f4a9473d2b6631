"""drf-spectacular extensions: the two ways to authenticate, and code lists as enums.

Imported by `knooppunt.api.schema`, so they are registered before a schema is built.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)

CODES_KEY = "x-knooppunt-codes"


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


class CodeListField(OpenApiSerializerFieldExtension):
    """A reference by code (theme, source type, municipality, stage, decision kind,
    intervention type) is documented with the codes this instance accepts: code lists are
    data (edited in /beheer/), so the document is generated from them and stays true."""

    target_class = "knooppunt.signals.api.fields.CodeField"

    def map_serializer_field(self, auto_schema, direction) -> dict[str, Any]:
        field = self.target
        try:
            codes = sorted({str(code) for code in
                            field.get_queryset().values_list(field.slug_field, flat=True)})
        except DatabaseError:  # no tables yet (e.g. `check --deploy` before migrate)
            codes = []
        # Filled in as `enum` by `schema.code_lists`, after drf-spectacular's enum hook,
        # which would otherwise turn each list into a named component of its own.
        if not codes:  # an empty list would allow nothing; say only what type it is
            return {"type": "string", "example": field.example}
        return {"type": "string", CODES_KEY: codes, "example": field.example}


SMALL_TABLE = 200  # a reference into a table this small is documented with its values


class _SmallTableReference(OpenApiSerializerFieldExtension):
    """A writable reference by slug or id into a small table (forums, delivery profiles,
    organisations) is documented with the values this instance accepts."""

    slug: bool = True

    def map_serializer_field(self, auto_schema, direction) -> dict[str, Any]:
        field = self.target
        queryset = None if field.read_only else field.get_queryset()
        try:
            count = 0 if queryset is None else queryset.count()
        except DatabaseError:  # no tables yet (e.g. `check --deploy` before migrate)
            count = 0
        if not 0 < count <= SMALL_TABLE:
            return auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if self.slug:
            values = sorted({str(v) for v in queryset.values_list(field.slug_field, flat=True)})
            return {"type": "string", CODES_KEY: values}
        return {"type": "integer", CODES_KEY: sorted(queryset.values_list("pk", flat=True))}


class SmallTableSlug(_SmallTableReference):
    target_class = "rest_framework.relations.SlugRelatedField"
    match_subclasses = False


class SmallTableId(_SmallTableReference):
    target_class = "rest_framework.relations.PrimaryKeyRelatedField"
    match_subclasses = False
    slug = False
