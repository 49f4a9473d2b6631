"""`insert_columns` stores the given columns as they are, whichever COPY format it picks on
PostgreSQL (binary for plain fields; text when a field, here JSON, is not plain)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.signals.bulk import _BINARY_COPY_FIELDS, _sqlite_literal, insert_columns

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


def _stored(trace_ids: list[str]) -> list[tuple]:
    """What the database holds, as it holds it (type and quoted value, not as read back)."""
    table = ProcessingLogEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            columns = "typeof(user_id), quote(user_id), typeof(detail), quote(detail)"
        else:
            columns = "user_id, detail, pg_typeof(user_id)::text, pg_typeof(detail)::text"
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE trace_id IN ({', '.join(['%s'] * len(trace_ids))}) "  # noqa: S608, E501
            "ORDER BY trace_id", trace_ids)
        return cursor.fetchall()


_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30) | \
    st.sampled_from(["", "'", "''", "%", "%s", "%%s", "50% zeker", "a'); DROP TABLE x; --",
                     "é\t\\N\n"])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user_id=st.none() | st.integers(-(2**63), 2**63 - 1), detail=_TEXT)
def test_a_column_with_one_value_is_stored_as_a_bound_value_would_be(user_id, detail):
    """On SQLite a column with the same value in every row is written as a literal in the
    statement; the database must hold exactly what binding the value per row stores."""
    tag = uuid.uuid4().hex[:12]
    constant = [f"lit-{tag}-c{i}" for i in range(3)]
    bound = [f"lit-{tag}-d{i}" for i in range(3)]
    common = {"action": "create", "object_type": "test", "purpose": "test",
              "timestamp": datetime(2026, 12, 4, tzinfo=UTC)}
    # Same value in every row: inlined on SQLite.
    insert_columns(ProcessingLogEntry, {"trace_id": constant, "user_id": [user_id] * 3,
                                        "detail": [detail] * 3}, 3, common)
    # A last row with another value makes both columns bound per row.
    other_id = 1 if user_id != 1 else 2
    insert_columns(ProcessingLogEntry,
                   {"trace_id": [*bound, f"lit-{tag}-e"],
                    "user_id": [user_id] * 3 + [other_id],
                    "detail": [detail] * 3 + [detail + "x"]}, 4, common)
    assert _stored(constant) == _stored(bound)
    assert list(ProcessingLogEntry.objects.filter(trace_id__in=constant).values_list(
        "user_id", "detail").order_by().distinct()) == [(None if user_id is None else int(user_id),
                                              detail)]


def test_which_columns_are_written_as_literals():
    assert _sqlite_literal([None, None]) == "NULL"
    assert _sqlite_literal([True, True]) == "1"
    assert _sqlite_literal(["it's 5%", "it's 5%"]) == "'it''s 5%%'"
    assert _sqlite_literal([1, 1.0]) is None  # equal, stored differently
    assert _sqlite_literal([1, True]) is None
    assert _sqlite_literal([2**63, 2**63]) is None  # not a 64-bit integer
    assert _sqlite_literal(["a\x00b"] * 2) is None
    assert _sqlite_literal([1.5, 1.5]) is None  # floats are always bound
    assert _sqlite_literal(["a", "b"]) is None
    assert _sqlite_literal([]) is None


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(max_size=20) | st.sampled_from(
    ['"', "\\", "\\u0000", "\x00", "\n\t\r", " padded ", "é😀", "'); --", "%s"]),
    min_size=1, max_size=8),
    first=st.integers(0, 2**40))
def test_rows_written_by_one_statement_are_stored_as_bound_ones(texts, first):
    """On SQLite a delivery's records (one text column, a run of ids, constants) are
    written by one INSERT ... SELECT over a JSON array; what the database holds must be
    exactly what binding each row stores (the run broken by one id takes that way)."""
    if connection.vendor == "postgresql":  # text there cannot hold NUL at all
        texts = [t.replace("\x00", "") for t in texts]
    tag = uuid.uuid4().hex[:12]
    common = {"action": "create", "object_type": "test", "purpose": "test",
              "timestamp": datetime(2026, 12, 4, tzinfo=UTC), "trace_id": tag}
    n = len(texts)
    one_statement = [first + i for i in range(n)]
    per_row = [*one_statement[:-1], one_statement[-1] + 7]  # no longer a run
    insert_columns(ProcessingLogEntry, {"detail": texts, "user_id": one_statement}, n, common)
    insert_columns(ProcessingLogEntry, {"detail": texts, "user_id": per_row}, n, common)
    table = ProcessingLogEntry._meta.db_table
    with connection.cursor() as cursor:
        kind = "typeof" if connection.vendor == "sqlite" else "pg_typeof"
        cursor.execute(
            f"SELECT id, user_id, {kind}(detail), detail FROM {table} "  # noqa: S608
            "WHERE trace_id = %s ORDER BY id", [tag])
        stored = cursor.fetchall()
    first_way, second_way = stored[:n], stored[n:]
    assert [(user, t, d) for _id, user, t, d in first_way] == [
        (first + i, second_way[i][2], texts[i]) for i in range(n)]
    assert [d for *_rest, d in second_way] == texts


def test_a_run_of_integers_past_64_bits_is_not_written_by_one_statement():
    from knooppunt.signals.bulk import _sqlite_json_each

    near = 2**63 - 2
    assert _sqlite_json_each([["a", "b"], [near - 1, near]], [None, None], 2) is not None
    assert _sqlite_json_each([["a", "b", "c"], [near, near + 1, near + 2]],
                             [None, None], 3) is None
