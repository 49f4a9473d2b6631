"""An events delivery from read file to stored events: the intake importer's rules.

Called by `intake.importer` for a profile of kind `incidenten` after the file is read; uses
its refusal and outcome (`_refuse`, `_finish`), its lock per profile and organisation and
its write transaction: every row is checked first, one refused row stores nothing, a row
delivered before is recognised by its key and counted as received (decision 0037).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress

from django.utils.translation import gettext as _

from knooppunt.audit.log import PURPOSE_PARTNER_DELIVERY, Action, record
from knooppunt.geo.lookup import districts_at
from knooppunt.intake.batches import collect_columns, first_new, keys_stored, read_in_batches
from knooppunt.intake.importer import PROGRESS_EVERY, _finish, _refuse
from knooppunt.intake.locks import hold_delivery_lock
from knooppunt.intake.models import Delivery, DeliveryStatus
from knooppunt.intake.reading import Table
from knooppunt.intake.validation import RowError, match_columns, record_rules
from knooppunt.organisations import permissions
from knooppunt.signals.bulk import insert_columns, large_write
from knooppunt.signals.bulkload import write_transaction

from .hotspot_points import RD_NEW
from .models import Event, EventDataset
from .validation import EventValidator, missing_event_columns

OBJECT_TYPE = "events.event"


def existing_keys(dataset: EventDataset, keys: list[str]) -> set[str]:
    """The keys of `keys` already stored in the dataset."""
    return keys_stored(Event.objects.filter(dataset=dataset), keys)


def _refuse_one(delivery: Delivery, reason: str, line: int = 1) -> Delivery:
    return _refuse(delivery, [RowError(line, "", "", reason)], reason)


def run_events(delivery: Delivery, table: Table,
               progress: Callable[[Delivery], None] | None = None) -> Delivery:
    profile = delivery.profile
    dataset = (EventDataset.objects.select_related("code_list", "profile")
               .filter(profile=profile).first())
    if dataset is None:
        return _refuse_one(delivery, _("Dit aanleverprofiel hoort bij geen incidentenbestand."))
    columns = match_columns(profile, table.header)
    missing = missing_event_columns(columns)
    if missing:
        return _refuse_one(delivery, _("Kolom ontbreekt: %(columns)s.")
                           % {"columns": "; ".join(missing)})
    if not permissions.may(delivery.delivered_by, permissions.Action.DELIVERY_SUBMIT,
                           organisation=delivery.organisation, profile=profile):
        return _refuse_one(delivery, _("U mag dit incidentenbestand niet aanleveren namens "
                                       "%(organisation)s.")
                           % {"organisation": delivery.organisation.name}, line=0)
    rules = (record_rules(profile, table.header, columns, table.delimiter)
             if table.width is not None else None)
    validator = EventValidator(dataset, columns, rules=rules)
    accepted: dict[str, list] = {}
    errors: list[RowError] = []
    rejected = 0

    def check(batch: list[tuple[int, list]]) -> None:
        nonlocal rejected
        rejected += collect_columns(validator, batch, accepted, errors)

    count, unreadable = read_in_batches(delivery, table, check, errors, progress,
                                        PROGRESS_EVERY)
    delivery.rejected = rejected = rejected + unreadable
    if errors:
        return _refuse(delivery, errors, _(
            "%(count)d regel(s) afgekeurd; er is niets opgeslagen. Verbeter de regels en "
            "lever het hele bestand opnieuw aan.") % {"count": rejected})
    if not count:
        return _refuse_one(delivery, _("Het bestand bevat geen regels met incidenten."))
    return _store(delivery, dataset, accepted)


def place_in_wijken(dataset: EventDataset, columns: dict[str, list]) -> list[int | None]:
    """The wijk of each row within its municipality, by the same point-in-polygon as for
    signals (`geo.lookup.districts_at`); None outside RD New datasets or any wijk."""
    if not (dataset.is_dutch and dataset.crs == RD_NEW):
        return [None] * len(columns["key"])
    return districts_at(columns["municipality_id"], columns["x"], columns["y"])


def _store(delivery: Delivery, dataset: EventDataset, columns: dict[str, list]) -> Delivery:
    """All or nothing, under the delivery lock of the profile and organisation."""
    columns.pop("line", None)
    keys = columns["key"]
    with large_write(), write_transaction((Event, Delivery), len(keys)):
        hold_delivery_lock(delivery.profile_id, delivery.organisation_id)
        delivered = len(keys)
        keep = first_new(keys, existing_keys(dataset, keys))
        if keep is not None:
            columns = {name: list(compress(column, keep)) for name, column in columns.items()}
        stored = len(columns["key"])
        columns["district_id"] = place_in_wijken(dataset, columns)
        insert_columns(Event, columns, stored,
                       {"dataset_id": dataset.pk, "delivery_id": delivery.pk})
        # One log row per delivery (not 200,000 ids): the rows are found by their delivery.
        record(user=delivery.delivered_by, action=Action.CREATE, object_type=OBJECT_TYPE,
               purpose=PURPOSE_PARTNER_DELIVERY, channel=delivery.channel,
               detail=f"aanlevering {delivery.pk} ({dataset.code}): {stored} incidenten")
        delivery.duplicates = delivered - stored
        delivery.accepted = stored
        _finish(delivery, DeliveryStatus.ACCEPTED, _(
            "%(stored)d incidenten opgeslagen, %(duplicates)d al eerder ontvangen.")
            % {"stored": stored, "duplicates": delivery.duplicates})
    return delivery
