"""Propose candidate matches: the linkage core over every person entity, stored for review.

A system job (the `propose_matches` command, the demo): it reads every current statement,
because partners' records can only be compared where they meet; what it stores is read
only by reviewers who may see both sides (`querysets`). Re-running proposes nothing twice:
a pair already stored, whatever its state (open, confirmed, rejected), is skipped, so a
rejected pair is not put back in the queue.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from splink import __version__ as splink_version

from knooppunt.analytics.linkage import (
    DEFAULT_THRESHOLD,
    CandidatePair,
    NotEnoughRecords,
    PersonRecord,
    find_candidates,
    normalise,
)
from knooppunt.entities.models import Entity, Statement
from knooppunt.entities.network import records_from

from .models import CandidateMatch, LinkageRun

KIND = "person"
# Across partners only: two records of one source are that source's own business
# (it knows whether its two files are one person); the review is about what no single
# partner can see.
LINK_TYPE = "link_only"


@dataclass(frozen=True)
class Proposal:
    run: LinkageRun | None
    records: int
    candidates: int
    added: int


def _current_statements():
    retracted = Statement.objects.filter(retracts__isnull=False).values("retracts_id")
    return Statement.objects.filter(retracts__isnull=True).exclude(pk__in=retracted)


def all_person_records() -> list[PersonRecord]:
    """Every person entity as linkage input (record id = entity id)."""
    people = list(Entity.objects.filter(schema="Person").values_list("pk", flat=True))
    return records_from(_current_statements(), people)


def data_version(records: list[PersonRecord]) -> str:
    """A digest of the input: the same records give the same version."""
    digest = hashlib.sha256()
    for record in sorted(records, key=lambda r: r.record_id):
        digest.update(repr(record).encode())
    return f"sha256:{digest.hexdigest()[:32]}:{len(records)}"


def waterfall(pair: CandidatePair, swap: bool) -> list[dict]:
    """The per-field explanation as stored: level, weight and both values, left first."""
    rows = [{"field": "prior", "level": "", "weight": round(pair.prior_weight, 4),
             "left": None, "right": None}]
    for e in pair.evidence:
        left, right = (e.right_value, e.left_value) if swap else (e.left_value, e.right_value)
        rows.append({"field": e.field, "level": e.level, "weight": round(e.match_weight, 4),
                     "left": left, "right": right})
    return rows


def propose_matches(threshold: float = DEFAULT_THRESHOLD, threads: int = 2) -> Proposal:
    """Run the linkage over all person entities and store the new candidates."""
    records = all_person_records()
    normalised = [normalise(r) for r in records]
    if len({r.source for r in records}) < 2:
        return Proposal(None, len(records), 0, 0)
    try:
        result = find_candidates(normalised, link_type=LINK_TYPE, threshold=threshold,
                                 threads=threads)
    except NotEnoughRecords:
        return Proposal(None, len(records), 0, 0)
    pairs = result.pairs
    with transaction.atomic():
        run = LinkageRun.objects.create(
            data_version=data_version(records), records=len(records),
            settings={"threshold": threshold, "linkType": LINK_TYPE, "kind": KIND,
                      "splink": splink_version, "fields": list(result.fields)})
        existing = set(CandidateMatch.objects.filter(kind=KIND)
                       .values_list("left_id", "right_id"))
        new = []
        for pair in pairs:
            swap = pair.left_id > pair.right_id
            key = (pair.right_id, pair.left_id) if swap else (pair.left_id, pair.right_id)
            if key in existing:
                continue
            existing.add(key)
            new.append(CandidateMatch(
                left_id=key[0], right_id=key[1], kind=KIND,
                match_probability=pair.match_probability, match_weight=pair.match_weight,
                prior_weight=pair.prior_weight, waterfall=waterfall(pair, swap), run=run))
        CandidateMatch.objects.bulk_create(new)
        run.proposed = len(new)
        run.save(update_fields=["proposed"])
    return Proposal(run, len(records), len(pairs), len(new))
