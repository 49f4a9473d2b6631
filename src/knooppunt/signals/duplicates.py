"""Possible duplicates: a new signal for the same address and theme within a window is
linked to the earlier one as related, never merged silently. A person merges or unlinks.

One implementation serves a single registration and a delivery of 1,000,000 rows: the new
signals are read with one range query, earlier signals at their addresses with one query
(or one pass over the theme's window for a large delivery), pairs are found in Python, and
the links are written with one bulk insert.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from itertools import compress, repeat
from operator import itemgetter

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.db.models.constants import OnConflict
from django.utils import timezone

from .bulkload import alongside_rebuild
from .models import RelationKind, Signal, SignalRelation

MAX_LINKS_PER_SIGNAL = 10
CHUNK = 500
FIELDS = ("pk", "theme_id", "received_on", "address_register_id", "postcode", "house_number",
          "house_letter", "house_number_addition")


def window_days() -> int:
    return int(getattr(settings, "KNOOPPUNT_DUPLICATE_WINDOW_DAYS", 90))


def _key(register_id, postcode, house_number, house_letter, addition) -> tuple | None:
    if register_id:
        return ("bag", register_id)
    if postcode and house_number:
        return ("pc", postcode, house_number, house_letter, addition)
    return None


def _load(queryset) -> list[tuple]:
    """(pk, theme_id, received_on, address key) for each row with an address."""
    out = []
    for pk, theme_id, received_on, *address in queryset.values_list(*FIELDS):
        key = _key(*address)
        if key is not None:
            out.append((pk, theme_id, received_on, key))
    return out


def _new_rows(ids: set[int]) -> list[tuple]:
    low, high = min(ids), max(ids)
    if high - low + 1 == len(ids):  # a delivery's reserved ids: one range query
        return _load(Signal.objects.filter(pk__gte=low, pk__lte=high))
    ordered = sorted(ids)
    return [row for start in range(0, len(ordered), CHUNK)
            for row in _load(Signal.objects.filter(pk__in=ordered[start:start + CHUNK]))]


def _neighbours(new: list[tuple], ids: set[int]) -> list[tuple]:
    """Earlier-stored signals that may share an address and theme with one of `new`.

    Few addresses: looked up by value (the database filters). Many (a delivery): one pass
    over the theme's signals in the window — a chunked IN-lookup would walk that window
    once per chunk, quadratic in the size of the delivery. Rows at other addresses may be
    among them: the pairing (`_links_between`) keeps only (address, theme) pairs that a new
    signal has.
    """
    earliest = min(map(itemgetter(2), new)) - timedelta(days=window_days())
    themes = set(map(itemgetter(1), new))
    window = Signal.objects.filter(theme_id__in=themes, received_on__gte=earliest)
    # Register ids and postcodes together, in C: no more than the two lists below.
    if len(set(map(itemgetter(1), map(itemgetter(3), new)))) <= CHUNK:
        keys = set(map(itemgetter(3), new))
        register_ids = sorted({k[1] for k in keys if k[0] == "bag"})
        postcodes = sorted({k[1] for k in keys if k[0] == "pc"})
        if len(register_ids) + len(postcodes) <= CHUNK:
            condition = Q(pk__in=[])
            if register_ids:
                condition |= Q(address_register_id__in=register_ids)
            if postcodes:
                condition |= Q(postcode__in=postcodes)
            return [r for r in _load(window.filter(condition)) if r[0] not in ids]
    low, high = min(ids), max(ids)
    parts = [window]
    if high - low + 1 == len(ids):
        # The delivery's own rows are one id range: read the ranges before and after it,
        # each by the primary key, instead of one pass over the table that skips them
        # (during a bulk load the theme and date indexes are not there to narrow it).
        parts = [window.filter(pk__lt=low), window.filter(pk__gt=high)]
    return [r for part in parts
            for r in _load(part.exclude(address_register_id="", postcode=""))
            if r[0] not in ids]


def row_of(pk: int, values: dict) -> tuple | None:
    """The (pk, theme_id, received_on, address key) of a signal about to be written, or None
    when it has no address; lets a bulk writer skip reading its own rows back."""
    key = _key(values.get("address_register_id", ""), values.get("postcode", ""),
               values.get("house_number"), values.get("house_letter", ""),
               values.get("house_number_addition", ""))
    if key is None:
        return None
    return (pk, values["theme_id"], values["received_on"], key)


def link_new_signals(signal_ids: Iterable[int], new: list[tuple] | None = None) -> int:
    """Link each new signal to the earlier signals at its address with its theme.

    `new`: the signals' `row_of` tuples when the caller has them (as written); otherwise
    they are read from the database.
    """
    found = _candidates(signal_ids, new)
    if found is None:
        return 0
    links = _links_between(*found, window_days())
    _write_links(links)
    return len(links)


def link_new_signals_alongside(signal_ids: Iterable[int], new: list[tuple] | None) -> None:
    """`link_new_signals` for a delivery: the database is read now, and the pairing (pure
    Python, ~1 s per million rows) runs while a bulk load re-creates its indexes, its links
    written before the transaction ends (`bulkload.alongside_rebuild`; at once when no
    bulk load is going on)."""
    found = _candidates(signal_ids, new)
    if found is not None:
        alongside_rebuild(partial(_links_between, *found, window_days()), _write_links)


def _candidates(signal_ids: Iterable[int], new: list[tuple] | None
                ) -> tuple[list[tuple], list[tuple]] | None:
    """The new signals' rows and the earlier rows that may share an address and theme with
    them (reads the database); None when no new signal has an address."""
    ids = set(signal_ids)
    if not ids:
        return None
    new = _new_rows(ids) if new is None else new
    if not new:
        return None
    return new, _neighbours(new, ids)


def _links_between(new: list[tuple], neighbours: list[tuple], days: int
                   ) -> list[tuple[int, int]]:
    """The (from, to) links: each new row to at most MAX_LINKS_PER_SIGNAL earlier rows with
    its address and theme within the window, latest first. No database access."""
    # Most signals of a delivery share their address and theme with nothing: count the
    # (address, theme) pairs in C and look closer only at those that occur more than once.
    pair = itemgetter(3, 1)
    counts = Counter(map(pair, new))
    counts.update(map(pair, neighbours))
    shared = {found for found, times in counts.items() if times > 1}
    new = list(compress(new, map(shared.__contains__, map(pair, new))))
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for row in (*compress(neighbours, map(shared.__contains__, map(pair, neighbours))), *new):
        groups[(row[3], row[1])].append(row)
    window = timedelta(days=days)
    links = []
    for pk, theme_id, received_on, key in new:
        group = groups[(key, theme_id)]
        order = (received_on, pk)
        start = received_on - window
        earlier = sorted(
            ((other[2], other[0]) for other in group
             if (other[2], other[0]) < order and other[2] >= start),
            reverse=True,
        )[:MAX_LINKS_PER_SIGNAL]
        links.extend((pk, other_pk) for _day, other_pk in earlier)
    return links


def _write_links(links: list[tuple[int, int]]) -> None:
    """Insert (from, to) possible-duplicate links, skipping pairs already linked (as
    `bulk_create(ignore_conflicts=True)` would), without a model instance per link."""
    if not links:
        return
    now = timezone.now()
    given = {"kind": RelationKind.POSSIBLE_DUPLICATE, "created_at": now}
    fields = [f for f in SignalRelation._meta.concrete_fields if not f.primary_key]
    columns = []
    for f in fields:
        if f.attname in ("from_signal_id", "to_signal_id"):
            columns.append(map(itemgetter(0 if f.attname == "from_signal_id" else 1), links))
            continue
        value = given[f.attname] if f.attname in given else f.get_default()
        if value is not None:
            value = f.get_db_prep_save(value, connection)
        columns.append(repeat(value, len(links)))
    ops = connection.ops
    qn = ops.quote_name
    # Table and column names come from the model, never from input.
    sql = (f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} "
           f"{qn(SignalRelation._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) "
           f"{ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)}")
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(zip(*columns, strict=True)))


def link_possible_duplicates(signal: Signal) -> int:
    """Link one newly registered signal; returns the number of links made."""
    return link_new_signals([signal.pk])
