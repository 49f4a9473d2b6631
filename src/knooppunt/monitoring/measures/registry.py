"""The registry of measures: functions that turn source data into indicator rows.

A measure yields `MeasureRow`s at the finest level it knows (buurt when the source has
it, else the municipality) and the finest period (month, or year for yearly sources).
The job (`monitoring.compute`) rolls them up to every area level and period in the
analytics engine. New measures (e.g. case-based ones) register themselves with
`@register(...)` in their own module; the engine does not change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from ..models import PeriodType


@dataclass(frozen=True)
class MeasureRow:
    """One count or amount for a municipality (optionally a wijk/buurt) in one period."""

    municipality_code: str
    period_start: date  # first day of the month (or of the year for yearly sources)
    value: float
    district_code: str | None = None
    neighbourhood_code: str | None = None
    # sums (euro, hours): how many records were added up; None for counts
    support: int | None = None


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    source: str
    compute: Callable[[Mapping[str, object]], Iterable[MeasureRow]]
    fingerprint: Callable[[Mapping[str, object]], str]
    # allowed parameter -> (description, validator returning an error text or None)
    parameters: Mapping[str, tuple[str, Callable[[object], str | None]]] = field(
        default_factory=dict
    )
    required: frozenset[str] = frozenset()
    granularity: str = PeriodType.MONTH
    # public: figures from published open data (everyone may see them, at every level);
    # else computed from Knooppunt's own records (need-to-know, see scope.figure_visible).
    public: bool = False
    # complete: an area/period without a row has the value 0 (a count of records); else
    # a missing row means "no data" (a statistic that was not published).
    complete: bool = True
    synthetic: Callable[[], bool] = staticmethod(lambda: False)
    # recorded_since: the first day Knooppunt has records of this measure's source (one
    # cheap MIN query, the same for every area and filter; None: no records yet). A
    # period of a complete measure that begins before it is "no data", not 0 (decision
    # 0021). None for a measure whose missing rows are "no data" anyway (statistics).
    recorded_since: Callable[[], date | None] | None = None

    def check_parameters(self, params: Mapping[str, object]) -> None:
        """Raise ValueError (Dutch text) when the parameters do not fit this measure."""
        if not isinstance(params, Mapping):
            raise ValueError("Parameters moeten een object zijn, bijv. {\"theme\": \"drugsdump\"}.")
        unknown = sorted(set(params) - set(self.parameters))
        if unknown:
            allowed = ", ".join(sorted(self.parameters)) or "geen"
            raise ValueError(
                f"Onbekende parameter(s) {', '.join(unknown)}; toegestaan: {allowed}."
            )
        missing = sorted(self.required - set(params))
        if missing:
            raise ValueError(f"Parameter(s) ontbreken: {', '.join(missing)}.")
        for name, value in params.items():
            error = self.parameters[name][1](value)
            if error:
                raise ValueError(f"{name}: {error}")


_MEASURES: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    if measure.name in _MEASURES:
        raise ValueError(f"measure {measure.name!r} registered twice")
    _MEASURES[measure.name] = measure
    return measure


def get_measure(name: str) -> Measure:
    return _MEASURES[name]


def all_measures() -> dict[str, Measure]:
    return dict(_MEASURES)


def measure_choices() -> list[tuple[str, str]]:
    return sorted((m.name, f"{m.name}: {m.label}") for m in _MEASURES.values())
