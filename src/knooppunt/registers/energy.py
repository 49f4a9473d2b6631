"""The grid operator's energy anomalies per address (unexplained use, "Clean Sweep").

`LocalEnergyRegister` answers from `registers.EnergyAnomaly`, filled by the demo or by a
grid operator's delivery; a remote adapter would implement the same interface.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from .adapters import load


@dataclass(frozen=True)
class EnergyFact:
    period_start: date
    period_end: date
    expected_kwh: int
    measured_kwh: int
    source: str
    reported_on: date

    @property
    def ratio(self) -> float | None:
        return round(self.measured_kwh / self.expected_kwh, 1) if self.expected_kwh else None


class EnergyRegister(Protocol):
    def anomalies_at(self, nummeraanduiding_ids: Iterable[str]) -> dict[str, list[EnergyFact]]:
        ...


class LocalEnergyRegister:
    def anomalies_at(self, nummeraanduiding_ids: Iterable[str]) -> dict[str, list[EnergyFact]]:
        from .models import EnergyAnomaly

        result: dict[str, list[EnergyFact]] = {}
        ids = [i for i in set(nummeraanduiding_ids) if i]
        for row in EnergyAnomaly.objects.filter(
            address__nummeraanduiding_id__in=ids
        ).select_related("address"):
            result.setdefault(row.address.nummeraanduiding_id, []).append(
                EnergyFact(row.period_start, row.period_end, row.expected_kwh,
                           row.measured_kwh, row.source, row.reported_on)
            )
        return result


def register() -> EnergyRegister:
    return load("KNOOPPUNT_ENERGY_REGISTER")


def anomalies(nummeraanduiding_id: str) -> list[EnergyFact]:
    """Every anomaly reported at the address, most recent first."""
    if not nummeraanduiding_id:
        return []
    facts = register().anomalies_at([nummeraanduiding_id]).get(nummeraanduiding_id, [])
    return sorted(facts, key=lambda f: f.reported_on, reverse=True)


def latest_anomaly(nummeraanduiding_id: str) -> EnergyFact | None:
    """The most recently reported anomaly at the address, if any (unscoped: callers that
    show it to a user go through `signals.enrichment`, which asks `scope`)."""
    facts = anomalies(nummeraanduiding_id)
    return facts[0] if facts else None
