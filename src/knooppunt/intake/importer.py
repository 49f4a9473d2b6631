"""One delivery from file to signals: read, validate every row, then store all or nothing."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import compress

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from knooppunt.organisations import permissions
from knooppunt.signals.bulk import (
    bulk_create_signal_columns,
    bulk_create_signals,
    insert_columns,
    insert_rows,
    large_write,
)
from knooppunt.signals.bulkload import bulk_load, should_bulk_load, write_transaction
from knooppunt.signals.models import Signal, SignalRelation

from .addresses import place, place_columns
from .batches import collect_columns, first_new, keys_stored, read_in_batches
from .fastpath import BatchValidator
from .locks import hold_delivery_lock
from .models import Delivery, DeliveryError, DeliveryRecord, DeliveryStatus, ProfileKind
from .reading import Source, UnreadableFile, read_table
from .storage import kept_name, kept_path
from .validation import (
    Draft,
    RowError,
    RowValidator,
    match_columns,
    missing_columns,
    record_rules,
)

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 5000
MAX_ERRORS_KEPT = 10000
# The tables a delivery writes that have foreign keys (see `write_transaction`): the
# delivery's own row too, whose keys `_finish` writes again (its user or the earlier
# delivery it repeats may have been deleted meanwhile).
WRITTEN = (Signal, DeliveryRecord, SignalRelation, Delivery)


def _existing_keys(delivery: Delivery, keys: list[str]) -> set[str]:
    return keys_stored(DeliveryRecord.objects.filter(
        profile=delivery.profile, organisation=delivery.organisation), keys)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a delivery is read and stored.

    A large delivery holds millions of live objects (cells, columns, row tuples) that are
    freed by reference counting; the collector would walk them all again each time the heap
    grows by a quarter (measured: a third of the time of placing 100,000 rows). Reference
    cycles made meanwhile are collected when it resumes. Only the state it found is
    restored, so nested or concurrent imports leave it as it was.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _finish(delivery: Delivery, status: str, message: str = "") -> Delivery:
    delivery.status = status
    delivery.message = message
    delivery.finished_at = timezone.now()
    delivery.save()
    return delivery


def _refuse(delivery: Delivery, errors: list[RowError], message: str) -> Delivery:
    DeliveryError.objects.bulk_create(
        [DeliveryError(delivery=delivery, line=e.line, column=e.column[:80],
                       value=e.value[:80], reason=e.reason[:300])
         for e in errors[:MAX_ERRORS_KEPT]],
        batch_size=2000,
    )
    delivery.accepted = 0
    return _finish(delivery, DeliveryStatus.REFUSED, message)


def run(delivery: Delivery, data: Source | None = None,
        progress: Callable[[Delivery], None] | None = None) -> Delivery:
    """Process a queued delivery. Never raises for bad input: the outcome is on the delivery."""
    name = delivery.original_name
    if data is None:
        data, name = kept_path(delivery), kept_name(delivery)
    delivery.status = DeliveryStatus.RUNNING
    delivery.started_at = timezone.now()
    delivery.save(update_fields=["status", "started_at"])
    try:
        with collector_paused():
            if transaction.get_connection().in_atomic_block:
                # Called inside a caller's transaction: a savepoint keeps it usable on failure.
                with transaction.atomic():
                    return _run(delivery, data, name, progress)
            return _run(delivery, data, name, progress)
    except Exception as exc:
        if delivery.profile.anonymous or delivery.profile.source_type.anonymous_by_default:
            # A traceback could quote a cell; anonymous deliveries log only the kind of error.
            logger.error("Aanlevering %s mislukt: %s", delivery.pk, type(exc).__name__)
        else:
            logger.exception("Aanlevering %s mislukt", delivery.pk)
        delivery.refresh_from_db()
        return _finish(delivery, DeliveryStatus.FAILED,
                       "Er ging iets mis bij het verwerken; de beheerder is gewaarschuwd. "
                       "Er is niets opgeslagen.")


def refuse_unreadable(delivery: Delivery, message: str, line: int = 1) -> Delivery:
    """Refuse a delivery whose file cannot be read at all (or not past `line`)."""
    return _refuse(delivery, [RowError(line or 1, "", "", message)], message)


def _run(delivery: Delivery, data: Source, name: str, progress) -> Delivery:
    profile = delivery.profile
    user = delivery.delivered_by
    try:
        table = read_table(data, name)
    except UnreadableFile as exc:
        return _refuse(delivery, [RowError(exc.line or 1, "", "", str(exc))], str(exc))
    if profile.kind == ProfileKind.EVENTS:
        # Police incidents: the same reading, refusal and all-or-nothing, their own rows.
        from knooppunt.events.importer import run_events

        return run_events(delivery, table, progress)
    columns = match_columns(profile, table.header)
    missing = missing_columns(profile, columns)
    if missing:
        reason = "Kolom ontbreekt: " + "; ".join(missing) + "."
        return _refuse(delivery, [RowError(1, "", "", reason)], reason)
    # The page, the API and the form check the whole `delivery.submit` rule (profile for
    # the kind of organisation too); here, where every channel ends, at least the source
    # and the level: the rows are registered signals (`signal.create`).
    if not permissions.may(user, permissions.Action.SIGNAL_CREATE,
                           organisation=delivery.organisation,
                           source_type=profile.source_type,
                           confidentiality=profile.default_confidentiality):
        reason = (f"U mag dit soort bestand niet aanleveren namens "
                  f"{delivery.organisation.name}.")
        return _refuse(delivery, [RowError(0, "", "", reason)], reason)
    # CSV records are checked as records: as wide as the header, line breaks only where
    # the profile allows them (decision 0031). XLSX rows have no such record structure.
    rules = (record_rules(profile, table.header, columns, table.delimiter)
             if table.width is not None else None)
    validator = RowValidator(profile, columns, rules=rules,
                             clearance=permissions.register_ceiling(user, delivery.organisation))
    # Spreadsheet cells can be numbers or dates: those rows are checked one by one.
    batch_validator = BatchValidator(validator, text_cells=table.encoding != "xlsx",
                                     multiline=table.multiline if rules else None)
    # Accepted rows are carried as columns, a list per field, from validation to the
    # writer (decision 0022); KNOOPPUNT_IMPORT_COLUMNS = False keeps a Draft (a dict) per
    # row all the way, as before.
    columnar = getattr(settings, "KNOOPPUNT_IMPORT_COLUMNS", True)
    drafts: list[Draft] = []
    columns: dict[str, list] = {}
    errors: list[RowError] = []
    rejected = 0

    def check(batch: list[tuple[int, list]]) -> None:
        nonlocal rejected
        if columnar:
            rejected += collect_columns(batch_validator, batch, columns, errors)
            return
        for result in batch_validator.validate(batch):
            if result.__class__ is Draft:
                drafts.append(result)
            else:
                rejected += 1
                errors.extend(result)

    count, unreadable = read_in_batches(delivery, table, check, errors, progress,
                                        PROGRESS_EVERY)
    rejected += unreadable
    delivery.rejected = rejected
    if errors:
        return _refuse(delivery, errors,
                       f"{rejected} regel(s) afgekeurd; er is niets opgeslagen. Verbeter de "
                       "regels en lever het hele bestand opnieuw aan.")
    if not count:
        reason = "Het bestand bevat geen regels met signalen."
        return _refuse(delivery, [RowError(1, "", "", reason)], reason)
    if columnar:
        return _store_columns(delivery, columns)
    return _store_drafts(delivery, drafts)


def _store_columns(delivery: Delivery, columns: dict[str, list]) -> Delivery:
    """Store the accepted rows, held as columns, all or nothing (see `_store_drafts`)."""
    profile = delivery.profile
    keys = columns.pop("key", [])
    # The cache outlives the transaction: its closing key check reads what was written.
    with large_write(), write_transaction(WRITTEN, len(keys)):
        # From here until the commit no other delivery of this profile and organisation
        # stores rows, so rows it delivered at the same moment count as already received.
        hold_delivery_lock(profile.pk, delivery.organisation_id)
        delivered = len(keys)
        # Rows received before, or twice in this file: keep the first of each new key.
        keep = first_new(keys, _existing_keys(delivery, keys))
        if keep is not None:
            keys = list(compress(keys, keep))
            columns = {name: list(compress(column, keep)) for name, column in columns.items()}
        delivery.duplicates = delivered - len(keys)
        place_columns(columns)
        with bulk_load([Signal, DeliveryRecord],
                       enabled=bool(keys) and should_bulk_load(Signal, len(keys))):
            ids = bulk_create_signal_columns(
                user=delivery.delivered_by, organisation=delivery.organisation,
                columns=columns,
                detail=f"aanlevering {delivery.pk} ({profile.code})",
                is_synthetic=delivery.is_synthetic,
                channel=delivery.channel,
            )
            insert_columns(
                DeliveryRecord, {"key": keys, "signal_id": ids}, len(ids),
                {"profile_id": profile.pk, "organisation_id": delivery.organisation_id,
                 "delivery_id": delivery.pk},
            )
        delivery.accepted = len(ids)
        _finish(delivery, DeliveryStatus.ACCEPTED,
                f"{len(ids)} signalen opgeslagen, {delivery.duplicates} al eerder ontvangen.")
    return delivery


def _store_drafts(delivery: Delivery, drafts: list[Draft]) -> Delivery:
    """Store the accepted rows, a Draft each, all or nothing."""
    profile = delivery.profile
    user = delivery.delivered_by
    # The cache outlives the transaction: its closing key check reads what was written.
    with large_write(), write_transaction(WRITTEN, len(drafts)):
        # From here until the commit no other delivery of this profile and organisation
        # stores rows, so rows it delivered at the same moment count as already received.
        hold_delivery_lock(profile.pk, delivery.organisation_id)
        seen: set[str] = set()
        existing = _existing_keys(delivery, [d.key for d in drafts])
        fresh: list[Draft] = []
        for draft in drafts:
            if draft.key in existing or draft.key in seen:
                continue
            seen.add(draft.key)
            fresh.append(draft)
        delivery.duplicates = len(drafts) - len(fresh)
        place([d.values for d in fresh])
        # A delivery that at least doubles the table: indexes and (PostgreSQL) foreign keys
        # are rebuilt once after the rows instead of updated per row (decision 0017).
        with bulk_load([Signal, DeliveryRecord],
                       enabled=bool(fresh) and should_bulk_load(Signal, len(fresh))):
            ids = bulk_create_signals(
                user=user, organisation=delivery.organisation,
                rows=[d.values for d in fresh],
                detail=f"aanlevering {delivery.pk} ({profile.code})",
                is_synthetic=delivery.is_synthetic,
                channel=delivery.channel,
            )
            insert_rows(
                DeliveryRecord,
                ({"profile_id": profile.pk, "organisation_id": delivery.organisation_id,
                  "key": d.key, "signal_id": pk, "delivery_id": delivery.pk}
                 for d, pk in zip(fresh, ids, strict=True)),
            )
        delivery.accepted = len(ids)
        _finish(delivery, DeliveryStatus.ACCEPTED,
                f"{len(ids)} signalen opgeslagen, {delivery.duplicates} al eerder ontvangen.")
    return delivery
