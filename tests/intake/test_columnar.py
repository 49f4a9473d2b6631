"""The column-wise import (decision 0022) stores exactly what the per-row import stores.

The same file is imported twice on the same database state: once with a Draft (a dict) per
row all the way (`KNOOPPUNT_IMPORT_COLUMNS = False`, the path before decision 0022) and
once with the rows carried as columns; each import is rolled back after its outcome is
read. Every stored column of the signals, the delivery records, the possible-duplicate
links, the delivery itself and its errors must be equal. Ids differ between the two runs
(sequences are not rolled back), so new signals are compared by their position in the
file, and references by year and id.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.intake.examples import FORMATS, example_file, example_rows
from knooppunt.intake.models import Delivery, DeliveryError, DeliveryProfile, DeliveryRecord
from knooppunt.intake.submit import submit
from knooppunt.intake.validation import match_columns
from knooppunt.signals.models import Signal, SignalRelation
from tests.factories import municipality
from tests.intake.test_fastpath import CELL
from tests.registers.factories import AddressFactory

pytestmark = pytest.mark.django_db
PROFILES = sorted(FORMATS)


class _Undo(Exception):
    """Raised to roll one import back after its outcome was read."""


def _snapshot(delivery: Delivery, known: set[int]) -> dict:
    """Everything the import stored, with the ids of its new signals as positions."""
    new_ids = list(Signal.objects.exclude(pk__in=known).order_by("pk")
                   .values_list("pk", flat=True))
    position = {pk: ("new", i) for i, pk in enumerate(new_ids)}

    def signal_ref(pk):
        return position.get(pk, pk)

    signals = []
    for row in Signal.objects.filter(pk__in=new_ids).order_by("pk").values():
        pk = row.pop("id")
        year, number = row.pop("reference").split("-")[1:]
        assert int(number) == pk  # KNP-{year}-{pk:06d}
        assert row.pop("created_at") == row.pop("updated_at")
        signals.append((position[pk], year, row))
    records = sorted(
        (r["profile_id"], r["organisation_id"], r["key"], signal_ref(r["signal_id"]),
         r["delivery_id"] == delivery.pk)
        for r in DeliveryRecord.objects.values())
    links = sorted(
        (signal_ref(a), signal_ref(b), kind) for a, b, kind in
        SignalRelation.objects.values_list("from_signal_id", "to_signal_id", "kind"))
    logs = [(entry.action, entry.object_type, sorted(signal_ref(int(i)) for i in entry.object_ids))
            for entry in ProcessingLogEntry.objects.filter(
                object_type="signals.signal").order_by("pk")]
    delivery.refresh_from_db()
    return {
        "delivery": (delivery.status, delivery.message, delivery.rows_total,
                     delivery.rows_done, delivery.accepted, delivery.rejected,
                     delivery.duplicates),
        "errors": list(DeliveryError.objects.filter(delivery=delivery)
                       .values_list("line", "column", "value", "reason")),
        "signals": signals,
        "records": records,
        "links": links,
        "logs": logs,
    }


def _import_both(profile, organisation, user, data: bytes, name: str, monkeypatch,
                 django_settings) -> tuple[dict, dict]:
    known = set(Signal.objects.values_list("pk", flat=True))
    outcomes = []
    for columnar in (False, True):
        django_settings.KNOOPPUNT_IMPORT_COLUMNS = columnar
        try:
            with transaction.atomic():
                delivery = submit(profile=profile, organisation=organisation, user=user,
                                  data=data, filename=name, inline=True)
                outcomes.append(_snapshot(delivery, known))
                raise _Undo
        except _Undo:
            pass
    return outcomes[0], outcomes[1]


def _set(rows: list[list], header: list[str], position: int | None, i: int, value: str):
    if position is not None and position < len(rows[i]):
        rows[i][position] = value


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    code=st.sampled_from(PROFILES),
    edits=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 14), CELL), max_size=6),
    copies=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=3),
    known_address=st.lists(st.integers(0, 11), max_size=4),
    redelivered=st.integers(0, 4),
    bulk=st.booleans(),
)
def test_columnar_and_per_row_import_store_the_same(
        code, edits, copies, known_address, redelivered, bulk, deliverer, partner,
        monkeypatch, settings):
    """Awkward files (tricky cells, rows repeated within the file, rows delivered before,
    addresses the register knows, in and out of their municipality, large-delivery bulk
    load on or off): both paths store the same values, or refuse with the same reasons."""
    settings.KNOOPPUNT_BULK_LOAD_MIN_ROWS = 1 if bulk else 0
    profile = DeliveryProfile.objects.get(code=code)
    if not AddressFactory._meta.model.objects.exists():
        for number in (1, 2, 3):
            AddressFactory(postcode="7511GA", house_number=number)
        AddressFactory(postcode="7511GB", house_number=4, municipality=municipality("GM0164"))
    header, *rows = example_rows(code, 12, seed=11)
    rows = [["" if c is None else str(c) for c in r] for r in rows]
    if redelivered:  # an earlier delivery of some of the same rows
        settings.KNOOPPUNT_IMPORT_COLUMNS = True
        data, name = example_file(code, [header, *rows[:redelivered]])
        submit(profile=profile, organisation=partner, user=deliverer, data=data,
               filename=name, inline=True)
    index = match_columns(profile, header).index
    for i in known_address:  # an address the register knows (4 is in another municipality)
        number = str(1 + i % 4)
        _set(rows, header, index.get("postcode"), i, "7511 GA" if number != "4" else "7511GB")
        _set(rows, header, index.get("house_number"), i, number)
        _set(rows, header, index.get("municipality"), i, "GM0153")
    for i, col, value in edits:
        if FORMATS[code][0] == "xlsx":  # a worksheet cannot hold control characters
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if col < len(rows[i]):
            rows[i][col] = value
    for source, target in copies:  # the same row twice in one file
        rows[target] = list(rows[source])
    data, name = example_file(code, [header, *rows])
    old, new = _import_both(profile, partner, deliverer, data, name, monkeypatch, settings)
    assert new == old


@pytest.mark.parametrize("code", ["politie-hennep", "generiek"])
def test_a_larger_file_with_repeats_and_links(code, deliverer, partner, monkeypatch,
                                              settings):
    """Several batches (the batch size made small), rows repeated across batches and
    addresses shared, so possible-duplicate links are made: the same on both paths."""
    from knooppunt.intake import importer

    monkeypatch.setattr(importer, "PROGRESS_EVERY", 7)
    settings.KNOOPPUNT_BULK_LOAD_MIN_ROWS = 0
    profile = DeliveryProfile.objects.get(code=code)
    header, *rows = example_rows(code, 60, seed=12)
    rows = [["" if c is None else str(c) for c in r] for r in rows]
    index = match_columns(profile, header).index
    for i in range(0, 60, 3):  # every third row at one of two addresses
        _set(rows, header, index.get("postcode"), i, "7511GA")
        _set(rows, header, index.get("house_number"), i, str(1 + i % 2))
        _set(rows, header, index.get("municipality"), i, "GM0153")
    rows[40] = list(rows[2])
    rows[55] = list(rows[20])
    data, name = example_file(code, [header, *rows])
    old, new = _import_both(profile, partner, deliverer, data, name, monkeypatch, settings)
    assert old["delivery"][0] == "verwerkt" and old["links"]
    assert new == old


def test_the_collector_is_paused_during_an_import_and_restored(deliverer, partner,
                                                                monkeypatch):
    """The cyclic GC is off while a delivery is read and stored, and back as it was after
    (also after a failure), so a worker process does not keep it off."""
    import gc

    from knooppunt.intake import importer

    seen = []
    real_place_columns = importer.place_columns

    def spy(columns):
        seen.append(gc.isenabled())
        return real_place_columns(columns)

    monkeypatch.setattr(importer, "place_columns", spy)
    data, name = example_file("politie-hennep", example_rows("politie-hennep", 5))
    profile = DeliveryProfile.objects.get(code="politie-hennep")
    assert gc.isenabled()
    delivery = submit(profile=profile, organisation=partner, user=deliverer, data=data,
                      filename=name, inline=True)
    assert (delivery.status, seen, gc.isenabled()) == ("verwerkt", [False], True)

    def boom(columns):
        raise RuntimeError("register down")

    monkeypatch.setattr(importer, "place_columns", boom)
    data, name = example_file("politie-hennep", example_rows("politie-hennep", 5, seed=2))
    failed = submit(profile=profile, organisation=partner, user=deliverer, data=data,
                    filename=name, inline=True)
    assert failed.status == "mislukt" and gc.isenabled()
    gc.disable()
    try:
        with importer.collector_paused():
            pass
        assert not gc.isenabled()  # found off: left off
    finally:
        gc.enable()
