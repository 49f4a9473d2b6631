"""Possible duplicates: a new signal for the same address and theme within a window is
linked to the earlier one as related, never merged silently. A person merges or unlinks.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from .models import RelationKind, Signal, SignalRelation


def window_days() -> int:
    return int(getattr(settings, "KNOOPPUNT_DUPLICATE_WINDOW_DAYS", 90))


def _same_address(signal: Signal):
    if signal.address_register_id:
        return Signal.objects.filter(address_register_id=signal.address_register_id)
    if signal.postcode and signal.house_number:
        return Signal.objects.filter(
            postcode=signal.postcode,
            house_number=signal.house_number,
            house_letter=signal.house_letter,
            house_number_addition=signal.house_number_addition,
        )
    return Signal.objects.none()


def candidates(signal: Signal):
    """Earlier signals at the same address with the same theme within the window."""
    start = signal.received_on - timedelta(days=window_days())
    return (
        _same_address(signal)
        .filter(theme_id=signal.theme_id, received_on__gte=start,
                received_on__lte=signal.received_on)
        .exclude(pk=signal.pk)
        .order_by("-received_on", "-pk")
    )


def link_possible_duplicates(signal: Signal) -> list[SignalRelation]:
    """Link `signal` to each earlier candidate; returns the new links."""
    links = []
    for earlier in candidates(signal)[:10]:
        link, created = SignalRelation.objects.get_or_create(
            from_signal=signal,
            to_signal=earlier,
            defaults={"kind": RelationKind.POSSIBLE_DUPLICATE},
        )
        if created:
            links.append(link)
    return links
