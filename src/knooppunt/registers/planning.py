"""Permits and zoning per address: the omgevingsvergunningen granted there and the function
the omgevingsplan gives the place ("vergunningen en bestemming", seed 003 on the
gebiedsscan).

An adapter implements `PlanningRegister` and is chosen by the setting
`KNOOPPUNT_PLANNING_REGISTER` (a dotted path; empty: no adapter, and the area scan says
so). Knooppunt ships one: `DemoPlanningRegister`, offline and synthetic, for the demo and
the tests. A real adapter would ask the municipality's permit system (e.g. through the
Omgevingsloket / DSO APIs) and the omgevingsplan of the Landelijke Voorziening; it
answers with the same facts, each with its source and date.

The demo adapter derives its facts from the address itself (a hash of the BAG
nummeraanduiding id and the building's use), so the same address always has the same
permits and function and nothing is stored. They are not real: the source says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext_lazy

from .adapters import load

PERMIT_KINDS = {
    "bouwen": gettext_lazy("bouwen"),
    "verbouwen": gettext_lazy("verbouwen"),
    "gebruik-afwijkend": gettext_lazy("afwijkend gebruik (buiten het omgevingsplan)"),
    "exploitatie": gettext_lazy("exploitatie horeca of bedrijf"),
    "slopen": gettext_lazy("slopen"),
}
ZONING_FUNCTIONS = {
    "wonen": gettext_lazy("wonen"),
    "bedrijf": gettext_lazy("bedrijf"),
    "gemengd": gettext_lazy("gemengd"),
    "agrarisch": gettext_lazy("agrarisch"),
    "maatschappelijk": gettext_lazy("maatschappelijk"),
    "horeca": gettext_lazy("horeca"),
}


@dataclass(frozen=True)
class PermitFact:
    nummeraanduiding_id: str
    kind: str  # a key of PERMIT_KINDS
    decided_on: date
    source: str
    source_date: date


@dataclass(frozen=True)
class ZoningFact:
    nummeraanduiding_id: str
    function: str  # a key of ZONING_FUNCTIONS
    plan: str
    source: str
    source_date: date


class PlanningRegister(Protocol):
    def permits_at(self, addresses: Iterable[tuple[str, str]], since: date,
                   until: date) -> list[PermitFact]:
        """Permits decided from `since` to `until` at (nummeraanduiding id, use) pairs."""
        ...

    def zoning_at(self, addresses: Iterable[tuple[str, str]]) -> dict[str, ZoningFact]:
        """The omgevingsplan's function per address."""
        ...


# The use of a building (BAG gebruiksdoel) → the function the demo's plan gives it.
_FUNCTION_OF_USE = {
    "woonfunctie": "wonen", "industriefunctie": "bedrijf", "kantoorfunctie": "gemengd",
    "winkelfunctie": "gemengd", "bijeenkomstfunctie": "horeca",
    "onderwijsfunctie": "maatschappelijk", "gezondheidszorgfunctie": "maatschappelijk",
    "logiesfunctie": "horeca", "sportfunctie": "maatschappelijk",
    "overige gebruiksfunctie": "agrarisch", "celfunctie": "maatschappelijk",
}


def _draw(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


class DemoPlanningRegister:
    """Synthetic permits and zoning, the same for the same address on every call."""

    source_permits = "Omgevingsloket (synthetische demogegevens)"
    source_zoning = "Omgevingsplan (synthetische demogegevens)"
    source_date = date(2025, 1, 1)
    # About one address in twelve had a permit decided in a given two years.
    per_thousand = 40

    def permits_at(self, addresses: Iterable[tuple[str, str]], since: date,
                   until: date) -> list[PermitFact]:
        found = []
        kinds = list(PERMIT_KINDS)
        first = date(2019, 1, 1)
        span = (max(until, self.source_date) - first).days + 1
        for nummeraanduiding_id, use in addresses:
            draw = _draw(nummeraanduiding_id)
            for n in range(2):  # at most two permits per address over the years
                pick = (draw >> (20 * n)) & 0xFFFFF
                if pick % 1000 >= self.per_thousand:
                    continue
                kind = kinds[(pick >> 10) % len(kinds)]
                if kind == "exploitatie" and use == "woonfunctie":
                    kind = "verbouwen"
                day = first + timedelta(days=(pick >> 3) % span)
                if since <= day <= until:
                    found.append(PermitFact(nummeraanduiding_id, kind, day,
                                            self.source_permits, self.source_date))
        return found

    def zoning_at(self, addresses: Iterable[tuple[str, str]]) -> dict[str, ZoningFact]:
        out = {}
        for nummeraanduiding_id, use in addresses:
            function = _FUNCTION_OF_USE.get(use or "", "gemengd")
            if function == "wonen" and _draw("plan" + nummeraanduiding_id) % 50 == 0:
                function = "gemengd"  # a few homes on mixed ground
            out[nummeraanduiding_id] = ZoningFact(
                nummeraanduiding_id, function, "Omgevingsplan (demo)",
                self.source_zoning, self.source_date)
        return out


def register() -> PlanningRegister | None:
    """The configured adapter, None when none is configured."""
    if not getattr(settings, "KNOOPPUNT_PLANNING_REGISTER", ""):
        return None
    return load("KNOOPPUNT_PLANNING_REGISTER")
