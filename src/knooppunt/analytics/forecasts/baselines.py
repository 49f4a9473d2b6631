"""The baselines: simple forecasts that are the yardstick and a usable forecast themselves.

Each takes only what happened before the forecast month: the count panel of earlier months
(cells x months, the last column the month before) and, for the kernel density, the points
of the last 12 months. Any positive scaling of a forecast ranks the cells the same, so a
baseline for the next quarter is the same map as for the next month.
"""

from __future__ import annotations

import numpy as np

from ..hotspots.density import QUARTIC, kernel_density
from ..hotspots.grid import Grid

LAST_MONTH = "last_month"
LAST_12_MONTHS = "last_12_months"
KDE_12_MONTHS = "kde_12_months"
BASELINES = (LAST_MONTH, LAST_12_MONTHS, KDE_12_MONTHS)

BASELINE_DESCRIPTIONS: dict[str, dict[str, str]] = {
    LAST_MONTH: {"en": "Last month's count per cell.",
                 "nl": "Het aantal van vorige maand per cel."},
    LAST_12_MONTHS: {"en": "The count of the last 12 months per cell.",
                     "nl": "Het aantal van de laatste 12 maanden per cel."},
    KDE_12_MONTHS: {"en": "Kernel density (quartic, ArcGIS's bandwidth rule) of the events "
                          "of the last 12 months.",
                    "nl": "Kerndichtheid (quartic, bandbreedteregel van ArcGIS) van de "
                          "gebeurtenissen van de laatste 12 maanden."},
}


def last_month(panel: np.ndarray) -> np.ndarray:
    """The last column of the panel (the month before the forecast)."""
    if panel.shape[1] < 1:
        raise ValueError("the last-month baseline needs one month of history")
    return panel[:, -1].astype(np.float64)


def last_12_months(panel: np.ndarray) -> np.ndarray:
    """The sum of the last 12 columns (fewer when the panel is shorter)."""
    if panel.shape[1] < 1:
        raise ValueError("the 12-month baseline needs at least one month of history")
    return panel[:, -12:].sum(axis=1).astype(np.float64)


def kde_12_months(grid: Grid, x: np.ndarray, y: np.ndarray,
                  bandwidth: float | None = None) -> np.ndarray:
    """Kernel density (events per km²) of the last 12 months' events (x, y), the hotspot
    core's quartic kernel with its default bandwidth rule unless one is given."""
    if np.asarray(x).size == 0:
        return np.zeros(grid.n_cells)
    return kernel_density(grid, x, y, kernel=QUARTIC, bandwidth=bandwidth).values
