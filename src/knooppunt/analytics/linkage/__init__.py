"""Record linkage of person records across partners: the pure core (Splink on DuckDB, no Django).

- `records`: what a source supplies and its normalised, checked form (tussenvoegsels,
  initials, day-month dates, postcode + house number, BSN elfproef);
- `companies`, `vehicles`: the same for companies (KvK number, trade name, address) and
  vehicles (Dutch licence plates, make, colour), each with its Splink model;
- `model`: the Splink settings for persons — comparisons, blocking rules, training rules;
- `kinds`: what the engine needs per kind of record (person, company, vehicle);
- `backends`: DuckDB in memory (default) or Spark, the same model on both;
- `engine`: training (u by random sampling, m by expectation-maximisation), prediction, and
  the per-field explanation of each candidate pair (the waterfall);
- `clusters`: connected components at a threshold, as *proposals* only;
- `evaluation`: precision, recall and F1 against known true pairs;
- `synthetic`: invented Dutch person records with realistic faults.

Nothing here merges records or scores a person: the output is candidate pairs and proposed
clusters with probabilities, for a person to confirm or reject (decision 0045).
"""

from .backends import DuckDBBackend, SparkBackend, local_spark
from .clusters import PROPOSED, ProposedCluster, pairs_within, propose_clusters
from .companies import CompanyRecord, NormalisedCompany, normalise_company
from .engine import (
    DEFAULT_THRESHOLD,
    DEFAULT_TRAIN_RECORDS,
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
from .vehicles import NormalisedVehicle, VehicleRecord, normalise_vehicle

__all__ = [
    "DEFAULT_THRESHOLD", "DEFAULT_TRAIN_RECORDS", "DEFAULT_U_PAIRS", "PROPOSED",
    "CandidatePair", "CompanyRecord",
    "DuckDBBackend", "FieldEvidence", "LevelParameters", "LinkageResult", "NormalisedCompany",
    "NormalisedRecord", "NormalisedVehicle", "NotEnoughRecords", "PairScores", "PersonRecord",
    "ProposedCluster", "SparkBackend", "VehicleRecord", "find_candidates", "local_spark",
    "normalise", "normalise_company", "normalise_vehicle", "pairs_within", "propose_clusters",
    "score_pairs",
]
