"""Getis-Ord Gi* on a grid, with a Benjamini-Hochberg false-discovery-rate correction.

Weights are binary and include the focal cell (that is what makes it Gi* rather than Gi):
either queen contiguity (the cell and its 8 neighbours) or a fixed distance band (every
cell whose centre lies within `band` metres of the focal cell's centre). Only cells of the
study area are observations: a neighbour outside the area does not exist, so an edge cell
simply has fewer neighbours (its own W_i).

For cell i with value x_i, n cells, mean X and S = sqrt(sum(x^2)/n - X^2) (Getis and Ord
1992; Ord and Getis 1995):

    z_i = (sum_j w_ij x_j - X W_i) / (S sqrt((n W_i - W_i^2) / (n - 1))),  W_i = sum_j w_ij

On a grid every cell has the same weight pattern, so sum_j w_ij x_j and W_i are a
correlation of the value raster and of the study-area mask with the pattern
(scipy.ndimage): no weight matrix is built, which is what makes it fast. `weight_matrix`
builds the same weights as a scipy.sparse matrix, for checks and for other tools.

p-values are two-sided, from the normal distribution. Classes follow ArcGIS's Gi_Bin:
+3/-3 hot/cold spot at 99 % confidence, +2/-2 at 95 %, +1/-1 at 90 %, 0 not significant,
judged on the FDR-adjusted p-values unless the caller asks for the raw ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage, sparse
from scipy.special import ndtr

from .grid import Grid

QUEEN = "queen"
DISTANCE_BAND = "distance_band"
CONFIDENCE_LEVELS = ((3, 0.01), (2, 0.05), (1, 0.10))
FEW_DISTINCT = 4096
MAX_PAIR_KEYS = 1 << 24


@dataclass(frozen=True)
class Weights:
    """Binary spatial weights on a grid, focal cell included."""

    kind: str  # QUEEN or DISTANCE_BAND
    band: float | None = None  # metres, for DISTANCE_BAND

    def pattern(self, cell_size: float) -> np.ndarray:
        """The 0/1 pattern of neighbours around a focal cell (odd square, centre = 1)."""
        if self.kind == QUEEN:
            return np.ones((3, 3))
        if self.kind != DISTANCE_BAND or not self.band or self.band <= 0:
            raise ValueError("a distance band needs a positive band in metres")
        reach = int(math.floor(self.band / cell_size))
        offsets = np.arange(-reach, reach + 1) * cell_size
        dx, dy = np.meshgrid(offsets, offsets)
        # A tiny tolerance so a band of exactly k cells includes the cell at k cells.
        return (np.hypot(dx, dy) <= self.band * (1 + 1e-9)).astype(np.float64)

    def describe(self) -> str:
        if self.kind == QUEEN:
            return "queen contiguity (cell + 8 neighbours), binary, focal cell included"
        return f"fixed distance band {self.band:g} m, binary, focal cell included"


QUEEN_WEIGHTS = Weights(QUEEN)


@dataclass(frozen=True)
class GiStar:
    z: np.ndarray
    p: np.ndarray  # two-sided
    p_fdr: np.ndarray  # Benjamini-Hochberg adjusted
    classes: np.ndarray  # int8, -3 … 3
    neighbours: np.ndarray  # W_i: number of study-area cells in each cell's neighbourhood


def _runs(pattern: np.ndarray) -> list[int] | None:
    """Half-width of each row's run of ones, if every row is one run centred on the middle
    column (true for the queen square and for distance-band discs); -1 for an empty row."""
    reach = pattern.shape[1] // 2
    widths = []
    for row in pattern:
        ones = np.flatnonzero(row)
        if ones.size == 0:
            widths.append(-1)
            continue
        half = reach - int(ones[0])
        if int(ones[-1]) != reach + half or ones.size != 2 * half + 1:
            return None
        widths.append(half)
    return widths


def _correlate(raster: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """Sum of each raster cell's neighbourhood (zero outside the raster).

    A pattern of centred row runs is summed with shifted slices only: horizontal sums of
    growing width, then the rows of the pattern added at their offsets. That is exact for
    counts and several times faster than a general 2-D correlation.
    """
    widths = _runs(pattern)
    if widths is None:
        return ndimage.correlate(raster, pattern, mode="constant", cval=0.0)
    reach = pattern.shape[0] // 2
    rows, cols = raster.shape
    padded = np.zeros((rows + 2 * reach, cols + 2 * reach), dtype=raster.dtype)
    padded[reach:reach + rows, reach:reach + cols] = raster
    out = np.zeros((rows, cols), dtype=raster.dtype)
    across = padded[:, reach:reach + cols].copy()  # horizontal sums of half-width 0
    width = 0
    for half in sorted({w for w in widths if w >= 0}):
        while width < half:
            width += 1
            across += padded[:, reach - width:reach - width + cols]
            across += padded[:, reach + width:reach + width + cols]
        for offset, row_half in enumerate(widths):
            if row_half == half:
                out += across[offset:offset + rows]
    return out


def neighbour_sums(grid: Grid, values: np.ndarray, weights: Weights) -> tuple[np.ndarray,
                                                                               np.ndarray]:
    """sum_j w_ij x_j and W_i for every study-area cell, by correlation on the raster.

    W_i depends only on the grid and the weights, so it is kept on the grid (time steps
    and repeated analyses over one area reuse it).
    """
    pattern = weights.pattern(grid.cell_size)
    # Counts are summed exactly as 32-bit integers (half the memory traffic of floats)
    # when no neighbourhood sum can overflow; anything else as floats.
    whole = np.issubdtype(values.dtype, np.integer) and int(values.sum()) < 2**31 - 1
    kind = np.int32 if whole else np.float64
    summed = _correlate(grid.to_raster(values, dtype=kind), pattern.astype(kind))
    key = ("cardinality", weights)
    cardinality = grid.memo.get(key)
    if cardinality is None:
        cardinality = grid.from_raster(_correlate(grid.mask.astype(np.int32),
                                                  pattern.astype(np.int32)))
        grid.memo[key] = cardinality.astype(np.int64)
        cardinality = grid.memo[key]
    return grid.from_raster(summed).astype(np.int64 if whole else np.float64), cardinality


def _z(lag: np.ndarray, cardinality: np.ndarray, n: int, mean: float,
       spread: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = spread * np.sqrt((n * cardinality - cardinality**2) / (n - 1))
        z = (lag - mean * cardinality) / denominator
    # No variation at all (every cell the same), or a neighbourhood that is the whole
    # area: nothing stands out, z = 0.
    z[~np.isfinite(z)] = 0.0
    return z


def _moments(values: np.ndarray) -> tuple[int, float, float]:
    mean = float(values.mean())
    return values.size, mean, math.sqrt(max(float(np.mean(values * values)) - mean * mean, 0.0))


def gi_star_from_sums(values: np.ndarray, lag: np.ndarray, cardinality: np.ndarray) -> np.ndarray:
    """Gi* z-scores from the neighbour sums and counts (any binary weights with self)."""
    x = np.asarray(values, dtype=np.float64)
    return _z(lag, cardinality, *_moments(x))


def two_sided_p(z: np.ndarray) -> np.ndarray:
    return 2.0 * ndtr(-np.abs(z))


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values (q-values): a cell is significant at FDR q iff p_fdr <= q.

    p_fdr of the k-th smallest of m p-values is min over j >= k of p_(j) m / j; tied
    p-values share the value of the last of them. Counts give few distinct p-values, so
    those are adjusted once each and looked up; otherwise by a full argsort.
    """
    p = np.asarray(p, dtype=np.float64)
    m = p.size
    if m == 0:
        return p.copy()
    ordered = np.sort(p)
    last = np.flatnonzero(np.append(ordered[1:] != ordered[:-1], True))
    if last.size <= FEW_DISTINCT:
        distinct = ordered[last]
        ranked = distinct * m / (last + 1)
        adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
        return np.minimum(adjusted[np.searchsorted(distinct, p)], 1.0)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(adjusted_sorted, 1.0)
    return adjusted


def classify(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    """ArcGIS Gi_Bin: sign of z times 3/2/1 for p <= 0.01/0.05/0.10, else 0."""
    level = np.zeros(z.shape, dtype=np.int8)
    for value, alpha in reversed(CONFIDENCE_LEVELS):
        level[p <= alpha] = value
    return (np.sign(z).astype(np.int8) * level).astype(np.int8)


def _whole(values: np.ndarray) -> np.ndarray | None:
    """The values as int64 when they are non-negative whole numbers (counts), else None."""
    if np.issubdtype(values.dtype, np.integer):
        whole = values.astype(np.int64, copy=False)
    elif np.array_equal(values, np.rint(values)):
        whole = values.astype(np.int64)
    else:
        return None
    return whole if whole.min(initial=0) >= 0 else None


def gi_star(grid: Grid, values: np.ndarray, weights: Weights = QUEEN_WEIGHTS, *,
            fdr: bool = True) -> GiStar:
    """Gi* for the values of the study-area cells (e.g. counts), with FDR and classes."""
    values = np.asarray(values)
    if values.shape != (grid.n_cells,):
        raise ValueError("one value per study-area cell is needed")
    counts = _whole(values)
    if counts is not None:
        lag, cardinality = neighbour_sums(grid, counts, weights)
        found = _by_distinct_pairs(counts, lag, cardinality, fdr)
        if found is not None:
            return found
    values = values.astype(np.float64)
    lag, cardinality = neighbour_sums(grid, values, weights)
    z = gi_star_from_sums(values, lag, cardinality)
    p = two_sided_p(z)
    p_fdr = benjamini_hochberg(p)
    return GiStar(z=z, p=p, p_fdr=p_fdr, classes=classify(z, p_fdr if fdr else p),
                  neighbours=cardinality.astype(np.int64))


def _by_distinct_pairs(counts: np.ndarray, lag: np.ndarray, cardinality: np.ndarray,
                       fdr: bool) -> GiStar | None:
    """Gi* of counts: z depends only on the pair (neighbour sum, neighbour count), both
    whole numbers, and a map of counts has few distinct pairs. So z, p, p_fdr and the
    class are computed once per pair and looked up: the same numbers as cell by cell,
    several times faster. None when there are too many pairs for a lookup table."""
    width = int(cardinality.max(initial=0)) + 1
    key = lag * width + cardinality
    if key.max(initial=0) >= MAX_PAIR_KEYS:
        return None
    multiplicity = np.bincount(key)
    present = np.flatnonzero(multiplicity)
    z = _z(present // width, present % width, *_moments(counts.astype(np.float64)))
    p = two_sided_p(z)
    # Benjamini-Hochberg over the cells: each pair stands for `multiplicity` equal p-values.
    order = np.argsort(p)
    last_rank = np.cumsum(multiplicity[present][order])
    ranked = p[order] * counts.size / last_rank
    p_fdr = np.empty(present.size)
    p_fdr[order] = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    classes = classify(z, p_fdr if fdr else p)
    table = np.zeros(int(present[-1]) + 1, dtype=np.int64)
    table[present] = np.arange(present.size)
    index = table[key]
    return GiStar(z=z[index], p=p[index], p_fdr=p_fdr[index], classes=classes[index],
                  neighbours=cardinality)


def weight_matrix(grid: Grid, weights: Weights = QUEEN_WEIGHTS) -> sparse.csr_matrix:
    """The same weights as a sparse n x n matrix (diagonal = 1), in cell order."""
    pattern = weights.pattern(grid.cell_size)
    reach = pattern.shape[0] // 2
    rows, cols = grid.rows_cols()
    nrows, ncols = grid.shape
    lookup = np.full(grid.mask.size, -1, dtype=np.int64)
    lookup[grid.flat_index] = np.arange(grid.n_cells)
    sources, targets = [], []
    for dr, dc in zip(*np.nonzero(pattern), strict=True):
        r = rows + (dr - reach)
        c = cols + (dc - reach)
        ok = (r >= 0) & (r < nrows) & (c >= 0) & (c < ncols)
        neighbour = np.full(rows.shape, -1, dtype=np.int64)
        neighbour[ok] = lookup[r[ok] * ncols + c[ok]]
        keep = neighbour >= 0
        sources.append(np.flatnonzero(keep))
        targets.append(neighbour[keep])
    i = np.concatenate(sources)
    j = np.concatenate(targets)
    data = np.ones(i.size)
    return sparse.csr_matrix((data, (i, j)), shape=(grid.n_cells, grid.n_cells))
