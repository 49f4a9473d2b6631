"""Run the linkage: train the model by expectation-maximisation, score pairs, explain them.

In: normalised records (see `records`). Out: plain data — candidate pairs with a match
probability and, per field, the level that applied and its match weight (the waterfall:
prior weight + the field weights = the pair's match weight). Nothing is merged here or
anywhere in this package: a pair is a proposal for a person to confirm or reject.

Splink runs on an in-memory DuckDB connection per call, limited to the threads asked for.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from splink import DuckDBAPI, Linker, block_on

from .model import ADDRESS_FIELDS, fields_in_use, person_settings, training_rules
from .records import NormalisedRecord

# A candidate at least as likely as not goes to review; see decision 0045 for the sweep.
DEFAULT_THRESHOLD = 0.5
# Pairs sampled to estimate u; 5e5 gave the same FEBRL scores as 1e6 in half the time.
DEFAULT_U_PAIRS = 5e5
_COLUMNS = ("unique_id", "source_dataset", "first_name", "initials", "surname",
            "surname_prefix", "dob", "postcode", "house_number", "street", "city", "bsn", "kvk",
            "other_id")


class NotEnoughRecords(ValueError):
    """Training needs records to compare; refused rather than guessing parameters."""


@dataclass(frozen=True)
class FieldEvidence:
    """One bar of the waterfall: how one field compared and what that weighed."""

    field: str
    level: str
    match_weight: float  # log2 Bayes factor; > 0 speaks for a match, < 0 against
    left_value: str | None
    right_value: str | None


@dataclass(frozen=True)
class CandidatePair:
    """A proposed match between two records; never acted on without a person."""

    left_id: str
    right_id: str
    left_source: str
    right_source: str
    match_probability: float
    match_weight: float
    prior_weight: float
    evidence: tuple[FieldEvidence, ...]

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class LevelParameters:
    """What training learnt for one comparison level."""

    field: str
    level: str
    m_probability: float | None
    u_probability: float | None
    match_weight: float | None


@dataclass(frozen=True)
class LinkageResult:
    """Candidate pairs at or above the threshold, the learnt parameters, and timings."""

    link_type: str
    threshold: float
    fields: tuple[str, ...]
    pairs: tuple[CandidatePair, ...]
    parameters: tuple[LevelParameters, ...]
    prior_probability: float
    seconds: dict[str, float] = field(default_factory=dict)
    records: int = 0


def _to_arrow(records: Sequence[NormalisedRecord], fields: list[str]) -> pa.Table:
    keep = [c for c in _COLUMNS if c in ("unique_id", "source_dataset", "initials") or c in fields
            or (c == "surname" and "first_name" in fields)]
    return pa.table({c: pa.array([getattr(r, c) for r in records], type=pa.string())
                     for c in keep})


def _present_fields(records: Sequence[NormalisedRecord]) -> list[str]:
    present = set()
    for name in ("first_name", "surname", "dob", "postcode", "house_number", "street",
                 "city", "bsn", "kvk", "other_id"):
        if any(getattr(r, name) is not None for r in records):
            present.add(name)
    return fields_in_use(present)


def _labels(linker: Linker) -> dict[str, dict[int, str]]:
    labels: dict[str, dict[int, str]] = {}
    for comparison in linker._settings_obj.comparisons:
        labels[comparison.output_column_name] = {
            level.comparison_vector_value: level.label_for_charts
            for level in comparison.comparison_levels}
    return labels


def _parameters(linker: Linker) -> tuple[LevelParameters, ...]:
    out = []
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            m, u = level.m_probability, level.u_probability
            weight = math.log2(m / u) if m and u else None
            out.append(LevelParameters(comparison.output_column_name, level.label_for_charts,
                                       m, u, weight))
    return tuple(out)


def find_candidates(records: Sequence[NormalisedRecord], *, link_type: str = "dedupe_only",
                    threshold: float = DEFAULT_THRESHOLD, threads: int = 2,
                    u_sample_pairs: float = DEFAULT_U_PAIRS, seed: int = 42) -> LinkageResult:
    """Train on `records` and return the candidate pairs with probability >= threshold.

    `link_type` "link_only" links across `source_dataset`s (records from one source are not
    compared with each other); "dedupe_only" compares all records with each other.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError("threshold must lie strictly between 0 and 1")
    if link_type not in ("dedupe_only", "link_only"):
        raise ValueError(f"unknown link type {link_type!r}")
    if len(records) < 2:
        raise NotEnoughRecords("at least two records are needed")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    fields = _present_fields(records)
    if not fields:
        raise NotEnoughRecords("no record has a field that can be compared")
    table = _to_arrow(records, fields)
    con = duckdb.connect(":memory:", config={"threads": threads})
    db_api = DuckDBAPI(connection=con)
    splink_logger = logging.getLogger("splink")
    previous_level = splink_logger.level
    # Splink warns about levels that training never saw (e.g. no swapped dates in a file);
    # those levels keep Splink's defaults, which is right, so the warnings are noise here.
    splink_logger.setLevel(logging.ERROR)
    try:
        return _run(records, fields, table, con, db_api, link_type, threshold, u_sample_pairs,
                    seed, timings, start)
    finally:
        splink_logger.setLevel(previous_level)
        con.close()


def _run(records: Sequence[NormalisedRecord], fields: list[str], table: pa.Table,
         con: duckdb.DuckDBPyConnection, db_api: DuckDBAPI, link_type: str, threshold: float,
         u_sample_pairs: float, seed: int, timings: dict[str, float],
         start: float) -> LinkageResult:
    if link_type == "link_only":
        sources = sorted({r.source_dataset for r in records})
        if len(sources) < 2:
            raise NotEnoughRecords("linking needs records from at least two sources")
        frames = []
        for i, source in enumerate(sources):
            con.register(f"input_{i}", table.filter(pc.equal(table["source_dataset"], source)))
            frames.append(db_api.register(f"input_{i}", dataset_display_name=source))
    else:
        con.register("input_0", table)
        frames = [db_api.register("input_0", dataset_display_name="records")]
    linker = Linker(frames, person_settings(fields, link_type), log_level=logging.ERROR)
    timings["prepare"] = time.perf_counter() - start

    start = time.perf_counter()
    # The prior (share of pairs that match) from rules that rarely join two people.
    deterministic = [r for r in (("first_name", "surname", "dob"), ("bsn",))
                     if set(r) <= set(fields)]
    if deterministic:
        linker.training.estimate_probability_two_random_records_match(
            [block_on(*r) for r in deterministic], recall=0.7)
    lap = time.perf_counter()
    linker.training.estimate_u_using_random_sampling(max_pairs=u_sample_pairs, seed=seed,
                                                      num_chunks=1, min_count_per_level=None)
    timings["train_u"] = time.perf_counter() - lap
    lap = time.perf_counter()
    for rule in training_rules(fields):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True)
    timings["train_em"] = time.perf_counter() - lap
    timings["train"] = time.perf_counter() - start

    start = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    # The table name is Splink's own, not user input.
    sql = f"SELECT * FROM {predictions.physical_name}"  # noqa: S608
    rows = con.sql(sql).to_arrow_table().to_pylist()
    timings["predict"] = time.perf_counter() - start

    start = time.perf_counter()
    labels = _labels(linker)
    prior = linker._settings_obj._probability_two_random_records_match
    prior_weight = math.log2(prior / (1 - prior))
    compared = [c.output_column_name for c in linker._settings_obj.comparisons]
    pairs = tuple(_pair(row, compared, labels, prior_weight) for row in rows)
    timings["explain"] = time.perf_counter() - start
    parameters = _parameters(linker)
    return LinkageResult(link_type=link_type, threshold=threshold, fields=tuple(fields),
                         pairs=pairs, parameters=parameters, prior_probability=prior,
                         seconds=timings, records=len(records))


def _shown(row: dict, name: str, side: str) -> str | None:
    if name != "address":
        return row.get(f"{name}_{side}")
    parts = [row.get(f"{f}_{side}") for f in ADDRESS_FIELDS]
    return " ".join(p for p in parts if p) or None


def _pair(row: dict, compared: list[str], labels: dict[str, dict[int, str]],
          prior_weight: float) -> CandidatePair:
    evidence = tuple(
        FieldEvidence(field=f, level=labels[f].get(row[f"gamma_{f}"], "?"),
                      match_weight=round(float(row.get(f"mw_{f}") or 0.0), 3),
                      left_value=_shown(row, f, "l"), right_value=_shown(row, f, "r"))
        for f in compared)
    return CandidatePair(
        left_id=row["unique_id_l"], right_id=row["unique_id_r"],
        left_source=row.get("source_dataset_l") or "",
        right_source=row.get("source_dataset_r") or "",
        match_probability=float(row["match_probability"]),
        match_weight=float(row["match_weight"]),
        prior_weight=round(prior_weight, 3), evidence=evidence)
