"""Emerging hot spots: Gi* per time step, a Mann-Kendall trend per cell, and categories.

Per time step the counts of that step get Gi* (same grid and weights for every step, FDR
per step); a cell is a *hot* (*cold*) spot in a step when z > 0 (z < 0) and its
FDR-adjusted p-value is at most `alpha` (default 0.05). The Mann-Kendall test (two-sided,
normal approximation with the correction for ties and the continuity correction) is run
on each cell's series of Gi* z-scores: the trend in the intensity of clustering, as in
ArcGIS's Emerging Hot Spot Analysis. A trend is up or down when its p-value <= `alpha`.

Categories, after ArcGIS (T steps, H = the steps the cell is hot, "90 %" = at least 90 %
of the T steps; cold spots mirror them with cold for hot):

- new: hot in the final step and in no earlier step;
- consecutive: hot in an unbroken run of at least two steps that ends with the final step,
  never hot before that run, and hot in less than 90 % of the steps;
- intensifying: hot in at least 90 % of the steps including the final one, upward trend;
- persistent: the same with no significant trend;
- diminishing: the same with a downward trend;
- sporadic: hot in the final step, hot in less than 90 % of the steps, hot also before in
  a run that was broken (so neither new nor consecutive), and never cold;
- oscillating: as sporadic but cold in at least one earlier step;
- historical: not hot in the final step, but hot in at least 90 % of the steps.

Where ArcGIS's texts overlap, this order decides: a cell significant in the final step is
judged by that step's sign first (a cell hot in 90 % of the steps but cold in the final
step is an oscillating cold spot, not a historical hot spot); then 90 % categories, new,
consecutive, oscillating, sporadic; historical only when the final step is not
significant. Differences with ArcGIS: neighbours are spatial only (no earlier time steps
in the neighbourhood), and the trend test is on the cell's z-scores (not on the counts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from .gistar import Weights, benjamini_hochberg, gi_star_from_sums, neighbour_sums, two_sided_p
from .grid import Grid

PERSISTENCE = 0.9
CATEGORIES = (
    "new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic",
    "oscillating", "historical",
)
NO_PATTERN = "none"


@dataclass(frozen=True)
class MannKendall:
    s: np.ndarray
    z: np.ndarray
    p: np.ndarray


@dataclass(frozen=True)
class Emerging:
    counts: np.ndarray  # (steps, cells)
    z: np.ndarray  # Gi* per step
    p_fdr: np.ndarray
    state: np.ndarray  # int8 per step: 1 hot, -1 cold, 0 neither
    trend: MannKendall
    category: np.ndarray  # str per cell: "new_hot", …, "historical_cold" or "none"
    alpha: float


def mann_kendall(series: np.ndarray) -> MannKendall:
    """Mann-Kendall per column of `series` (steps x cells), two-sided."""
    series = np.asarray(series, dtype=np.float64)
    steps, cells = series.shape
    s = np.zeros(cells)
    tied = np.ones((steps, cells))  # size of each value's tie group
    for i in range(steps - 1):
        later = series[i + 1:]
        s += np.sign(later - series[i]).sum(axis=0)
        equal = later == series[i]
        tied[i] += equal.sum(axis=0)
        tied[i + 1:] += equal
    # Sum over tie groups of t(t-1)(2t+5), written per member of the group.
    ties = ((tied - 1) * (2 * tied + 5)).sum(axis=0)
    variance = (steps * (steps - 1) * (2 * steps + 5) - ties) / 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(variance > 0, (s - np.sign(s)) / np.sqrt(variance), 0.0)
    z = np.nan_to_num(z)
    return MannKendall(s=s, z=z, p=2.0 * ndtr(-np.abs(z)))


def _final_run(state: np.ndarray, sign: int) -> np.ndarray:
    run = np.zeros(state.shape[1], dtype=np.int64)
    alive = np.ones(state.shape[1], dtype=bool)
    for step in range(state.shape[0] - 1, -1, -1):
        alive &= state[step] == sign
        run += alive
    return run


def categorise(state: np.ndarray, trend_z: np.ndarray, trend_p: np.ndarray,
               alpha: float) -> np.ndarray:
    """The category of every cell from its per-step states and its trend (module text)."""
    steps, cells = state.shape
    category = np.full(cells, NO_PATTERN, dtype=object)
    up = (trend_p <= alpha) & (trend_z > 0)
    down = (trend_p <= alpha) & (trend_z < 0)
    final = state[-1]
    for sign, suffix in ((1, "hot"), (-1, "cold")):
        hits = (state == sign).sum(axis=0)
        others = (state == -sign).sum(axis=0)
        share = hits / steps
        run = _final_run(state, sign)
        now = final == sign
        mostly = share >= PERSISTENCE
        # Intensity grows towards hotter for hot spots and towards colder for cold ones.
        stronger, weaker = (up, down) if sign == 1 else (down, up)
        rules = [
            (now & mostly & stronger, "intensifying"),
            (now & mostly & weaker, "diminishing"),
            (now & mostly, "persistent"),
            (now & (hits == 1), "new"),
            (now & (run >= 2) & (run == hits), "consecutive"),
            (now & (others > 0), "oscillating"),
            (now, "sporadic"),
            ((final == 0) & mostly, "historical"),
        ]
        assigned = np.zeros(cells, dtype=bool)
        for selected, name in rules:
            chosen = selected & ~assigned
            category[chosen] = f"{name}_{suffix}"
            assigned |= chosen
    return category


def emerging_hotspots(grid: Grid, cell: np.ndarray, step: np.ndarray, steps: int,
                      weights: Weights, *, alpha: float = 0.05) -> Emerging:
    """Emerging hot spots of events given by their cell (grid.locate) and step (0…steps-1)."""
    if steps < 2:
        raise ValueError("an emerging-hotspot analysis needs at least two time steps")
    cell = np.asarray(cell, dtype=np.int64)
    step = np.asarray(step, dtype=np.int64)
    keep = (cell >= 0) & (step >= 0) & (step < steps)
    flat = step[keep] * grid.n_cells + cell[keep]
    counts = np.bincount(flat, minlength=steps * grid.n_cells).reshape(steps, grid.n_cells)
    z = np.empty(counts.shape)
    p_fdr = np.empty(counts.shape)
    for t in range(steps):
        values = counts[t].astype(np.float64)
        lag, cardinality = neighbour_sums(grid, values, weights)
        z[t] = gi_star_from_sums(values, lag, cardinality)
        p_fdr[t] = benjamini_hochberg(two_sided_p(z[t]))
    state = (np.sign(z) * (p_fdr <= alpha)).astype(np.int8)
    trend = mann_kendall(z)
    return Emerging(counts=counts, z=z, p_fdr=p_fdr, state=state, trend=trend,
                    category=categorise(state, trend.z, trend.p, alpha), alpha=alpha)
