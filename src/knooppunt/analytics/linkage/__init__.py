"""Record linkage of person records across partners: the pure core (Splink on DuckDB, no Django).

- `records`: what a source supplies and its normalised, checked form (tussenvoegsels,
  initials, day-month dates, postcode + house number, BSN elfproef);
- `model`: the Splink settings — comparisons, blocking rules, training rules;
- `engine`: training (u by random sampling, m by expectation-maximisation), prediction, and
  the per-field explanation of each candidate pair (the waterfall);
- `clusters`: connected components at a threshold, as *proposals* only;
- `evaluation`: precision, recall and F1 against known true pairs;
- `synthetic`: invented Dutch person records with realistic faults.

Nothing here merges records or scores a person: the output is candidate pairs and proposed
clusters with probabilities, for a person to confirm or reject (decision 0045).
"""

from .clusters import PROPOSED, ProposedCluster, pairs_within, propose_clusters
from .engine import (
    DEFAULT_THRESHOLD,
    DEFAULT_U_PAIRS,
    CandidatePair,
    FieldEvidence,
    LevelParameters,
    LinkageResult,
    NotEnoughRecords,
    find_candidates,
)
from .evaluation import PairScores, score_pairs
from .records import NormalisedRecord, PersonRecord, normalise

__all__ = [
    "DEFAULT_THRESHOLD", "DEFAULT_U_PAIRS", "PROPOSED", "CandidatePair", "FieldEvidence",
    "LevelParameters",
    "LinkageResult", "NormalisedRecord", "NotEnoughRecords", "PairScores", "PersonRecord",
    "ProposedCluster", "find_candidates", "normalise", "pairs_within", "propose_clusters",
    "score_pairs",
]
