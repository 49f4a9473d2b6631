"""Benchmark index, ranking, and the Weighted Displacement Quotient with real neighbours."""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources

import pytest

from knooppunt.monitoring import queries
from knooppunt.monitoring.benchmark import ensure_size_classes
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.displacement import interpret, neighbours, wdq
from knooppunt.monitoring.external import load_real_figures
from knooppunt.monitoring.models import PeerGroup

from .conftest import add_signals

pytestmark = pytest.mark.django_db
CRIME = "misdrijven-brengdelicten"


@pytest.fixture
def real_figures(db):
    load_real_figures()
    ensure_size_classes()
    compute_all(codes=[CRIME])


def source_rates() -> dict[str, float]:
    name = "gemeenten_2024_bevolking2024_misdrijven2023.csv"
    path = resources.files("knooppunt.geo") / "data" / name
    with path.open(encoding="utf-8") as handle:
        return {"GM" + r["nummer"]: int(r["misdaad"]) / int(r["bevolking"]) * 1000
                for r in csv.DictReader(handle)}


def test_size_classes_cover_every_municipality_once(real_figures):
    counts = [g.members.count() for g in PeerGroup.objects.filter(kind="grootte")]
    assert sum(counts) == 342
    assert PeerGroup.objects.get(code="grootte-g4").members.count() == 4


def test_benchmark_index_against_the_peer_group_average(real_figures, coordinator):
    result = queries.benchmark(coordinator, CRIME, "GM0153", 2023)
    rates = source_rates()
    members = PeerGroup.objects.get(code=result.group.code).members.values_list("code",
                                                                                flat=True)
    average = sum(rates[c] for c in members) / len(members)
    assert result.group_average == pytest.approx(average, rel=1e-3)
    assert result.index == pytest.approx(rates["GM0153"] / average * 100, abs=0.1)
    assert "groepsgemiddelde = 100" in result.method
    assert len(result.members) == len(members)


def test_ranking_of_a_safety_region(real_figures, coordinator):
    ranking = queries.ranking(coordinator, [CRIME], "veiligheidsregio", "VR05", 2023)
    assert len(ranking.rows) == 14
    ranks = [r.ranks[CRIME] for r in ranking.rows]
    assert sorted(ranks) == list(range(1, 15))
    best = ranking.rows[0]
    # lower crime is better: rank 1 has the lowest rate
    assert best.values[CRIME] == min(r.values[CRIME] for r in ranking.rows)
    indices = [r.indices[CRIME] for r in ranking.rows]
    assert sum(indices) / len(indices) == pytest.approx(100, abs=0.1)
    for row in ranking.rows:
        index = row.indices[CRIME]
        expected = ("gemiddeld" if abs(index - 100) <= 10 else
                    "gunstig" if index < 100 else "ongunstig")
        assert row.classes[CRIME] == expected
    assert "rang" in ranking.method


def test_the_method_under_a_benchmark_and_a_ranking_follows_the_language(real_figures,
                                                                       coordinator):
    from django.utils.translation import override

    with override("en"):
        benchmark = queries.benchmark(coordinator, CRIME, "GM0153", 2023)
        ranking = queries.ranking(coordinator, [CRIME], "veiligheidsregio", "VR05", 2023)
    assert "group average = 100" in benchmark.method
    assert "1 = most favourable" in ranking.method
    with override("nl"):
        assert "groepsgemiddelde = 100" in queries.benchmark(coordinator, CRIME, "GM0153",
                                                              2023).method


def test_own_data_ranking_hides_municipalities_outside_scope(figures, coordinator):
    ranking = queries.ranking(coordinator, ["signalen-hennepteelt"], "veiligheidsregio",
                              "VR05", 2024)
    hengelo = next(r for r in ranking.rows if r.area.code == "GM0164")
    assert hengelo.hidden and hengelo.values["signalen-hennepteelt"] is None


def test_neighbours_come_from_shared_boundaries():
    found = neighbours("GM0153")  # Enschede
    assert {"GM0164", "GM0168", "GM0158"} <= set(found)  # Hengelo, Losser, Haaksbergen
    assert "GM0141" not in found  # Almelo does not border Enschede
    for other in found:
        assert "GM0153" in neighbours(other)


def test_wdq_arithmetic_and_reading():
    # target falls from 100 to 80, buffer rises from 50 to 55, control stays at 1000
    success, buffer, quotient = wdq(100, 80, 50, 55, 1000, 1000)
    assert success == pytest.approx(-0.02) and buffer == pytest.approx(0.005)
    assert quotient == pytest.approx(-0.25)
    assert "Enige verplaatsing" in interpret(success, quotient)
    _, _, diffusion = wdq(100, 80, 50, 40, 1000, 1000)
    assert diffusion == pytest.approx(0.5) and "Uitstraling" in interpret(-0.02, diffusion)
    assert "niet verbeterd" in interpret(0.01, -3)
    assert "averechts" in interpret(-0.02, -1.5)


def test_displacement_end_to_end(coordinator):
    before, after = (dt.date(2024, 1, 1), dt.date(2024, 6, 30)), (dt.date(2024, 7, 1),
                                                                   dt.date(2024, 12, 31))
    add_signals(40, day=dt.date(2024, 3, 1), theme="drugsdump")  # Enschede before
    add_signals(20, day=dt.date(2024, 9, 1), theme="drugsdump")  # Enschede after
    add_signals(10, day=dt.date(2024, 3, 1), theme="drugsdump", code="GM0164")
    add_signals(18, day=dt.date(2024, 9, 1), theme="drugsdump", code="GM0164")
    for code in ("GM0141", "GM0147"):  # Almelo, Borne: in the control area (rest of VR05)
        add_signals(30, day=dt.date(2024, 3, 1), theme="drugsdump", code=code)
        add_signals(30, day=dt.date(2024, 9, 1), theme="drugsdump", code=code)
    compute_all(codes=["signalen-drugsdump"])
    result = queries.displacement(coordinator, "signalen-drugsdump", "GM0153", before, after)
    assert "GM0164" in [a.code for a in result.buffer]
    assert "GM0141" in [a.code for a in result.control]
    assert result.counts["target_before"] == 40 and result.counts["target_after"] == 20
    assert result.success_measure < 0
    assert result.wdq is not None and result.wdq < 0
    assert "verplaatsing" in result.interpretation.lower()
    with pytest.raises(ValueError):
        queries.displacement(coordinator, "signalen-drugsdump", "GM0153", after, before)


def test_own_data_benchmark_compares_only_municipalities_that_use_knooppunt(
        figures, coordinator, hengelo_analyst):
    from knooppunt.monitoring.benchmark import ensure_peer_groups
    from tests.factories import OrganisationFactory, municipality

    ensure_peer_groups()
    result = queries.benchmark(coordinator, "signalen-hennepteelt", "GM0153", 2024)
    assert result.group.code == "regio-vr05"
    assert result.group.size == 2  # Enschede and Hengelo have organisations here
    assert result.index is None and result.group_average is None  # fewer than 3
    OrganisationFactory(municipalities=[municipality("GM0141")])  # Almelo joins, 0 signals
    compute_all()
    result = queries.benchmark(coordinator, "signalen-hennepteelt", "GM0153", 2024)
    rates = {m.area.code: m for m in result.members}
    assert set(rates) == {"GM0153", "GM0164", "GM0141"}
    enschede = 14 / rates["GM0153"].area.population * 1000
    hengelo = 7 / rates["GM0164"].area.population * 1000
    average = (enschede + hengelo + 0) / 3
    assert result.group_average == pytest.approx(average, rel=1e-3)
    assert result.index == pytest.approx(enschede / average * 100, abs=0.1)
    assert rates["GM0164"].hidden and rates["GM0164"].per_1000 is None


def test_ranking_never_shows_what_the_breakdown_beside_the_total_hides(db):
    """The region's total stands beside the ranking, and a rate times the population is
    a count: a municipality hidden only by secondary suppression (Almelo, 12) must not
    get a rate, or total minus the ranked counts would give Hengelo's hidden 3."""
    from knooppunt.organisations.models import OrganisationKind, Role
    from tests.factories import OrganisationFactory, member, municipality

    org = OrganisationFactory(name="Samenwerking (test)", kind=OrganisationKind.GEMEENTE,
                              municipalities=[municipality(c)
                                              for c in ("GM0153", "GM0164", "GM0141")])
    analyst = member(Role.ANALIST, org)
    add_signals(20, day=dt.date(2024, 3, 1), code="GM0153")
    add_signals(3, day=dt.date(2024, 3, 1), code="GM0164")
    add_signals(12, day=dt.date(2024, 3, 1), code="GM0141")
    code = "signalen-hennepteelt"
    compute_all(force=True, codes=[code])
    shown = {f.area.code for f in queries.breakdown(
        analyst, code, "veiligheidsregio", "VR05", "jaar", dt.date(2024, 1, 1))
        if f.value is not None}
    assert shown == {"GM0153"}  # Hengelo primary, Almelo secondary
    rows = {r.area.code: r for r in queries.ranking(analyst, [code], "veiligheidsregio",
                                                     "VR05", 2024).rows}
    assert rows["GM0153"].values[code] is not None
    for hidden in ("GM0164", "GM0141"):
        assert rows[hidden].values[code] is None
        assert rows[hidden].indices[code] is None
        assert rows[hidden].ranks[code] is None
