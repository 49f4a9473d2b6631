"""The hash chain over the processing log: append a row, verify the whole log.

Each row stores `row_hash` = SHA-256 of the previous row's hash and its own content, and
`prev_hash`, the previous row's hash (the first row: empty). A row changed afterwards no
longer matches its hash; a row removed, inserted or moved breaks the link of the row
after it; a removed tail no longer matches the chain head. Appending takes the chain
head's row lock first (an UPDATE: PostgreSQL's row lock, SQLite's write lock), so two
inserts at once queue instead of chaining from the same row; the lock is held until the
writing transaction commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.utils import timezone

# The columns a row's hash covers, in this order.
HASHED_FIELDS = (
    "timestamp", "trace_id", "user_id", "username", "organisation", "channel", "action",
    "object_type", "object_id", "object_ids", "object_count", "purpose", "outcome", "detail",
)
TABLE = "audit_processinglogentry"
HEAD_TABLE = "audit_logchainhead"


def _timestamp(value: datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_hash(prev_hash: str, values: dict) -> str:
    """The hash of one row: its predecessor's hash and its content, canonical JSON."""
    content = [
        _timestamp(values[name]) if name == "timestamp" else values[name]
        for name in HASHED_FIELDS
    ]
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


def _take_head(cursor) -> None:
    cursor.execute(f"UPDATE {HEAD_TABLE} SET last_id = last_id WHERE id = 1")  # noqa: S608
    if cursor.rowcount == 0:  # a database migrated without the head row
        cursor.execute(f"INSERT INTO {HEAD_TABLE} (id, last_id, last_hash) VALUES (1, 0, '')")  # noqa: S608


def append(entry, insert: Callable[[], None]) -> None:
    """Chain `entry` to the last row and write it with `insert()`, under the chain lock."""
    with transaction.atomic(), connection.cursor() as cursor:
        _take_head(cursor)
        cursor.execute(f"SELECT row_hash FROM {TABLE} ORDER BY id DESC LIMIT 1")  # noqa: S608
        last = cursor.fetchone()
        # Stamped under the lock, so time order follows chain order.
        entry.timestamp = timezone.now()
        entry.prev_hash = last[0] if last else ""
        entry.row_hash = content_hash(
            entry.prev_hash, {name: getattr(entry, name) for name in HASHED_FIELDS})
        insert()
        cursor.execute(f"UPDATE {HEAD_TABLE} SET last_id = %s, last_hash = %s WHERE id = 1",  # noqa: S608
                       [entry.pk, entry.row_hash])


@dataclass(frozen=True)
class Verdict:
    count: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def _rows(chunk: int = 5000) -> Iterator[tuple]:
    from .models import ProcessingLogEntry

    columns = ("id", "prev_hash", "row_hash", *HASHED_FIELDS)
    query = ProcessingLogEntry.objects.order_by("id").values_list(*columns)
    yield from query.iterator(chunk_size=chunk)


def verify() -> Verdict:
    """Walk the log in id order; the first row whose hash or link does not hold."""
    from .models import LogChainHead

    head = LogChainHead.objects.filter(pk=1).first()
    head_id = head.last_id if head is not None else None
    expected_prev = ""
    count = 0
    last_id = 0
    for row in _rows():
        pk, prev_hash, row_hash = row[:3]
        values = dict(zip(HASHED_FIELDS, row[3:], strict=True))
        if prev_hash != expected_prev:
            return Verdict(count, pk, "link")
        if content_hash(prev_hash, values) != row_hash:
            return Verdict(count, pk, "content")
        if head_id is not None and pk > head_id:
            # Chained correctly, but never through the lock that moves the head.
            return Verdict(count, pk, "extra")
        expected_prev = row_hash
        last_id = pk
        count += 1
    if head is not None and (head.last_id != last_id or head.last_hash != expected_prev):
        return Verdict(count, head.last_id, "tail")
    return Verdict(count)


def chain_existing(model, cursor) -> int:
    """Give every row its hashes, in id order (the migration that introduces the chain).

    `model` is the migration's ProcessingLogEntry (read through the ORM, so the values
    are those `verify` will see); the caller lifts the append-only guard meanwhile.
    """
    prev = ""
    last_id = 0
    updates: list[tuple] = []
    columns = ("id", *HASHED_FIELDS)
    for row in model.objects.order_by("id").values_list(*columns).iterator(chunk_size=5000):
        digest = content_hash(prev, dict(zip(HASHED_FIELDS, row[1:], strict=True)))
        updates.append((prev, digest, row[0]))
        prev, last_id = digest, row[0]
    for start in range(0, len(updates), 5000):
        cursor.executemany(
            f"UPDATE {TABLE} SET prev_hash = %s, row_hash = %s WHERE id = %s",  # noqa: S608
            updates[start:start + 5000])
    cursor.execute(f"UPDATE {HEAD_TABLE} SET last_id = %s, last_hash = %s WHERE id = 1",  # noqa: S608
                   [last_id, prev])
    return len(updates)
