"""Helpers of the demo tests."""

from __future__ import annotations

from django.db.models import QuerySet

from knooppunt.signals.models import Signal


def synthetic(region: str = "VR05") -> QuerySet[Signal]:
    """The demo's (synthetic) signals in one safety region."""
    return Signal.objects.filter(is_synthetic=True, municipality__safety_region__code=region)
