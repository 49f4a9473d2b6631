"""Jaarbericht: exact numbers for a small world, suppression as the dashboards, the same
figures as the dashboards and the follow-up, access and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.cases import followup
from knooppunt.monitoring import queries
from knooppunt.reports.gather import jaarbericht
from knooppunt.reports.gather.errors import ReportInputError, ReportNotAllowed
from tests.factories import municipality

from .conftest import compute, signals

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world):
    signals(9, day=dt.date(2025, 1, 10))  # hennep, police
    signals(3, day=dt.date(2025, 3, 1), theme="drugsdump", source="bewoner")
    signals(2, day=dt.date(2025, 5, 1), theme="mensenhandel", source="mma")
    signals(6, day=dt.date(2024, 6, 1))
    signals(7, day=dt.date(2025, 2, 1), code="GM0164")  # Hengelo: in the region only
    compute()
    return world


def _theme(report, code):
    return next(r for r in report.signals_by_theme if r.theme_code == code)


def test_exact_numbers_of_a_municipality(year):
    report = jaarbericht.gather(year.coordinator, "GM0153", "2025")
    assert report.header.area_name == "Enschede" and report.header.period_code == "2025"
    assert report.signals_total.current.value == 14
    assert report.signals_total.previous.value == 6
    assert report.signals_total.change_percent == pytest.approx(133.3)
    hennep = _theme(report, "hennepteelt")
    assert hennep.current.value == 9 and hennep.previous.value == 6
    # 3 and 2 are small: hidden, and together 5, so 9 can stay
    assert _theme(report, "drugsdump").current.suppressed
    assert _theme(report, "mensenhandel").current.suppressed
    sources = {r.code: r.count for r in report.signals_by_source}
    assert sources == {"politie": 9, "bewoner": None, "mma": None}


def test_figures_equal_the_dashboards(year):
    user = year.mayor
    report = jaarbericht.gather(user, "GM0153", "2025")
    for row in (report.signals_total, *report.signals_by_theme, *report.cases,
                *report.results):
        figure = queries.values(user, row.code, "gemeente", "jaar", dt.date(2025, 1, 1),
                                codes=["GM0153"])[0]
        if not row.current.suppressed:
            assert row.current.value == figure.value, row.code
        else:  # hidden in the report: hidden on the dashboard or by secondary suppression
            assert figure.value is None or row.theme_code
    region = jaarbericht.gather(user, "VR05", "2025")
    assert region.signals_total.current.value == 21
    assert region.ranking and {r.area_code for r in region.ranking} >= {"GM0153", "GM0164"}
    assert region.header.area_level == "veiligheidsregio"


def test_casework_equals_the_follow_up(year):
    report = jaarbericht.gather(year.coordinator, "GM0153", "2025")
    page = followup.build(year.coordinator, municipality("GM0153"), dt.date(2025, 1, 1),
                          dt.date(2025, 12, 31))
    assert report.notices == page.notices and report.notices["received"] == 9
    assert [(r.code, r.count) for r in report.interventions] == [
        (r.code, r.shown) for r in page.interventions]
    assert report.recovered_euro == page.recovered


def test_a_small_year_is_hidden_and_its_theme_complement_too(world):
    signals(6, day=dt.date(2025, 1, 10))
    signals(2, day=dt.date(2025, 3, 1), theme="drugsdump")
    signals(1, day=dt.date(2025, 3, 1), theme="ondermijning-overig")  # no indicator
    compute()
    report = jaarbericht.gather(world.mayor, "GM0153", "2025")
    assert report.signals_total.current.value == 9
    # 2 drug dumps hidden; 9 - 6 would give them (with the 1 of no listed theme):
    # the hidden part is 2 + 1 = 3 < 5, so the 6 is hidden too
    assert _theme(report, "drugsdump").current.suppressed
    assert _theme(report, "hennepteelt").current.suppressed
    assert report.signals_total.previous.value == 0


@pytest.mark.parametrize("period", ["2025-H1", "2025-Q2", "25", "2025-H3", "", "x"])
def test_bad_periods(world, period):
    with pytest.raises(ReportInputError) as found:
        jaarbericht.gather(world.coordinator, "GM0153", period)
    assert str(found.value) and found.value.english != found.value.dutch


def test_outsider_and_unknown_areas_are_refused(world):
    with pytest.raises(ReportNotAllowed):
        jaarbericht.gather(world.outsider, "GM0153", "2025")
    for code in ("GM9999", "WK015301", "Enschede"):
        with pytest.raises(ReportInputError):
            jaarbericht.gather(world.coordinator, code, "2025")
