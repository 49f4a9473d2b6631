"""Steps every delivery kind shares between reading a file and storing its rows.

Signals (`intake.importer`) and police incidents (`events.importer`) read a table in
batches with progress, collect accepted rows as columns (decision 0022) and stop collecting
at the first refused row, and drop rows whose key was received before or earlier in the
same file. Both call these, so the rules stay one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice

from django.db.models import QuerySet

from .models import Delivery
from .reading import Table, UnreadableFile
from .validation import RowError

KEY_CHUNK = 900


def keys_stored(earlier: QuerySet, keys: list[str]) -> set[str]:
    """The keys among `keys` that `earlier` (rows with a `key` field) already holds."""
    if len(keys) > KEY_CHUNK and earlier.count() <= 4 * len(keys):
        # A large delivery against few earlier rows: read them once (the unique index
        # covers the filter) instead of one IN-query per 900 keys.
        wanted = set(keys)
        return {key for key in earlier.values_list("key", flat=True).iterator(chunk_size=20000)
                if key in wanted}
    found: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        found.update(earlier.filter(key__in=keys[start:start + KEY_CHUNK])
                     .values_list("key", flat=True))
    return found


def first_new(keys: list[str], existing: set[str]) -> list[bool] | None:
    """Per key whether to keep its row: new and the first with that key in the file. None
    when every row is kept (nothing received before, no key twice)."""
    if not existing and len(set(keys)) == len(keys):
        return None
    seen: set[str] = set()
    keep = []
    for key in keys:
        keep.append(key not in existing and key not in seen)
        seen.add(key)
    return keep


def collect_columns(validator, batch: list[tuple[int, list]], columns: dict[str, list],
                    errors: list[RowError]) -> int:
    """Validate a batch as columns (`validator.validate_columns`); add the accepted rows to
    `columns` while nothing is refused and every refusal to `errors`; the rows refused."""
    found, refused = validator.validate_columns(batch)
    for row_errors in refused:
        errors.extend(row_errors)
    if not errors:  # once a row is refused nothing is stored: stop collecting
        for name, column in found.items():
            columns.setdefault(name, []).extend(column)
    return len(refused)


def read_in_batches(delivery: Delivery, table: Table,
                    check: Callable[[list[tuple[int, list]]], None], errors: list[RowError],
                    progress: Callable[[Delivery], None] | None, batch_size: int
                    ) -> tuple[int, int]:
    """Feed the table's rows to `check` in batches of `batch_size` (a progress step).

    An unreadable line ends the reading, the rows before it are checked as always, and it
    is added to `errors`. Sets the delivery's row counts; returns (rows read, lines
    unreadable)."""
    unreadable: list[UnreadableFile] = []

    def readable_rows() -> Iterator[tuple[int, list]]:
        # Ends at an unreadable line instead of raising, so the batch read so far is kept.
        try:
            yield from table.rows
        except UnreadableFile as exc:
            unreadable.append(exc)

    rows = readable_rows()
    count = 0
    while batch := list(islice(rows, batch_size)):  # a batch per progress step
        check(batch)
        count += len(batch)
        if progress and len(batch) == batch_size and not unreadable:
            delivery.rows_done = count
            share = table.fraction_read()
            if share:  # an estimate from the bytes read: the bar moves while reading
                delivery.rows_total = max(count, round(count / share))
            progress(delivery)
    for exc in unreadable:
        errors.append(RowError(exc.line, "", "", str(exc)))
    delivery.rows_total = delivery.rows_done = count
    return count, len(unreadable)
