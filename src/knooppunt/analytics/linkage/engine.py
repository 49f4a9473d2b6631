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
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property

import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker, block_on

from .backends import Backend, DuckDBBackend
from .kinds import RecordKind, kind_of
from .model import ADDRESS_FIELDS

# A candidate at least as likely as not goes to review; see decision 0045 for the sweep.
DEFAULT_THRESHOLD = 0.5
# Pairs sampled to estimate u; 5e5 gave the same FEBRL scores as 1e6 in half the time.
DEFAULT_U_PAIRS = 5e5
# Training on a sample of records is off by default: at 1,000,000 records a 200,000-record
# sample cut CPU from 388 s to 226 s but recall from 0.971 to 0.931 (decision 0045).
DEFAULT_TRAIN_RECORDS: int | None = None


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


class _Scored:
    """The scored pairs as Splink returned them (Arrow), explained only when asked.

    At 1,000,000 records the candidates number in the hundreds of thousands; turning each
    into Python objects with its waterfall cost more time and memory than scoring them, and
    a reviewer looks at a page at a time.
    """

    def __init__(self, rows: pa.Table, compared: tuple[str, ...],
                 labels: dict[str, dict[int, str]], prior_weight: float) -> None:
        self.rows, self.compared, self.labels = rows, compared, labels
        self.prior_weight = prior_weight

    def ids(self) -> list[tuple[str, str]]:
        return list(zip(self.rows["unique_id_l"].to_pylist(),
                        self.rows["unique_id_r"].to_pylist(), strict=True))

    def explain(self) -> tuple[CandidatePair, ...]:
        return tuple(_pair(row, self.compared, self.labels, self.prior_weight)
                     for row in self.rows.to_pylist())


@dataclass(frozen=True)
class LinkageResult:
    """Candidate pairs at or above the threshold, the learnt parameters, and timings."""

    link_type: str
    threshold: float
    fields: tuple[str, ...]
    scored: _Scored = field(repr=False, compare=False)
    parameters: tuple[LevelParameters, ...]
    prior_probability: float
    kind: str = "person"
    seconds: dict[str, float] = field(default_factory=dict)
    records: int = 0

    @cached_property
    def pairs(self) -> tuple[CandidatePair, ...]:
        """Every candidate with its explanation per field (built on first use)."""
        return self.scored.explain()

    def pair_ids(self) -> list[tuple[str, str]]:
        """The candidates' record ids only, without building their explanations."""
        return self.scored.ids()

    @property
    def pair_count(self) -> int:
        return self.scored.rows.num_rows


def _to_arrow(records: Sequence[object], kind: RecordKind, fields: list[str]) -> pa.Table:
    return pa.table({c: pa.array([getattr(r, c) for r in records], type=pa.string())
                     for c in kind.columns(fields)})


def _present_fields(records: Sequence[object], kind: RecordKind) -> list[str]:
    return [name for name in kind.fields if any(getattr(r, name) is not None for r in records)]


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


def find_candidates(records: Sequence[object], *, link_type: str = "dedupe_only",
                    threshold: float = DEFAULT_THRESHOLD, threads: int = 2,
                    u_sample_pairs: float = DEFAULT_U_PAIRS, seed: int = 42,
                    term_frequencies: bool = False, backend: Backend | None = None,
                    train_records: int | None = DEFAULT_TRAIN_RECORDS) -> LinkageResult:
    """Train on `records` and return the candidate pairs with probability >= threshold.

    `records` are normalised records of one kind (persons, companies or vehicles; see
    `kinds`). `link_type` "link_only" links across `source_dataset`s (records from one
    source are not compared with each other); "dedupe_only" compares all records with each
    other. `term_frequencies` weighs exact name agreement by how common the name is.
    `backend` defaults to a fresh in-memory DuckDB with `threads` threads; pass a
    `SparkBackend` to run the same model on Spark. With `train_records`, a larger input is
    trained on a random sample of that many records (the prior on all of them).
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError("threshold must lie strictly between 0 and 1")
    if link_type not in ("dedupe_only", "link_only"):
        raise ValueError(f"unknown link type {link_type!r}")
    if len(records) < 2:
        raise NotEnoughRecords("at least two records are needed")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    kind = kind_of(records)
    fields = _present_fields(records, kind)
    if not fields:
        raise NotEnoughRecords("no record has a field that can be compared")
    table = _to_arrow(records, kind, fields)
    own_backend = backend is None
    runner = backend or DuckDBBackend(threads)
    splink_logger = logging.getLogger("splink")
    previous_level = splink_logger.level
    # Splink warns about levels that training never saw (e.g. no swapped dates in a file);
    # those levels keep Splink's defaults, which is right, so the warnings are noise here.
    splink_logger.setLevel(logging.ERROR)
    try:
        run = _Run(kind, fields, runner, link_type, threshold, term_frequencies, timings)
        return run.execute(table, u_sample_pairs, seed, train_records, start)
    finally:
        splink_logger.setLevel(previous_level)
        if own_backend:
            runner.close()


@dataclass
class _Run:
    kind: RecordKind
    fields: list[str]
    backend: Backend
    link_type: str
    threshold: float
    term_frequencies: bool
    timings: dict[str, float]

    def _frames(self, table: pa.Table, prefix: str = "input") -> list:
        api = self.backend.api
        if self.link_type == "link_only":
            sources = sorted(set(table["source_dataset"].to_pylist()))
            if len(sources) < 2:
                raise NotEnoughRecords("linking needs records from at least two sources")
            frames = []
            for i, source in enumerate(sources):
                name = f"{prefix}_{i}"
                self.backend.register(
                    name, table.filter(pc.equal(table["source_dataset"], source)))
                frames.append(api.register(name, dataset_display_name=f"{prefix} {source}"))
            return frames
        self.backend.register(f"{prefix}_0", table)
        return [api.register(f"{prefix}_0", dataset_display_name=prefix)]

    def _estimate_prior(self, linker: Linker) -> None:
        deterministic = [r for r in self.kind.prior_rules if set(r) <= set(self.fields)]
        if deterministic:
            linker.training.estimate_probability_two_random_records_match(
                [block_on(*r) for r in deterministic], recall=0.7)

    def _train(self, linker: Linker, u_sample_pairs: float, seed: int) -> None:
        lap = time.perf_counter()
        linker.training.estimate_u_using_random_sampling(
            max_pairs=u_sample_pairs, seed=seed, num_chunks=1, min_count_per_level=None)
        self.timings["train_u"] = time.perf_counter() - lap
        lap = time.perf_counter()
        for rule in self.kind.training_rules:
            if set(rule) <= set(self.fields):
                linker.training.estimate_parameters_using_expectation_maximisation(
                    block_on(*rule), estimate_without_term_frequencies=True)
        self.timings["train_em"] = time.perf_counter() - lap

    def execute(self, table: pa.Table, u_sample_pairs: float, seed: int,
                train_records: int | None, start: float) -> LinkageResult:
        timings, fields = self.timings, self.fields
        settings = self.kind.settings(fields, self.link_type, dialect=self.backend.dialect,
                                      term_frequencies=self.term_frequencies)
        timings["prepare"] = time.perf_counter() - start

        start = time.perf_counter()
        if train_records is not None and table.num_rows > train_records:
            # m and u are shares within matches and non-matches: a random sample of records
            # estimates them as well as all records do, while the pairs EM iterates over
            # shrink with the square of the sample. The prior (the share of all pairs that
            # match) does depend on the file's size, so it is estimated on all records.
            chosen = sorted(random.Random(seed).sample(range(table.num_rows), train_records))
            trainer = Linker(self._frames(table.take(chosen), "sample"), settings,
                             log_level=logging.ERROR)
            self._estimate_prior(trainer)
            self._train(trainer, u_sample_pairs, seed)
            linker = Linker(self._frames(table), trainer.misc.save_model_to_json(),
                            log_level=logging.ERROR)
            lap = time.perf_counter()
            self._estimate_prior(linker)
            timings["train_prior"] = time.perf_counter() - lap
        else:
            linker = Linker(self._frames(table), settings, log_level=logging.ERROR)
            self._estimate_prior(linker)
            self._train(linker, u_sample_pairs, seed)
        timings["train"] = time.perf_counter() - start

        start = time.perf_counter()
        predictions = linker.inference.predict(threshold_match_probability=self.threshold)
        rows = self.backend.fetch(predictions.physical_name)
        timings["predict"] = time.perf_counter() - start

        prior = linker._settings_obj._probability_two_random_records_match
        compared = tuple(c.output_column_name for c in linker._settings_obj.comparisons)
        return LinkageResult(
            link_type=self.link_type, threshold=self.threshold, fields=tuple(fields),
            kind=self.kind.name, scored=_Scored(rows, compared, _labels(linker),
                                                round(math.log2(prior / (1 - prior)), 3)),
            parameters=_parameters(linker), prior_probability=prior, seconds=timings,
            records=table.num_rows)


def _shown(row: dict, name: str, side: str) -> str | None:
    if name != "address":
        return row.get(f"{name}_{side}")
    parts = [row.get(f"{f}_{side}") for f in ADDRESS_FIELDS]
    return " ".join(p for p in parts if p) or None


def _weight(row: dict, name: str) -> float:
    """The field's match weight, with its term-frequency adjustment when one was made."""
    return float(row.get(f"mw_{name}") or 0.0) + float(row.get(f"mw_tf_adj_{name}") or 0.0)


def _pair(row: dict, compared: tuple[str, ...], labels: dict[str, dict[int, str]],
          prior_weight: float) -> CandidatePair:
    evidence = tuple(
        FieldEvidence(field=f, level=labels[f].get(row[f"gamma_{f}"], "?"),
                      match_weight=round(_weight(row, f), 3),
                      left_value=_shown(row, f, "l"), right_value=_shown(row, f, "r"))
        for f in compared)
    return CandidatePair(
        left_id=row["unique_id_l"], right_id=row["unique_id_r"],
        left_source=row.get("source_dataset_l") or "",
        right_source=row.get("source_dataset_r") or "",
        match_probability=float(row["match_probability"]),
        match_weight=float(row["match_weight"]),
        prior_weight=prior_weight, evidence=evidence)
