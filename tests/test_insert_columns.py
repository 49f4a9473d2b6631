"""`insert_columns` stores the given columns as they are, whichever COPY format it picks on
PostgreSQL (binary for plain fields; text when a field, here JSON, is not plain)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.signals.bulk import _BINARY_COPY_FIELDS, insert_columns

pytestmark = pytest.mark.django_db


def test_a_model_with_a_json_field_is_stored_value_for_value():
    fields = {f.get_internal_type() for f in ProcessingLogEntry._meta.concrete_fields}
    assert "JSONField" in fields
    assert "JSONField" not in _BINARY_COPY_FIELDS
    when = datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=UTC)
    count = insert_columns(
        ProcessingLogEntry,
        {"trace_id": ["a" * 32, "b" * 32, "c" * 32],
         "user_id": [None, 7, 2**40],
         "object_ids": [[], ["1", "2"], {"x": "é;\t\\N"}],
         "detail": ["", "tab\there", "quote ' and \\N"]},
        3,
        {"timestamp": when, "action": "create", "object_type": "signals.signal",
         "purpose": "test"},
    )
    assert count == 3
    stored = list(ProcessingLogEntry.objects.order_by("trace_id").values_list(
        "timestamp", "user_id", "object_ids", "detail", "object_count", "channel"))
    assert stored == [
        (when, None, [], "", 1, "web"),
        (when, 7, ["1", "2"], "tab\there", 1, "web"),
        (when, 2**40, {"x": "é;\t\\N"}, "quote ' and \\N", 1, "web"),
    ]
