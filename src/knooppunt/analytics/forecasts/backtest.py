"""Rolling-origin backtests, the choice of the method users see, and refusals.

For each held-out month T (the origin), everything is made from months before T only:
the grid (`grid_for(T)`, the caller's function), the count panel (the engine is asked for
months < T), the baselines, the features and the training rows of the learned model (whose
targets end before T). Only then are the events of T (or T..T+h-1 for a horizon of h
months) counted and the forecasts scored at each share of the area.

The rule for what users see (issue 15): the learned model is shown only when it beats the
best baseline (the one with the highest mean PAI at 5 %) in at least 9 of 12 held-out
months (three quarters, rounded up, for another number of months) and its mean PAI at 5 %
is at least 5 % higher; otherwise the best baseline is shown, with the reason.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..hotspots.grid import Grid
from . import baselines, model
from .features import (
    DEFAULT_FEATURES,
    LAGS_NEEDED,
    FeatureMaker,
    MissingSource,
    check_features,
    sources_needed,
)
from .metrics import SHARES, Score, score
from .panel import EventTable, month_label

MIN_HISTORY_MONTHS = 24
MIN_EVENTS = 120  # in the 12 months before an origin: fewer and the metrics are noise
TRAIN_MONTHS = 24  # months of training rows before an origin
DECISION_SHARE = 0.05
MIN_WIN_FRACTION = 0.75  # 9 of 12
MIN_RELATIVE_GAIN = 0.05


class ForecastRefused(ValueError):
    """A forecast or backtest that cannot be made honestly; `code` names the reason."""

    MESSAGES = {
        "too_little_history": (
            "Te weinig geschiedenis: {months} maanden vóór {month}, minstens {needed} nodig.",
            "Too little history: {months} months before {month}, at least {needed} needed."),
        "too_few_events": (
            "Te weinig gebeurtenissen: {events} in de 12 maanden vóór {month}, minstens "
            "{needed} nodig.",
            "Too few events: {events} in the 12 months before {month}, at least {needed} "
            "needed."),
        "too_few_months": (
            "Een backtest heeft minstens {needed} maanden nodig; gevraagd: {months}.",
            "A backtest needs at least {needed} held-out months; asked: {months}."),
    }

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        nl, en = self.MESSAGES[code]
        self.message_nl = nl.format(**params)
        self.message_en = en.format(**params)
        super().__init__(self.message_en)


@dataclass
class Prediction:
    """The forecasts of every method for one origin, and what the model was fitted on."""

    origin: int
    horizon: int
    grid: Grid
    forecasts: dict[str, np.ndarray]
    fitted: model.FittedModel | None
    features_now: np.ndarray | None  # the forecast month's feature rows (for explanations)
    training_rows: int
    seconds: dict[str, float]


@dataclass
class MonthResult:
    origin: int
    events: float
    cells: int
    scores: dict[str, dict[float, Score]]  # method -> share -> score


@dataclass
class BacktestResult:
    months: list[MonthResult]
    methods: tuple[str, ...]
    horizon: int
    features: tuple[str, ...]
    seconds: dict[str, float] = field(default_factory=dict)

    def values(self, method: str, share: float, metric: str) -> list[float | None]:
        return [getattr(m.scores[method][share], metric) for m in self.months]

    def mean(self, method: str, share: float, metric: str) -> float | None:
        values = [v for v in self.values(method, share, metric) if v is not None]
        return float(np.mean(values)) if values else None


@dataclass(frozen=True)
class Choice:
    method: str  # what users see
    best_baseline: str
    learned_shown: bool
    wins: int
    months: int
    wins_needed: int
    relative_gain: float | None  # mean PAI at 5 %: learned / best baseline - 1
    reason_en: str
    reason_nl: str


def _check_history(events: EventTable, origin: int) -> int:
    history = events.history(origin)
    if history is None:
        raise ForecastRefused("too_little_history", months=0, month=month_label(origin),
                              needed=MIN_HISTORY_MONTHS)
    first, _ = history
    months = origin - first
    if months < MIN_HISTORY_MONTHS:
        raise ForecastRefused("too_little_history", months=months, month=month_label(origin),
                              needed=MIN_HISTORY_MONTHS)
    return first


def predict(events: EventTable, grid: Grid, origin: int, *, horizon: int = 1,
            features: Sequence[str] = DEFAULT_FEATURES, learned: bool = True,
            train_months: int = TRAIN_MONTHS, min_events: int = MIN_EVENTS,
            covariates: Mapping[str, EventTable] | None = None) -> Prediction:
    """Every method's forecast for months origin..origin+horizon-1 from earlier months only.

    `covariates`: the tables of the source features by name (features.SOURCE_FEATURES:
    other, incidents, buildings, vacant, companies), asked only for months < origin."""
    features = check_features(features)
    covariates = covariates or {}
    if horizon < 1:
        raise ValueError("the horizon is at least one month")
    first = _check_history(events, origin)
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    start = max(first, origin - LAGS_NEEDED - train_months - horizon + 1)
    panel = events.panel(grid, start, origin)
    seconds["panel"] = time.perf_counter() - t
    recent = int(panel[:, -12:].sum())
    if recent < min_events:
        raise ForecastRefused("too_few_events", events=recent, month=month_label(origin),
                              needed=min_events)
    forecasts: dict[str, np.ndarray] = {}
    t = time.perf_counter()
    forecasts[baselines.LAST_MONTH] = baselines.last_month(panel)
    forecasts[baselines.LAST_12_MONTHS] = baselines.last_12_months(panel)
    x, y = events.points(origin - 12, origin)
    forecasts[baselines.KDE_12_MONTHS] = baselines.kde_12_months(grid, x, y)
    seconds["baselines"] = time.perf_counter() - t
    fitted = None
    rows_now = None
    training_rows = 0
    if learned:
        t = time.perf_counter()
        sources = {}
        for table, value in sorted(sources_needed(features)):
            if table not in covariates:
                name = next(f for f in features if (table, value) in sources_needed((f,)))
                raise MissingSource(name, table)
            sources[(table, value)] = covariates[table].known(grid, start, origin, value)
        maker = FeatureMaker(grid, panel, start, features, horizon, sources)
        width = panel.shape[1]
        X, target = maker.training(range(LAGS_NEEDED, width - horizon + 1))
        training_rows = X.shape[0]
        fitted = model.fit(X, target, features)
        rows_now = maker.rows(width)
        forecasts[model.LEARNED] = fitted.predict(rows_now)
        seconds["learned"] = time.perf_counter() - t
    return Prediction(origin, horizon, grid, forecasts, fitted, rows_now, training_rows,
                      seconds)


def backtest(events: EventTable, grid_for: Callable[[int], Grid], origins: Sequence[int], *,
             horizon: int = 1, features: Sequence[str] = DEFAULT_FEATURES,
             learned: bool = True, shares: Sequence[float] = SHARES,
             min_months: int = 12, covariates: Mapping[str, EventTable] | None = None,
             **options: int) -> BacktestResult:
    """Rolling-origin backtest over `origins` (month indexes); see the module text."""
    features = check_features(features)
    if len(origins) < min_months:
        raise ForecastRefused("too_few_months", months=len(origins), needed=min_months)
    months: list[MonthResult] = []
    seconds: dict[str, float] = {}
    methods: tuple[str, ...] = ()
    for origin in origins:
        grid = grid_for(origin)
        prediction = predict(events, grid, origin, horizon=horizon, features=features,
                             learned=learned, covariates=covariates, **options)
        for key, value in prediction.seconds.items():
            seconds[key] = seconds.get(key, 0.0) + value
        actual = events.panel(grid, origin, origin + horizon).sum(axis=1)
        methods = tuple(prediction.forecasts)
        scores = {name: {share: score(forecast, actual, share) for share in shares}
                  for name, forecast in prediction.forecasts.items()}
        months.append(MonthResult(origin, float(actual.sum()), grid.n_cells, scores))
    return BacktestResult(months, methods, horizon, features, seconds)


def choose(result: BacktestResult, share: float = DECISION_SHARE) -> Choice:
    """The method users see, by the rule in the module text, with the reason."""
    candidates = [m for m in baselines.BASELINES if m in result.methods]
    means = {m: result.mean(m, share, "pai") for m in candidates}
    best = max(candidates, key=lambda m: -math.inf if means[m] is None else means[m])
    n = len(result.months)
    needed = math.ceil(MIN_WIN_FRACTION * n)
    percent = f"{share:.0%}"
    if model.LEARNED not in result.methods:
        return Choice(best, best, False, 0, n, needed, None,
                      f"No learned model was evaluated; the best baseline is {best}.",
                      f"Er is geen geleerd model geëvalueerd; de beste basislijn is {best}.")
    learned = result.values(model.LEARNED, share, "pai")
    base = result.values(best, share, "pai")
    wins = sum(1 for a, b in zip(learned, base, strict=True)
               if a is not None and b is not None and a > b)
    mean_learned = result.mean(model.LEARNED, share, "pai")
    gain = (mean_learned / means[best] - 1
            if mean_learned is not None and means[best] else None)
    gain_text = "n/a" if gain is None else f"{gain:+.1%}"
    if wins >= needed and gain is not None and gain >= MIN_RELATIVE_GAIN:
        return Choice(model.LEARNED, best, True, wins, n, needed, gain,
                      f"The learned model beat the best baseline ({best}) in {wins} of {n} "
                      f"months and its mean PAI at {percent} is {gain_text} relative.",
                      f"Het geleerde model was beter dan de beste basislijn ({best}) in "
                      f"{wins} van {n} maanden en de gemiddelde PAI bij {percent} is "
                      f"{gain_text} relatief.")
    return Choice(best, best, False, wins, n, needed, gain,
                  f"The learned model is not shown: it beat the best baseline ({best}) in "
                  f"{wins} of {n} months (needed {needed}) with a relative PAI gain at "
                  f"{percent} of {gain_text} (needed +{MIN_RELATIVE_GAIN:.0%}); the best "
                  "baseline is shown.",
                  f"Het geleerde model wordt niet getoond: het was beter dan de beste "
                  f"basislijn ({best}) in {wins} van {n} maanden (nodig {needed}), met een "
                  f"relatieve PAI-winst bij {percent} van {gain_text} (nodig "
                  f"+{MIN_RELATIVE_GAIN:.0%}); de beste basislijn wordt getoond.")
