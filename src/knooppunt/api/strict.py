"""Request serializers that refuse what the OpenAPI document does not allow.

DRF quietly ignores unknown properties and converts types (a number into text, 0 into
false, "12" into 12); a partner system
that misspells a field or sends the wrong type would never learn. `StrictSerializer`
refuses both with the field named, and says so in the document
(`rejects_unknown_fields`, read by `api.schema`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.settings import api_settings

UNKNOWN_FIELD = "Onbekend veld; zie de OpenAPI-specificatie."
NOT_TEXT = "Geef tekst (een JSON-string)."
NOT_BOOLEAN = "Geef true of false."
NOT_INTEGER = "Geef een geheel getal (een JSON-getal, geen tekst)."


def non_text_values(serializer: serializers.Serializer, data: Mapping) -> dict[str, list[str]]:
    """Values of the wrong JSON type: text given a number, a yes/no given 0 or "true", a
    whole number given text. DRF would convert them; the document says what type each
    field is, and a sender who gets it wrong should hear so. Null is the field's own rule."""
    errors: dict[str, list[str]] = {}
    for name, field in serializer.fields.items():
        if field.read_only or name not in data or data[name] is None:
            continue
        value = data[name]
        if isinstance(field, serializers.CharField) and not isinstance(value, str):
            errors[name] = [serializers.ErrorDetail(NOT_TEXT, "invalid")]
        elif isinstance(field, serializers.BooleanField) and not isinstance(value, bool):
            errors[name] = [serializers.ErrorDetail(NOT_BOOLEAN, "invalid")]
        elif isinstance(field, serializers.IntegerField) and (
                isinstance(value, bool) or not isinstance(value, int)):
            errors[name] = [serializers.ErrorDetail(NOT_INTEGER, "invalid")]
    return errors


class StrictSerializer(serializers.Serializer):
    """Refuses properties that are not in the request schema, and non-text for text."""

    rejects_unknown_fields = True

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        problems: dict[str, list] = {}
        if isinstance(data, Mapping):
            writable = {n for n, f in self.fields.items() if not f.read_only}
            problems = {str(k)[:60]: [UNKNOWN_FIELD] for k in data if k not in writable}
            problems.update(non_text_values(self, data))
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {
                api_settings.NON_FIELD_ERRORS_KEY: exc.detail}
            raise serializers.ValidationError({**detail, **problems}) from exc
        if problems:
            raise serializers.ValidationError(problems)
        return value
