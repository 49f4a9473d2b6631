"""Measures: the registered functions that compute indicators (see `registry`).

Importing this package registers the built-in measures.
"""

from . import cases, signals, statistics, visits  # noqa: F401
from .registry import Measure, MeasureRow, all_measures, get_measure, register

__all__ = ["Measure", "MeasureRow", "all_measures", "get_measure", "register"]
