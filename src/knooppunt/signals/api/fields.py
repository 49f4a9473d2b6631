"""Serializer fields for the signal API, strict about input and clear in Dutch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from knooppunt.organisations.models import Confidentiality

CONFIDENTIALITY_CODES: dict[int, str] = {c.value: c.name.lower() for c in Confidentiality}
CONFIDENTIALITY_BY_CODE: dict[str, int] = {v: k for k, v in CONFIDENTIALITY_CODES.items()}
MAX_CODE_LENGTH = 40


class OptionalTextField(serializers.CharField):
    """Optional text: `null` and a missing value both mean empty (""), never NULL."""

    accepts_null = True  # in requests; the OpenAPI document says so (api.schema)

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def run_validation(self, data: Any = empty) -> str:
        if data is None:
            data = ""
        return super().run_validation(data)


class CodeField(serializers.SlugRelatedField):
    """A reference to a code list entry (theme, source type, municipality) by its code.

    An unknown code is answered with the code echoed back (shortened) and, for short
    lists, the valid codes, so the sender can correct it without reading the docs.
    """

    default_error_messages = {
        "invalid": "Geef de code als tekst, bijv. {example}.",
        "does_not_exist": "Onbekende code '{value}'.{hint}",
    }

    def __init__(
        self,
        *,
        example: str,
        list_valid_codes: bool = False,
        normalise: Callable[[str], str] = str.strip,
        **kwargs: Any,
    ):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)
        self.example = example
        self.list_valid_codes = list_valid_codes
        self.normalise = normalise

    def to_internal_value(self, data: Any):
        if not isinstance(data, str) or not data.strip():
            self.fail("invalid", example=self.example)
        code = self.normalise(data.strip())
        # Codes are short and printable; anything else is not looked up at all
        # (PostgreSQL refuses NUL characters in a query with an error, not a miss).
        if len(code) <= MAX_CODE_LENGTH and code.isprintable():
            try:
                return self.get_queryset().get(**{self.slug_field: code})
            except (ObjectDoesNotExist, TypeError, ValueError):
                pass
        self.fail("does_not_exist", value=_shorten(code), hint=self._hint())

    def _hint(self) -> str:
        if not self.list_valid_codes:
            return f" Bijvoorbeeld: {self.example}."
        codes = ", ".join(self.get_queryset().order_by("code").values_list("code", flat=True))
        return f" Geldige codes: {codes}."


@extend_schema_field(
    {"type": "string", "enum": list(CONFIDENTIALITY_BY_CODE), "default": "normaal"}
)
class ConfidentialityField(serializers.Field):
    """Confidentiality by name (`normaal`, `vertrouwelijk`, `riec`) instead of a number."""

    default_error_messages = {
        "invalid_choice": "Kies een van: " + ", ".join(CONFIDENTIALITY_BY_CODE) + ".",
    }

    def to_representation(self, value: int) -> str:
        return CONFIDENTIALITY_CODES.get(value, str(value))

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, str) or data.strip().lower() not in CONFIDENTIALITY_BY_CODE:
            self.fail("invalid_choice")
        return CONFIDENTIALITY_BY_CODE[data.strip().lower()]


@extend_schema_field(OpenApiTypes.INT)
class OrganisationField(serializers.PrimaryKeyRelatedField):
    """An organisation by its numeric id; only whole numbers are looked up."""

    default_error_messages = {
        "incorrect_type": "Geef het id van de organisatie als geheel getal.",
        "does_not_exist": "Er is geen organisatie met id {pk_value}.",
    }

    def to_internal_value(self, data: Any):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type")
        try:
            pk = int(data)
        except ValueError:
            self.fail("incorrect_type")
        if not 0 < pk < 2**63:
            self.fail("does_not_exist", pk_value=_shorten(str(pk)))
        return super().to_internal_value(pk)


def _shorten(value: str, limit: int = MAX_CODE_LENGTH) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
