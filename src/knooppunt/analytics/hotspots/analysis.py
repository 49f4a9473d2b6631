"""One call from events and a study area to a hotspot result that states its method.

`analyse` grids the area, counts the events per cell, estimates their kernel density and
computes Gi* with FDR-corrected classes; `analyse_over_time` adds the emerging-hotspot
view. Both return the method description (method, parameters, period, data, CRS) beside
the numbers, so whatever draws the result can print how it was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from shapely.geometry.base import BaseGeometry

from .density import QUARTIC, Density, kernel_density
from .emerging import Emerging, emerging_hotspots
from .gistar import QUEEN_WEIGHTS, GiStar, Weights, gi_star
from .grid import DEFAULT_MAX_CELLS, Grid, grid_over


@dataclass(frozen=True)
class MethodDescription:
    """How a result was made, in fields a page or a map legend can print."""

    method: str
    crs: str
    cell_size: float
    cells: int
    events: int
    kernel: str
    bandwidth: float
    bandwidth_rule: str
    weights: str
    correction: str
    period: str = ""
    data: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "method": self.method, "crs": self.crs, "cellSize": self.cell_size,
            "cells": self.cells, "events": self.events, "kernel": self.kernel,
            "bandwidth": round(self.bandwidth, 1), "bandwidthRule": self.bandwidth_rule,
            "weights": self.weights, "correction": self.correction, "period": self.period,
            "data": self.data, **self.extra,
        }


@dataclass(frozen=True)
class HotspotResult:
    grid: Grid
    counts: np.ndarray
    density: Density
    gi: GiStar
    method: MethodDescription
    emerging: Emerging | None = None


def analyse(area: BaseGeometry, crs: str, x: np.ndarray, y: np.ndarray, *,
            cell_size: float = 250, kernel: str = QUARTIC, bandwidth: float | None = None,
            weights: Weights = QUEEN_WEIGHTS, fdr: bool = True,
            max_cells: int = DEFAULT_MAX_CELLS, period: str = "", data: str = "",
            grid: Grid | None = None) -> HotspotResult:
    """Counts, kernel density and Gi* of the events (x, y) over the study area.

    `area` is a (multi)polygon in the same projected CRS (metres) as the events; `crs`
    only labels the result. A prepared `grid` may be passed to skip the gridding.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    grid = grid or grid_over(area, cell_size, crs=crs, max_cells=max_cells)
    counts = grid.counts(x, y)
    density = kernel_density(grid, x, y, kernel=kernel, bandwidth=bandwidth)
    gi = gi_star(grid, counts, weights, fdr=fdr)
    method = MethodDescription(
        method="Getis-Ord Gi* on event counts per cell; kernel density",
        crs=grid.crs, cell_size=grid.cell_size, cells=grid.n_cells,
        events=int(counts.sum()), kernel=density.kernel, bandwidth=density.bandwidth,
        bandwidth_rule=density.rule, weights=weights.describe(),
        correction=("Benjamini-Hochberg false discovery rate; classes 90/95/99 %"
                    if fdr else "none; classes 90/95/99 % on raw p-values"),
        period=period, data=data,
    )
    return HotspotResult(grid=grid, counts=counts, density=density, gi=gi, method=method)


def analyse_over_time(area: BaseGeometry, crs: str, x: np.ndarray, y: np.ndarray,
                      step: np.ndarray, steps: int, *, alpha: float = 0.05,
                      step_label: str = "", **options) -> HotspotResult:
    """`analyse` over the whole period plus the emerging-hotspot view over `steps` steps
    (`step` = the step 0…steps-1 of each event)."""
    result = analyse(area, crs, x, y, **options)
    weights = options.get("weights", QUEEN_WEIGHTS)
    view = emerging_hotspots(result.grid, result.grid.locate(x, y), step, steps, weights,
                             alpha=alpha)
    method = MethodDescription(**{
        **result.method.__dict__,
        "method": result.method.method + "; emerging hot spots (Gi* per step, "
                  "Mann-Kendall trend of the z-scores)",
        "extra": {"steps": steps, "step": step_label, "alpha": alpha},
    })
    return HotspotResult(grid=result.grid, counts=result.counts, density=result.density,
                         gi=result.gi, method=method, emerging=view)
