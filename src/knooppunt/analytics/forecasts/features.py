"""The feature allow-list and the features of (cell, month) rows.

Only features about places and time are allowed; `ALLOWED_FEATURES` is the complete list
(the model card prints it). Anything else is refused before any work, and a name that
looks like person data (nationality, ethnicity, income, benefits, ...) is refused with
that reason: the AI Act (art. 5(1)(d)) forbids predicting that a person will offend, and
Knooppunt forecasts places only.

Every feature of a row for month m uses only months before m (counts are differences of
the cumulative panel up to m), so the features of the forecast month never read that
month. Counts of the neighbours are the 8 surrounding cells (queen contiguity) that lie in
the study area.

Features from other sources (`SOURCE_FEATURES`) come from tables the caller registers
with the engine beside the events, each with x, y and month, where month is when a row
became known (an event's month; a building's construction year, December; a company's
registration; a register status's extract date): `other` (events of other types or themes),
`incidents` (police incidents), `signals` (signals of all themes, beside a forecast of
incidents), `buildings` (register addresses, with floor_area),
`vacant` (addresses the register calls not in use) and `companies` (registrations). The
engine counts them per cell as known *before* each month (`EventTable.known`), so a row
dated in the forecast month or later never reaches a feature. Register features are of
places (buildings, companies), never of persons.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from ..hotspots.grid import Grid

LAG_FEATURES = {"lag_1": 1, "lag_3": 3, "lag_6": 6, "lag_12": 12}
NEIGHBOUR_FEATURES = {"neighbours_lag_1": 1, "neighbours_lag_12": 12}
SAME_MONTH_LAST_YEAR = "same_month_last_year"
MONTH_OF_YEAR = "month_of_year"

FEATURE_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "lag_1": {"en": "events in the cell in the last month",
              "nl": "gebeurtenissen in de cel in de laatste maand"},
    "lag_3": {"en": "events in the cell in the last 3 months",
              "nl": "gebeurtenissen in de cel in de laatste 3 maanden"},
    "lag_6": {"en": "events in the cell in the last 6 months",
              "nl": "gebeurtenissen in de cel in de laatste 6 maanden"},
    "lag_12": {"en": "events in the cell in the last 12 months",
               "nl": "gebeurtenissen in de cel in de laatste 12 maanden"},
    "neighbours_lag_1": {"en": "events in the 8 neighbouring cells in the last month",
                         "nl": "gebeurtenissen in de 8 buurcellen in de laatste maand"},
    "neighbours_lag_12": {"en": "events in the 8 neighbouring cells in the last 12 months",
                          "nl": "gebeurtenissen in de 8 buurcellen in de laatste 12 maanden"},
    SAME_MONTH_LAST_YEAR: {"en": "events in the cell in the same period a year earlier",
                           "nl": "gebeurtenissen in de cel in dezelfde periode een jaar eerder"},
    MONTH_OF_YEAR: {"en": "month of the year of the forecast (season)",
                    "nl": "maand van het jaar van de voorspelling (seizoen)"},
}
BASE_FEATURES = tuple(FEATURE_DESCRIPTIONS)

COUNT = "count(*)"
FLOOR_AREA = "sum(CAST(floor_area AS DOUBLE))"
# name -> (source table, aggregate, kind, months): "lag" = known before m minus known
# before m - months; "stock" = known before m; "share" = per building known before m.
SOURCE_FEATURES: dict[str, tuple[str, str, str, int]] = {
    "other_lag_1": ("other", COUNT, "lag", 1),
    "other_lag_12": ("other", COUNT, "lag", 12),
    "incidents_lag_1": ("incidents", COUNT, "lag", 1),
    "incidents_lag_12": ("incidents", COUNT, "lag", 12),
    "signals_lag_1": ("signals", COUNT, "lag", 1),
    "signals_lag_12": ("signals", COUNT, "lag", 12),
    "buildings": ("buildings", COUNT, "stock", 0),
    "floor_area": ("buildings", FLOOR_AREA, "stock", 0),
    "vacant_share": ("vacant", COUNT, "share", 0),
    "companies": ("companies", COUNT, "stock", 0),
    "new_companies_12": ("companies", COUNT, "lag", 12),
}
SOURCE_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "other_lag_1": {"en": "events of other types (other themes or offences) in the cell in "
                          "the last month",
                    "nl": "gebeurtenissen van andere soorten (andere thema's of delicten) in "
                          "de cel in de laatste maand"},
    "other_lag_12": {"en": "events of other types (other themes or offences) in the cell in "
                           "the last 12 months",
                     "nl": "gebeurtenissen van andere soorten (andere thema's of delicten) in "
                           "de cel in de laatste 12 maanden"},
    "incidents_lag_1": {"en": "police incidents in the cell in the last month",
                        "nl": "politie-incidenten in de cel in de laatste maand"},
    "incidents_lag_12": {"en": "police incidents in the cell in the last 12 months",
                         "nl": "politie-incidenten in de cel in de laatste 12 maanden"},
    "signals_lag_1": {"en": "signals (all themes) in the cell in the last month",
                      "nl": "signalen (alle thema's) in de cel in de laatste maand"},
    "signals_lag_12": {"en": "signals (all themes) in the cell in the last 12 months",
                       "nl": "signalen (alle thema's) in de cel in de laatste 12 maanden"},
    "buildings": {"en": "addresses (BAG) in the cell whose building was built before the "
                        "forecast year",
                  "nl": "adressen (BAG) in de cel waarvan het gebouw vóór het jaar van de "
                        "voorspelling gebouwd is"},
    "floor_area": {"en": "floor area (m², BAG) of those addresses",
                   "nl": "gebruiksoppervlakte (m², BAG) van die adressen"},
    "vacant_share": {"en": "share of those addresses the register calls not in use, as known "
                           "(register extract dated) before the forecast month",
                     "nl": "aandeel van die adressen dat volgens het register buiten gebruik "
                           "is, zoals bekend (datum uittreksel) vóór de voorspelde maand"},
    "companies": {"en": "company registrations (KvK) at addresses in the cell, registered "
                        "before the forecast month",
                  "nl": "bedrijfsinschrijvingen (KvK) op adressen in de cel, ingeschreven "
                        "vóór de voorspelde maand"},
    "new_companies_12": {"en": "company registrations in the cell in the last 12 months",
                         "nl": "nieuwe bedrijfsinschrijvingen in de cel in de laatste 12 "
                               "maanden"},
}
FEATURE_DESCRIPTIONS.update(SOURCE_DESCRIPTIONS)
ALLOWED_FEATURES = frozenset(FEATURE_DESCRIPTIONS)
DEFAULT_FEATURES = BASE_FEATURES
CROSS_TYPE_FEATURES = ("other_lag_1", "other_lag_12")
INCIDENT_FEATURES = ("incidents_lag_1", "incidents_lag_12")
SIGNAL_SOURCE_FEATURES = ("signals_lag_1", "signals_lag_12")  # for a forecast of incidents
REGISTER_FEATURES = ("buildings", "floor_area", "vacant_share", "companies",
                     "new_companies_12")
LAGS_NEEDED = 12  # months of history a row needs before its month

# Words that mark person data; a requested feature containing one is refused as such.
PERSON_DATA_WORDS = ("person", "persoon", "nationality", "nationaliteit", "ethnic",
                     "etnic", "income", "inkomen", "benefit", "uitkering", "age", "leeftijd",
                     "gender", "geslacht", "religion", "religie", "bsn", "name", "naam")


class ForbiddenFeature(ValueError):
    """A requested feature is not on the allow-list (or is person data)."""

    def __init__(self, names: list[str], person_data: bool) -> None:
        self.names = names
        self.person_data = person_data
        kind = "person data is never a feature" if person_data else "not on the allow-list"
        super().__init__(f"feature(s) {', '.join(names)} refused: {kind}")


def check_features(features: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The features in order, or ForbiddenFeature for any name not on the allow-list."""
    features = tuple(features)
    refused = [name for name in features if name not in ALLOWED_FEATURES]
    if refused:
        person = any(word in name.lower() for name in refused for word in PERSON_DATA_WORDS)
        raise ForbiddenFeature(refused, person)
    if not features:
        raise ForbiddenFeature(["(none)"], False)
    return features


class MissingSource(ValueError):
    """A feature needs a table the caller did not give (e.g. registers for Toronto)."""

    def __init__(self, feature: str, table: str) -> None:
        self.feature = feature
        self.table = table
        super().__init__(f"feature {feature} needs the table {table!r}, which was not given")


def sources_needed(features: tuple[str, ...]) -> set[tuple[str, str]]:
    """(table, aggregate) pairs the features ask the engine for."""
    needed: set[tuple[str, str]] = set()
    for name in features:
        if name in SOURCE_FEATURES:
            table, value, kind, _months = SOURCE_FEATURES[name]
            needed.add((table, value))
            if kind == "share":
                needed.add(("buildings", COUNT))
    return needed


def neighbour_panel(grid: Grid, panel: np.ndarray) -> np.ndarray:
    """Per cell and month: the sum of the 8 neighbouring study-area cells."""
    rows, cols = grid.shape
    raster = np.zeros((grid.mask.size, panel.shape[1]))
    raster[grid.flat_index] = panel
    raster = raster.reshape(rows, cols, panel.shape[1])
    kernel = np.ones((3, 3, 1))
    kernel[1, 1, 0] = 0
    summed = ndimage.correlate(raster, kernel, mode="constant", cval=0.0)
    return summed.reshape(rows * cols, panel.shape[1])[grid.flat_index]


class FeatureMaker:
    """Features of rows (every cell, month m) from a panel of months P0..P0+W-1.

    Month m is given relative to the panel (0 = its first month); m may be W, the month
    right after the panel (the forecast month). `horizon` is the months summed in the
    target (1 = next month, 3 = next quarter).
    """

    def __init__(self, grid: Grid, panel: np.ndarray, first_month: int,
                 features: tuple[str, ...], horizon: int = 1,
                 sources: dict[tuple[str, str], np.ndarray] | None = None) -> None:
        """`sources`: per (table, aggregate) of `sources_needed`, the engine's `known`
        matrix over the same months as the panel (cells x (months + 1))."""
        self.features = check_features(features)
        self.sources = sources or {}
        for name in self.features:
            for key in sources_needed((name,)):
                if key not in self.sources:
                    raise MissingSource(name, key[0])
        self.first_month = int(first_month)
        self.horizon = int(horizon)
        self.panel = panel
        zero = np.zeros((panel.shape[0], 1))
        self._cumulative = np.hstack([zero, np.cumsum(panel, axis=1)])
        needs_neighbours = any(f in NEIGHBOUR_FEATURES for f in self.features)
        self._neighbour_cumulative = (
            np.hstack([zero, np.cumsum(neighbour_panel(grid, panel), axis=1)])
            if needs_neighbours else None)

    def rows(self, m: int) -> np.ndarray:
        """The feature matrix (cells x features) of month m (relative to the panel)."""
        if m < LAGS_NEEDED or m > self.panel.shape[1]:
            raise ValueError("month outside the panel's reach")
        c = self._cumulative
        columns = []
        for name in self.features:
            if name in LAG_FEATURES:
                columns.append(c[:, m] - c[:, m - LAG_FEATURES[name]])
            elif name in NEIGHBOUR_FEATURES:
                n = self._neighbour_cumulative
                columns.append(n[:, m] - n[:, m - NEIGHBOUR_FEATURES[name]])
            elif name in SOURCE_FEATURES:
                columns.append(self._source(name, m))
            elif name == SAME_MONTH_LAST_YEAR:
                columns.append(c[:, m - 12 + self.horizon] - c[:, m - 12])
            else:  # MONTH_OF_YEAR
                month = (self.first_month + m) % 12 + 1
                columns.append(np.full(c.shape[0], float(month)))
        return np.column_stack(columns)

    def _source(self, name: str, m: int) -> np.ndarray:
        table, value, kind, months = SOURCE_FEATURES[name]
        known = self.sources[(table, value)]
        if kind == "lag":
            return known[:, m] - known[:, m - months]
        if kind == "stock":
            return known[:, m].copy()
        buildings = self.sources[("buildings", COUNT)][:, m]
        return np.divide(known[:, m], buildings, out=np.zeros_like(buildings),
                         where=buildings > 0)

    def target(self, m: int) -> np.ndarray:
        """Events per cell in months m..m+horizon-1 (only for months inside the panel)."""
        if m + self.horizon > self.panel.shape[1]:
            raise ValueError("the target reaches past the panel")
        return self._cumulative[:, m + self.horizon] - self._cumulative[:, m]

    def training(self, months: range) -> tuple[np.ndarray, np.ndarray]:
        """Stacked features and targets of the rows of `months`."""
        X = np.vstack([self.rows(m) for m in months])
        y = np.concatenate([self.target(m) for m in months])
        return X, y
