"""queries.py: need to know and small-count suppression on every figure, for every role."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.monitoring import queries
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.external import load_real_figures
from knooppunt.monitoring.models import Indicator, Target
from knooppunt.organisations.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db
JAN = dt.date(2024, 1, 1)
HENNEP = "signalen-hennepteelt"


def by_code(figures):
    return {f.area.code: f for f in figures}


def test_own_data_figures_only_for_served_municipalities(figures, coordinator, hengelo_analyst):
    mine = by_code(queries.values(coordinator, HENNEP, "gemeente", "jaar", JAN))
    assert set(mine) == {"GM0153"}
    assert mine["GM0153"].value == 14
    theirs = by_code(queries.values(hengelo_analyst, HENNEP, "gemeente", "maand", JAN))
    assert set(theirs) == {"GM0164"}
    assert theirs["GM0164"].value == 7
    with pytest.raises(queries.NotAllowed):
        queries.series(hengelo_analyst, HENNEP, "gemeente", "GM0153", "maand")
    with pytest.raises(queries.NotAllowed):
        queries.breakdown(hengelo_analyst, HENNEP, "gemeente", "GM0153", "jaar", JAN)
    region = by_code(queries.values(coordinator, HENNEP, "veiligheidsregio", "jaar", JAN))
    assert set(region) == {"VR05"}
    assert region["VR05"].value == 21


@pytest.mark.parametrize("role", [Role.BESTUURDER, Role.COORDINATOR, Role.ANALIST,
                                  Role.MEDEWERKER])
def test_small_counts_are_suppressed_for_every_role(figures, enschede_org, role):
    user = member(role, enschede_org)
    feb = queries.values(user, HENNEP, "gemeente", "maand", dt.date(2024, 2, 1))[0]
    assert feb.value is None and feb.suppressed and feb.per_1000 is None
    # January's 12 goes with February: the year (14) is shown, 14 - 12 would give the 2.
    jan = queries.values(user, HENNEP, "gemeente", "maand", JAN)[0]
    assert jan.value is None and jan.suppressed and jan.per_1000 is None
    year = queries.values(user, HENNEP, "gemeente", "jaar", JAN)[0]
    assert year.value == 14 and not year.suppressed
    assert year.per_1000 == pytest.approx(14 / year.area.population * 1000, rel=1e-3)


def test_breakdown_hides_small_cells_and_one_more(figures, mayor):
    rows = queries.breakdown(mayor, HENNEP, "gemeente", "GM0153", "maand", JAN,
                             child_level="buurt")
    shown = {f.area.code: f for f in rows}
    buurt_a, buurt_b = figures
    assert shown[buurt_b.code].suppressed  # 3 signals
    assert shown[buurt_a.code].value is None  # 9, hidden so 12 - shown cannot reveal the 3
    visible_total = sum(f.value for f in rows if f.value is not None)
    assert visible_total == 0
    assert all(f.value is None or f.value == 0 or f.value >= 5 for f in rows)


def test_series_fills_months_without_signals_with_zero(figures, coordinator):
    series = queries.series(coordinator, HENNEP, "gemeente", "GM0153", "maand",
                            start=dt.date(2023, 11, 1), end=dt.date(2024, 3, 1))
    assert [f.period.start.month for f in series] == [11, 12, 1, 2, 3]
    # February's 2 is hidden, and January's 12 with it: the year total (14) is shown
    # elsewhere, so 14 - 12 would reveal February (secondary suppression per year).
    assert [f.value for f in series] == [0, 0, None, None, 0]
    assert [f.suppressed for f in series] == [False, False, True, True, False]


def test_public_statistics_are_visible_everywhere_with_source(coordinator):
    load_real_figures()
    compute_all(codes=["misdrijven-brengdelicten"])
    rows = by_code(queries.values(coordinator, "misdrijven-brengdelicten", "gemeente", "jaar",
                                  dt.date(2023, 1, 1)))
    assert len(rows) == 342
    amsterdam = rows["GM0363"]
    assert amsterdam.per_1000 == pytest.approx(74.3, abs=0.05)
    assert "47018NED" in amsterdam.source and amsterdam.source_date
    with pytest.raises(ValueError):
        queries.values(coordinator, "misdrijven-brengdelicten", "gemeente", "maand",
                       dt.date(2023, 1, 1))


def test_wijken_only_within_served_municipalities(figures, coordinator):
    wijken = queries.areas_for(coordinator, "wijk")
    assert wijken and all(w.code.startswith("WK0153") for w in wijken)


def test_target_versus_realised(figures, coordinator):
    target = Target.objects.create(indicator=Indicator.objects.get(code=HENNEP),
                                   area_level="gemeente", area_code="GM0153", year=2024,
                                   value=10, direction="minstens", riec_section="geintegreerd",
                                   set_by=coordinator)
    status = queries.target_status(coordinator, HENNEP, "gemeente", "GM0153", 2024)
    assert status.realised == 14
    assert status.share_of_target == 140.0
    assert status.met is True
    assert status.set_by
    target.value = 20
    target.save()
    assert queries.target_status(coordinator, HENNEP, "gemeente", "GM0153", 2024).met is False
    sheet = queries.riec_target_sheet(coordinator, "gemeente", "GM0153", 2024)
    assert [s.section for s in sheet] == ["geintegreerd"]
    assert sheet[0].total_target == 20


def test_unknown_codes_raise_lookup_errors(coordinator):
    with pytest.raises(queries.UnknownIndicator):
        queries.values(coordinator, "bestaat-niet", "gemeente", "jaar", JAN)
    with pytest.raises(queries.UnknownArea):
        queries.series(coordinator, HENNEP, "gemeente", "GM9999", "jaar")


def test_riec_sheet_totals_only_rows_of_one_unit(figures, coordinator):
    for code, value in (("signalen-hennepteelt", 10), ("afgepakt-bedrag", 50000)):
        Target.objects.create(indicator=Indicator.objects.get(code=code),
                              area_level="gemeente", area_code="GM0153", year=2024,
                              value=value, riec_section="overig")
    sheet = queries.riec_target_sheet(coordinator, "gemeente", "GM0153", 2024)
    assert sheet[0].total_target is None and sheet[0].total_realised is None
    assert len(sheet[0].rows) == 2


def test_key_figures_put_indicators_with_a_target_first(figures, mayor):
    Target.objects.create(indicator=Indicator.objects.get(code="afgepakt-bedrag"),
                          area_level="gemeente", area_code="GM0153", year=2024, value=1000)
    figures_2024 = queries.key_figures(mayor, "GM0153", 2024)
    assert figures_2024[0].indicator.code == "afgepakt-bedrag"
    assert figures_2024[0].target.target == 1000
    assert len(figures_2024) <= 8
    hennep = next(f for f in figures_2024 if f.indicator.code == HENNEP)
    assert hennep.current.value == 14 and hennep.previous.value == 0
