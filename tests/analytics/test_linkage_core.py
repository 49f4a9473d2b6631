"""The linkage core on a hand-made set whose true matches are known, among invented people.

Three people are written down twice the way two partners would (initials vs full name and
the surname in register order; day and month swapped and the tussenvoegsel left out; a typo
and a house-number addition); a fourth shares a name with the first but is someone else.
They sit among 800 synthetic records so that training has non-matches to learn from.
"""

from dataclasses import replace
from datetime import date

import pytest

from knooppunt.analytics.linkage import (
    PROPOSED,
    CandidatePair,
    NotEnoughRecords,
    PersonRecord,
    find_candidates,
    normalise,
    pairs_within,
    propose_clusters,
    score_pairs,
)
from knooppunt.analytics.linkage.synthetic import generate

TODAY = date(2026, 6, 1)
HAND_MADE = [
    PersonRecord("a1", "politie", "J.", "de Vries", "12-03-1978", "3511 AB", "12"),
    PersonRecord("a2", "woningcorporatie", "Jan", "Vries, de", "1978-03-12", "3511AB", "12"),
    PersonRecord("b1", "politie", "Pieter", "van der Berg", "05-11-1965", "1017 CD", "4",
                 bsn="111222333"),
    PersonRecord("b2", "woningcorporatie", "Pieter", "Berg", "11-05-1965", "1017CD", "4",
                 bsn="111222333"),
    PersonRecord("c1", "politie", "Fatima", "El Amrani", "23-07-1990", "2512 EF", "33"),
    PersonRecord("c2", "woningcorporatie", "Fatma", "El Amrani", "23-07-1990", "2512EF", "33-A"),
    PersonRecord("d1", "woningcorporatie", "Jan", "de Vries", "02-09-1955", "9711 ZZ", "1"),
]
TRUE_PAIRS = {("a1", "a2"), ("b1", "b2"), ("c1", "c2")}


def _background(source_a: str, source_b: str) -> list[PersonRecord]:
    people, _ = generate(800, seed=3, today=TODAY)
    return [replace(p, source=source_a if i % 2 else source_b) for i, p in enumerate(people)]


@pytest.fixture(scope="module")
def dedupe():
    records = [normalise(r, today=TODAY) for r in HAND_MADE + _background("x", "y")]
    snapshot = list(records)
    return records, snapshot, find_candidates(records, link_type="dedupe_only", threshold=0.9)


@pytest.fixture(scope="module")
def link():
    records = [normalise(r, today=TODAY)
               for r in HAND_MADE + _background("politie", "woningcorporatie")]
    return find_candidates(records, link_type="link_only", threshold=0.9)


def _by_ids(result):
    return {tuple(sorted((p.left_id, p.right_id))): p for p in result.pairs}


def test_the_known_matches_are_found_and_the_namesake_is_not(dedupe):
    _, _, result = dedupe
    pairs = _by_ids(result)
    assert set(pairs) >= TRUE_PAIRS
    assert all(pairs[p].match_probability >= 0.9 for p in TRUE_PAIRS)
    assert not {("a1", "d1"), ("a2", "d1")} & set(pairs)


def test_each_candidate_explains_itself_field_by_field(dedupe):
    _, _, result = dedupe
    pairs = _by_ids(result)
    a = {e.field: e for e in pairs[("a1", "a2")].evidence}
    assert a["first_name"].level == "only initials known, first initial agrees"
    assert a["surname"].level.startswith("Exact match") and a["surname"].match_weight > 0
    assert a["dob"].level.startswith("Exact match")
    assert a["address"].match_weight > 0
    b = {e.field: e for e in pairs[("b1", "b2")].evidence}
    assert b["dob"].level == "day and month swapped" and b["dob"].match_weight > 0
    assert b["bsn"].level.startswith("Exact match") and b["bsn"].match_weight > 5
    c = {e.field: e for e in pairs[("c1", "c2")].evidence}
    assert c["first_name"].level.startswith("Jaro-Winkler")
    # "33-A" compares as 33, so the whole address agrees
    assert c["address"].level == "same postcode + house number"
    assert c["address"].left_value == c["address"].right_value == "2512EF 33"
    for pair in result.pairs:  # the waterfall adds up to the pair's match weight
        total = pair.prior_weight + sum(e.match_weight for e in pair.evidence)
        assert total == pytest.approx(pair.match_weight, abs=0.05)


def test_training_learnt_weights_that_point_the_right_way(dedupe):
    _, _, result = dedupe
    weights = {(p.field, p.level): p.match_weight for p in result.parameters}
    assert weights[("dob", "Exact match on dob")] > 5
    assert weights[("surname", "Exact match on surname")] > 0
    assert weights[("surname", "All other comparisons")] < 0
    assert 0 < result.prior_probability < 0.01


def test_nothing_is_merged_only_proposed(dedupe):
    records, snapshot, result = dedupe
    assert records == snapshot  # the input is untouched, every record still on its own
    assert len({r.unique_id for r in records}) == len(records)
    clusters = propose_clusters(result.pairs, 0.9)
    assert clusters and all(c.status == PROPOSED for c in clusters)
    assert {frozenset(p) for p in TRUE_PAIRS} <= {frozenset(c.record_ids) for c in clusters}
    for cluster in clusters:  # each proposal carries the pairs that make it, for review
        assert {i for p in cluster.pairs for i in (p.left_id, p.right_id)} == set(
            cluster.record_ids)
    strict = propose_clusters(result.pairs, 0.99)
    assert all(p.match_probability >= 0.99 for c in strict for p in c.pairs)
    assert set(type(result).__dataclass_fields__) == {  # pairs and parameters, no merged records
        "link_type", "threshold", "fields", "scored", "parameters", "prior_probability",
        "kind", "seconds", "records"}
    assert result.pair_ids() == [(p.left_id, p.right_id) for p in result.pairs]


def test_linking_compares_only_across_sources(link):
    pairs = _by_ids(link)
    assert set(pairs) >= TRUE_PAIRS
    assert all(p.left_source != p.right_source for p in link.pairs)


def test_bad_calls_are_refused():
    one = [normalise(HAND_MADE[0], today=TODAY)]
    with pytest.raises(NotEnoughRecords):
        find_candidates(one)
    same_source = [replace(one[0], unique_id="z"), one[0]]
    with pytest.raises(NotEnoughRecords):
        find_candidates(same_source, link_type="link_only")
    with pytest.raises(ValueError):
        find_candidates(same_source, threshold=1.0)
    with pytest.raises(ValueError):
        find_candidates(same_source, link_type="merge")


def _pair(left: str, right: str, probability: float) -> CandidatePair:
    return CandidatePair(left, right, "x", "y", probability, 0.0, 0.0, ())


def test_clusters_follow_links_at_the_threshold_and_leave_weak_links_out():
    pairs = [_pair("a", "b", 0.95), _pair("b", "c", 0.7), _pair("c", "d", 0.2),
             _pair("e", "f", 0.99)]
    clusters = propose_clusters(pairs, 0.5)
    assert [c.record_ids for c in clusters] == [("a", "b", "c"), ("e", "f")]
    assert clusters[0].weakest_probability == 0.7
    assert pairs_within(clusters) == {("a", "b"), ("a", "c"), ("b", "c"), ("e", "f")}
    assert propose_clusters(pairs, 0.999) == []


def test_pair_scores_ignore_order_within_a_pair():
    scores = score_pairs([("b", "a"), ("c", "d")], [("a", "b"), ("e", "f")])
    assert (scores.true_positives, scores.false_positives, scores.false_negatives) == (1, 1, 1)
    assert scores.precision == scores.recall == scores.f1 == 0.5
