"""Hit rate, PAI and PEI of a forecast at a share of the area, with their definitions.

A forecast ranks the cells; the method "points at" the top k = ceil(share x cells) cells
(every cell has the same area, so the share of cells is the share of the area). Cells with
the same score at the cut are tied: rather than an arbitrary order deciding, the hits of
the tied cells count in proportion (the expected hits under a random order among them),
so a forecast that cannot tell cells apart (e.g. many zeros) earns no luck and no penalty.

The definitions are data (`METRIC_DEFINITIONS`) so that every page, API answer and
benchmark prints them beside the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SHARES = (0.01, 0.05)

METRIC_DEFINITIONS: dict[str, dict[str, str]] = {
    "hit_rate": {
        "en": "Hit rate: the share of the month's events that fell in the cells the method "
              "pointed at (n / N).",
        "nl": "Trefkans: het deel van de gebeurtenissen van de maand dat viel in de cellen "
              "die de methode aanwees (n / N).",
    },
    "pai": {
        "en": "PAI (Predictive Accuracy Index, Chainey, Tompson and Uhlig 2008): hit rate "
              "divided by the share of the area pointed at ((n / N) / (a / A)); 1 is what "
              "a random choice of cells scores on average, higher is better.",
        "nl": "PAI (Predictive Accuracy Index, Chainey, Tompson en Uhlig 2008): trefkans "
              "gedeeld door het aandeel van het gebied dat werd aangewezen ((n / N) / (a / A)); "
              "1 is wat een willekeurige keuze van cellen gemiddeld haalt, hoger is beter.",
    },
    "pei": {
        "en": "PEI (Predictive Efficiency Index, Hunt 2016): the events in the cells pointed "
              "at divided by the most events any choice of as many cells could have held "
              "(n / n*); between 0 and 1, 1 is perfect.",
        "nl": "PEI (Predictive Efficiency Index, Hunt 2016): de gebeurtenissen in de "
              "aangewezen cellen gedeeld door het hoogste aantal dat een keuze van evenveel "
              "cellen had kunnen bevatten (n / n*); tussen 0 en 1, 1 is perfect.",
    },
    "ties": {
        "en": "Cells tied at the cut count in proportion (expected hits under a random "
              "order among the tied cells).",
        "nl": "Cellen met dezelfde score op de grens tellen naar verhouding mee (verwachte "
              "treffers bij een willekeurige volgorde van die cellen).",
    },
}


@dataclass(frozen=True)
class Score:
    """The metrics of one forecast at one share of the area. None where undefined (no
    events in the month)."""

    share: float
    cells: int  # k, the cells pointed at
    events: float  # N, the month's events in the study area
    hits: float  # n, expected hits (see the module text on ties)
    hit_rate: float | None
    pai: float | None
    pei: float | None


def cells_for(share: float, n_cells: int) -> int:
    """k = ceil(share x cells), at least one cell and at most all."""
    if not 0 < share <= 1:
        raise ValueError("the share of the area must be in (0, 1]")
    return min(n_cells, max(1, math.ceil(share * n_cells - 1e-9)))


def expected_hits(forecast: np.ndarray, actual: np.ndarray, k: int) -> float:
    """Events in the top-k cells of `forecast`, ties at the cut shared in proportion."""
    forecast = np.asarray(forecast, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    if k <= 0:
        return 0.0
    if k >= forecast.size:
        return float(actual.sum())
    cut = np.partition(forecast, forecast.size - k)[forecast.size - k]  # k-th largest
    above = forecast > cut
    tied = forecast == cut
    room = k - int(above.sum())
    return float(actual[above].sum() + room * actual[tied].sum() / int(tied.sum()))


def best_possible(actual: np.ndarray, k: int) -> float:
    """n*: the most events any k cells held."""
    actual = np.asarray(actual, dtype=np.float64)
    if k >= actual.size:
        return float(actual.sum())
    return float(np.partition(actual, actual.size - k)[actual.size - k:].sum())


def score(forecast: np.ndarray, actual: np.ndarray, share: float) -> Score:
    """Hit rate, PAI and PEI of `forecast` (a score per cell) against `actual` (events per
    cell in the forecast period) when the top `share` of the area is pointed at."""
    forecast = np.asarray(forecast, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    if forecast.shape != actual.shape or forecast.ndim != 1 or forecast.size == 0:
        raise ValueError("forecast and actual need one value per cell")
    k = cells_for(share, forecast.size)
    total = float(actual.sum())
    hits = expected_hits(forecast, actual, k)
    if total <= 0:
        return Score(share, k, total, hits, None, None, None)
    hit_rate = hits / total
    area = k / forecast.size
    best = best_possible(actual, k)
    return Score(share, k, total, hits, hit_rate, hit_rate / area,
                 hits / best if best > 0 else None)
