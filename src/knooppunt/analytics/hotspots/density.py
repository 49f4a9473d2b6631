"""Kernel density of events on a grid (quartic or Gaussian), bandwidth stated.

Method (binned KDE with linear binning, Wand 1994; Wand and Jones 1995, ch. 2.3): each
event is shared between the four cell centres around it in proportion to its closeness
(bilinear weights: the mass and the mean position of the events are kept exactly), and
the binned raster is convolved with the kernel evaluated at whole-cell offsets (FFT for
wide kernels). The discrete kernel is scaled to sum to one, so every event adds exactly
one event to the map: density x cell area summed over the raster equals the number of
events (minus what spills over the area's edge). The error of the binning against an
exact kernel sum is of order (cell / bandwidth)^2; the bandwidth is never below one cell.

Kernels (d = distance, h = bandwidth):
- quartic (biweight, as ArcGIS's Kernel Density and CrimeStat): (1 - d^2/h^2)^2 for d < h;
- gaussian: exp(-d^2 / (2 h^2)), cut off at 4 h.

Default bandwidth (when none is given) is the spatial variant of Silverman's rule of
thumb that ArcGIS uses:

    h = 0.9 * min(SD, sqrt(1 / ln 2) * Dm) * n^(-1/5)

with SD the standard distance of the events, Dm their median distance to the mean
centre and n the number of events; then at least one cell. Densities are events per km².
Only events in study-area cells are used (the same events the counts count).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage, signal

from .grid import Grid

QUARTIC = "quartic"
GAUSSIAN = "gaussian"
KERNELS = (QUARTIC, GAUSSIAN)
GAUSSIAN_CUTOFF = 4.0
DIRECT_LIMIT = 15  # kernels up to this many cells wide are convolved directly


@dataclass(frozen=True)
class Density:
    values: np.ndarray  # events per km², per study-area cell
    bandwidth: float  # metres
    kernel: str
    rule: str  # how the bandwidth was chosen


def default_bandwidth(x: np.ndarray, y: np.ndarray, cell_size: float) -> float:
    """ArcGIS's spatial Silverman rule (see the module text), at least one cell."""
    n = x.size
    if n < 2:
        return float(cell_size)
    mx, my = x.mean(), y.mean()
    standard_distance = math.sqrt(float(x.var() + y.var()))
    median_distance = float(np.median(np.hypot(x - mx, y - my)))
    spread = min(standard_distance, math.sqrt(1 / math.log(2)) * median_distance)
    return max(0.9 * spread * n ** -0.2, float(cell_size))


def kernel_pattern(kernel: str, bandwidth: float, cell_size: float) -> np.ndarray:
    """The kernel at whole-cell offsets, scaled to sum to one."""
    if kernel not in KERNELS:
        raise ValueError(f"unknown kernel {kernel!r}")
    reach_m = bandwidth if kernel == QUARTIC else GAUSSIAN_CUTOFF * bandwidth
    reach = int(math.floor(reach_m / cell_size))
    offsets = np.arange(-reach, reach + 1) * cell_size
    dx, dy = np.meshgrid(offsets, offsets)
    d2 = (dx * dx + dy * dy) / (bandwidth * bandwidth)
    if kernel == QUARTIC:
        weights = np.where(d2 < 1.0, (1.0 - d2) ** 2, 0.0)
    else:
        weights = np.where(d2 <= GAUSSIAN_CUTOFF**2, np.exp(-0.5 * d2), 0.0)
    return weights / weights.sum()


def linear_binning(grid: Grid, x: np.ndarray, y: np.ndarray, pad: int) -> np.ndarray:
    """Events shared over the four nearest cell centres, on the raster padded by `pad`."""
    rows, cols = grid.shape
    u = (x - grid.x0) / grid.cell_size - 0.5 + pad
    v = (y - grid.y0) / grid.cell_size - 0.5 + pad
    c0 = np.floor(u)
    r0 = np.floor(v)
    fu = u - c0
    fv = v - r0
    c0 = c0.astype(np.int64)
    r0 = r0.astype(np.int64)
    width = cols + 2 * pad
    size = (rows + 2 * pad) * width
    base = r0 * width + c0
    binned = np.bincount(base, weights=(1 - fu) * (1 - fv), minlength=size)
    binned += np.bincount(base + 1, weights=fu * (1 - fv), minlength=size)
    binned += np.bincount(base + width, weights=(1 - fu) * fv, minlength=size)
    binned += np.bincount(base + width + 1, weights=fu * fv, minlength=size)
    return binned[:size].reshape(rows + 2 * pad, width)


def kernel_density(grid: Grid, x: np.ndarray, y: np.ndarray, *, kernel: str = QUARTIC,
                   bandwidth: float | None = None) -> Density:
    """Density (events per km²) at every study-area cell of the events (x, y)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    inside = grid.locate(x, y) >= 0
    x, y = x[inside], y[inside]
    if bandwidth is None:
        bandwidth = default_bandwidth(x, y, grid.cell_size)
        rule = "ArcGIS spatial Silverman rule, at least one cell"
    else:
        if not bandwidth > 0 or not math.isfinite(bandwidth):
            raise ValueError("the bandwidth must be a positive number of metres")
        rule = "given"
    bandwidth = float(bandwidth)
    pattern = kernel_pattern(kernel, bandwidth, grid.cell_size)
    reach = pattern.shape[0] // 2
    pad = reach + 1
    binned = linear_binning(grid, x, y, pad)
    if pattern.shape[0] <= DIRECT_LIMIT:
        smoothed = ndimage.correlate(binned, pattern, mode="constant", cval=0.0)
    else:
        # The pattern is symmetric, so convolution equals correlation.
        smoothed = signal.fftconvolve(binned, pattern, mode="same")
        np.maximum(smoothed, 0.0, out=smoothed)  # FFT round-off around empty space
    rows, cols = grid.shape
    smoothed = smoothed[pad:pad + rows, pad:pad + cols]
    per_km2 = 1e6 / (grid.cell_size * grid.cell_size)
    return Density(values=grid.from_raster(smoothed) * per_km2, bandwidth=bandwidth,
                   kernel=kernel, rule=rule)
