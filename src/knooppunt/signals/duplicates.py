"""Possible duplicates: a new signal for the same address and theme within a window is
linked to the earlier one as related, never merged silently. A person merges or unlinks.

One implementation serves a single registration and a delivery of 100,000 rows: the new
signals' addresses are looked up in chunks, pairs are found in Python, and the links are
written with one bulk insert.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from .models import RelationKind, Signal, SignalRelation

MAX_LINKS_PER_SIGNAL = 10
CHUNK = 500
FIELDS = ("pk", "theme_id", "received_on", "address_register_id", "postcode", "house_number",
          "house_letter", "house_number_addition")


def window_days() -> int:
    return int(getattr(settings, "KNOOPPUNT_DUPLICATE_WINDOW_DAYS", 90))


def _address_key(row: dict) -> tuple | None:
    if row["address_register_id"]:
        return ("bag", row["address_register_id"])
    if row["postcode"] and row["house_number"]:
        return ("pc", row["postcode"], row["house_number"], row["house_letter"],
                row["house_number_addition"])
    return None


def _neighbours(new: list[dict]) -> list[dict]:
    """Signals that may share an address and theme with one of `new` (a superset)."""
    earliest = min(r["received_on"] for r in new) - timedelta(days=window_days())
    themes = {r["theme_id"] for r in new}
    register_ids = sorted({r["address_register_id"] for r in new if r["address_register_id"]})
    postcodes = sorted({r["postcode"] for r in new if r["postcode"]})
    found: dict[int, dict] = {}
    for key, values in (("address_register_id__in", register_ids), ("postcode__in", postcodes)):
        for start in range(0, len(values), CHUNK):
            condition = Q(**{key: values[start:start + CHUNK]})
            for row in Signal.objects.filter(
                condition, theme_id__in=themes, received_on__gte=earliest
            ).values(*FIELDS):
                found[row["pk"]] = row
    return list(found.values())


def link_new_signals(signal_ids: Iterable[int]) -> int:
    """Link each new signal to the earlier signals at its address with its theme."""
    ids = set(signal_ids)
    if not ids:
        return 0
    new = [r for start in range(0, len(ids), CHUNK)
           for r in Signal.objects.filter(pk__in=sorted(ids)[start:start + CHUNK]).values(*FIELDS)]
    new = [r for r in new if _address_key(r) is not None]
    if not new:
        return 0
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in _neighbours(new):
        key = _address_key(row)
        if key is not None:
            groups[(key, row["theme_id"])].append(row)
    window = timedelta(days=window_days())
    links = []
    for row in new:
        order = (row["received_on"], row["pk"])
        earlier = sorted(
            (other for other in groups[(_address_key(row), row["theme_id"])]
             if (other["received_on"], other["pk"]) < order
             and other["received_on"] >= row["received_on"] - window),
            key=lambda other: (other["received_on"], other["pk"]),
            reverse=True,
        )[:MAX_LINKS_PER_SIGNAL]
        links.extend(
            SignalRelation(from_signal_id=row["pk"], to_signal_id=other["pk"],
                           kind=RelationKind.POSSIBLE_DUPLICATE)
            for other in earlier
        )
    SignalRelation.objects.bulk_create(links, ignore_conflicts=True, batch_size=1000)
    return len(links)


def link_possible_duplicates(signal: Signal) -> int:
    """Link one newly registered signal; returns the number of links made."""
    return link_new_signals([signal.pk])
