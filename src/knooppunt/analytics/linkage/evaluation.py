"""Precision, recall and F1 of predicted pairs against known true pairs (for benchmarks)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PairScores:
    """Pair-level quality: true positives, false positives, false negatives and ratios."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        truth = self.true_positives + self.false_negatives
        return self.true_positives / truth if truth else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def ordered(left: str, right: str) -> tuple[str, str]:
    """A pair as a sorted tuple, so (a, b) and (b, a) count once."""
    return (left, right) if left <= right else (right, left)


def score_pairs(predicted: Iterable[tuple[str, str]], truth: Iterable[tuple[str, str]]
                ) -> PairScores:
    """Compare predicted pairs with true pairs, order within a pair ignored."""
    found = {ordered(a, b) for a, b in predicted}
    true = {ordered(a, b) for a, b in truth}
    hits = len(found & true)
    return PairScores(true_positives=hits, false_positives=len(found) - hits,
                      false_negatives=len(true) - hits)
