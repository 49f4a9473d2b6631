"""Linked signals follow their case: when a case enters a stage with a signal status,
each linked signal moves there along the signal rules, with its own history rows."""

from __future__ import annotations

from django.utils import timezone

from knooppunt.signals.models import TRANSITIONS, Signal, StatusChange

from .models import Case, Stage


def _path(current: str, target: str) -> list[str]:
    """The shortest list of statuses from `current` to `target` under the signal rules."""
    if current == target:
        return []
    frontier: list[list[str]] = [[current]]
    seen = {current}
    while frontier:
        path = frontier.pop(0)
        for step in sorted(TRANSITIONS.get(path[-1], set())):
            if step in seen:
                continue
            if step == target:
                return path[1:] + [step]
            seen.add(step)
            frontier.append(path + [step])
    return []


def status_for_stage(stage: Stage) -> str:
    """The signal status that belongs to a stage: its own, or the last one before it."""
    if stage.signal_status:
        return stage.signal_status
    earlier = (Stage.objects.filter(order__lt=stage.order).exclude(signal_status="")
               .order_by("-order").first())
    return earlier.signal_status if earlier else ""


def sync_signals(case: Case, stage: Stage, *, user, signals=None) -> int:
    """Move the case's (or the given) signals to the stage's status; returns rows written."""
    target = status_for_stage(stage)
    if not target:
        return 0
    queryset = Signal.objects.filter(pk__in=[s.pk for s in signals]) if signals is not None \
        else Signal.objects.filter(case_links__case=case)
    now = timezone.now()
    note = f"Casus {case.reference}: {stage.name}"
    written = 0
    for signal in queryset.select_for_update():
        previous = signal.status
        for status in _path(signal.status, target):
            StatusChange.objects.create(signal=signal, from_status=previous, to_status=status,
                                        changed_at=now, changed_by=user, note=note)
            previous = status
            written += 1
        if previous != signal.status:
            Signal.objects.filter(pk=signal.pk).update(status=previous, updated_at=now)
    return written
