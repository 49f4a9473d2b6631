"""Place-based forecasts: the pure core (numpy/scikit-learn, any projected CRS, no Django).

- `panel`: months as integers, the cell x month count panel built by the analytics engine;
- `metrics`: hit rate, PAI and PEI at a share of the area, with their definitions as data;
- `baselines`: last month, last 12 months, kernel density of the last 12 months;
- `features`: the feature allow-list and the feature matrix of (cell, month) rows;
- `model`: gradient boosting with a Poisson loss, and per-cell explanations by ablation;
- `areas`: a study area from the events before the origin (data without a boundary);
- `backtest`: rolling-origin backtests, the choice of the method users see, refusals.

Nothing here reads a month's data when forecasting that month: every function takes the
month it forecasts and asks the engine only for earlier months (tests/analytics/
test_forecast_core.py changes the future and checks the forecast stays the same).
"""

from .backtest import (
    BacktestResult,
    Choice,
    ForecastRefused,
    backtest,
    choose,
)
from .features import (
    ALLOWED_FEATURES,
    BASE_FEATURES,
    CROSS_TYPE_FEATURES,
    DEFAULT_FEATURES,
    INCIDENT_FEATURES,
    REGISTER_FEATURES,
    SIGNAL_SOURCE_FEATURES,
    ForbiddenFeature,
    MissingSource,
)
from .metrics import METRIC_DEFINITIONS, SHARES, score
from .panel import EventTable, month_index, month_label

__all__ = [
    "ALLOWED_FEATURES", "BASE_FEATURES", "CROSS_TYPE_FEATURES", "DEFAULT_FEATURES",
    "INCIDENT_FEATURES", "METRIC_DEFINITIONS", "REGISTER_FEATURES", "SHARES",
    "SIGNAL_SOURCE_FEATURES",
    "BacktestResult", "MissingSource",
    "Choice", "EventTable", "ForbiddenFeature", "ForecastRefused", "backtest", "choose",
    "month_index", "month_label", "score",
]
