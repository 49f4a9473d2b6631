"""Signals monitoring sends, so higher layers can react without monitoring importing them.

`figures_computed` is sent after the job stored new indicator values (and ran early
warning, when asked), with ``indicators`` the codes that were recomputed. The dashboards
listen to warm their figure cache, so the first visitor does not pay for it.
"""

from __future__ import annotations

from django.dispatch import Signal

figures_computed = Signal()


def announce(indicators: list[str]) -> None:
    """Tell listeners that these indicators were recomputed (nothing when none were)."""
    if indicators:
        figures_computed.send(sender=None, indicators=list(indicators))
