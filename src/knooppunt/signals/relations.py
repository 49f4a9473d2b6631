"""What a person decides about linked signals: merge one into the other, or unlink them.

Both signals must be visible to the person (scope); every decision needs a reason, is
one transaction, and is written to the processing log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from knooppunt.audit.log import PURPOSE_SIGNAL_HANDLING, Action, record
from knooppunt.organisations import permissions, scope

from .models import RelationKind, Signal, SignalRelation, Status, StatusChange


def visible_relations(user, signal: Signal) -> list[tuple[SignalRelation, Signal]]:
    """The links of `signal` whose other side the user may see, with that other signal."""
    relations = SignalRelation.objects.filter(
        Q(from_signal=signal) | Q(to_signal=signal)
    ).select_related("from_signal", "to_signal")
    other_ids = {r.to_signal_id if r.from_signal_id == signal.pk else r.from_signal_id
                 for r in relations}
    visible = {s.pk: s for s in scope.signals_for(user).filter(pk__in=other_ids)
               .select_related("theme", "municipality")}
    result = []
    for relation in relations:
        other_id = relation.to_signal_id if relation.from_signal_id == signal.pk \
            else relation.from_signal_id
        if other_id in visible:
            result.append((relation, visible[other_id]))
    return result


def _locked_pair(user, relation: SignalRelation) -> tuple[Signal, Signal]:
    ids = [relation.from_signal_id, relation.to_signal_id]
    signals = {s.pk: s for s in scope.signals_for(user).select_for_update().filter(pk__in=ids)}
    if len(signals) != 2:
        raise PermissionDenied(_("U heeft geen toegang tot beide signalen."))
    first, second = signals[relation.from_signal_id], signals[relation.to_signal_id]
    permissions.require(user, permissions.Action.SIGNAL_RELATE, first, _(
        "U mag deze signalen niet samenvoegen of ontkoppelen; dat doet de organisatie die "
        "ze meldde of de gemeente waar ze spelen."), other=second)
    return first, second


def _require_reason(note: str) -> str:
    if not note.strip():
        raise ValidationError(_("Geef een reden op."), code="no_reason")
    return note.strip()


@transaction.atomic
def merge(*, user, relation: SignalRelation, note: str) -> SignalRelation:
    """Merge the later signal (`from_signal`) into the earlier one and close it."""
    note = _require_reason(note)
    later, earlier = _locked_pair(user, relation)
    if relation.kind == RelationKind.MERGED:
        raise ValidationError(_("Deze signalen zijn al samengevoegd."), code="already_merged")
    earlier.involved_organisations.add(
        later.reporting_organisation, *later.involved_organisations.all()
    )
    if later.status != Status.CLOSED:
        StatusChange.objects.create(
            signal=later, from_status=later.status, to_status=Status.CLOSED,
            changed_at=timezone.now(), changed_by=user,
            note=_("Samengevoegd met %(ref)s: %(note)s") % {"ref": earlier.reference,
                                                           "note": note},
        )
        Signal.objects.filter(pk=later.pk).update(status=Status.CLOSED,
                                                  updated_at=timezone.now())
    SignalRelation.objects.filter(pk=relation.pk).update(
        kind=RelationKind.MERGED, note=note, created_by=user
    )
    record(user=user, action=Action.UPDATE, object_type="signals.signal",
           object_ids=[later.pk, earlier.pk], purpose=PURPOSE_SIGNAL_HANDLING,
           detail=f"samengevoegd: {later.reference} -> {earlier.reference}")
    relation.refresh_from_db()
    return relation


@transaction.atomic
def unlink(*, user, relation: SignalRelation, note: str) -> None:
    """Remove a link that a person judged wrong; merged signals cannot be unlinked."""
    note = _require_reason(note)
    first, second = _locked_pair(user, relation)
    if relation.kind == RelationKind.MERGED:
        raise ValidationError(
            _("Samengevoegde signalen kunnen niet worden ontkoppeld."), code="merged"
        )
    relation.delete()
    record(user=user, action=Action.UPDATE, object_type="signals.signal",
           object_ids=[first.pk, second.pk], purpose=PURPOSE_SIGNAL_HANDLING,
           detail=f"ontkoppeld ({note})"[:500])
