"""Integer ids in the processing log as runs: "17-2040" for 17, 18, ..., 2040.

A map layer serves tens of thousands of records at once; listing each id as its own
string made the log row the largest part of the answer (benchmarks/map_benchmark.py).
Runs of consecutive ids hold exactly the same set (`expand` gives it back, tested both
ways), so the row still names every record that was served, and a reader who asks
"who saw record 1234" checks `contains`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def encode(ids: Iterable[int] | np.ndarray) -> tuple[list[str], int]:
    """The distinct ids as sorted runs, and how many ids there are."""
    if not isinstance(ids, np.ndarray):
        ids = np.fromiter((int(i) for i in ids), dtype=np.int64)
    values = np.sort(ids.astype(np.int64))  # np.unique's hashing is slower on 100,000
    if values.size == 0:
        return [], 0
    values = values[np.concatenate(([True], np.diff(values) != 0))]
    # A run ends where the next id is not the next integer.
    breaks = np.flatnonzero(np.diff(values) != 1)
    starts = values[np.concatenate(([0], breaks + 1))]
    ends = values[np.concatenate((breaks, [values.size - 1]))]
    runs = [str(a) if a == b else f"{a}-{b}" for a, b in zip(starts.tolist(), ends.tolist(),
                                                              strict=True)]
    return runs, int(values.size)


def _bounds(run: str) -> tuple[int, int]:
    first, _, last = run.partition("-")
    return int(first), int(last or first)


def expand(runs: Iterable[str]) -> list[int]:
    """The ids the runs hold, ascending."""
    ids: list[int] = []
    for run in runs:
        first, last = _bounds(run)
        ids.extend(range(first, last + 1))
    return ids


def contains(runs: Iterable[str], identifier: int) -> bool:
    """Does one of the runs hold `identifier`?"""
    return any(first <= identifier <= last for first, last in map(_bounds, runs))
