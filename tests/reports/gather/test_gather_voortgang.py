"""Voortgangsrapportage: the half year against the pro rata target, the trend against
the half year before, suppression of a half year with a hidden quarter, the dashboards'
figures, no projects yet, bad periods."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.monitoring import queries
from knooppunt.monitoring.models import Indicator, Target
from knooppunt.reports.gather import voortgang
from knooppunt.reports.gather.errors import ReportInputError, ReportNotAllowed

from .conftest import compute, signals

pytestmark = pytest.mark.django_db
HENNEP = "signalen-hennepteelt"


def _target(value: float, direction: str = "minstens", code: str = HENNEP) -> None:
    Target.objects.create(indicator=Indicator.objects.get(code=code), area_level="gemeente",
                          area_code="GM0153", year=2025, value=value, direction=direction,
                          riec_section="overig")


def _row(report, code=HENNEP):
    return next(r for t in report.themes for r in t.rows if r.indicator.code == code)


@pytest.fixture
def halves(world):
    signals(5, day=dt.date(2024, 10, 3))  # 2024-H2
    signals(9, day=dt.date(2025, 1, 10))  # 2025-H1
    signals(6, day=dt.date(2025, 9, 10))  # 2025-H2
    _target(20)
    compute()
    return world


def test_first_half_against_half_the_target(halves):
    report = voortgang.gather(halves.mayor, "GM0153", "2025-H1")
    row = _row(report)
    assert row.indicator.current.value == 9 and row.indicator.previous.value == 5
    assert row.indicator.change_percent == 80.0
    assert row.progress.expected_so_far == 10.0
    assert row.progress.realised_so_far.value == 9
    assert row.progress.share_of_target == 45.0 and row.progress.on_track is False
    assert report.targets_total == 1 and report.targets_on_track == 0
    assert report.projects_recorded is False and "projecten" in report.projects_note
    assert report.header.period_label == "1e halfjaar 2025"
    assert "targets" in report.charts


def test_second_half_judges_the_whole_year_as_the_dashboard(halves):
    report = voortgang.gather(halves.coordinator, "GM0153", "2025-H2")
    row = _row(report)
    assert row.indicator.current.value == 6 and row.indicator.previous.value == 9
    status = queries.target_status(halves.coordinator, HENNEP, "gemeente", "GM0153", 2025)
    assert row.progress.realised_so_far.value == status.realised == 15
    assert row.progress.expected_so_far == 20.0 and row.progress.share_of_target == 75.0


def test_an_at_most_target_is_on_track_below_the_pro_rata_figure(world):
    signals(6, day=dt.date(2025, 2, 1), theme="drugsdump")
    _target(20, "hoogstens", code="signalen-drugsdump")
    compute()
    row = _row(voortgang.gather(world.mayor, "GM0153", "2025-H1"), "signalen-drugsdump")
    assert row.progress.expected_so_far == 10.0 and row.progress.on_track is True


def test_a_small_month_does_not_hide_the_half_year_that_the_year_gives_anyway(world):
    # Decision 0026: the year (11) and the second half (0) are shown, so hiding the
    # first half would protect nothing; the small month stays hidden with January.
    signals(9, day=dt.date(2025, 1, 10))
    signals(2, day=dt.date(2025, 5, 10))
    compute()
    report = voortgang.gather(world.mayor, "GM0153", "2025-H1")
    row = _row(report)
    assert row.indicator.current.value == 11 and not row.indicator.current.suppressed
    months = queries.series(world.mayor, HENNEP, "gemeente", "GM0153", "maand",
                            dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    hidden = [m.period.start.month for m in months if m.suppressed]
    assert hidden == [1, 5]  # May (2) and its complement, nothing more
    quarters = queries.series(world.mayor, HENNEP, "gemeente", "GM0153", "kwartaal",
                              dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert all(q.suppressed for q in quarters)


def test_half_year_is_the_sum_of_the_dashboards_quarters(world):
    signals(5, day=dt.date(2025, 2, 10))
    signals(7, day=dt.date(2025, 4, 10))
    compute()
    row = _row(voortgang.gather(world.coordinator, "VR05", "2025-H1"))
    quarters = queries.series(world.coordinator, HENNEP, "veiligheidsregio", "VR05",
                              "kwartaal", dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert row.indicator.current.value == sum(q.value for q in quarters) == 12


@pytest.mark.parametrize("period", ["2025", "2025-Q1", "2025-H0", "2025-h9", None])
def test_only_half_years(world, period):
    with pytest.raises(ReportInputError):
        voortgang.gather(world.coordinator, "GM0153", period)


def test_outsider_refused(world):
    with pytest.raises(ReportNotAllowed):
        voortgang.gather(world.outsider, "GM0153", "2025-H1")


def test_alerts_of_the_half_year_only(halves):
    from knooppunt.monitoring.models import Alert

    def alert(start, code="GM0153"):
        Alert.objects.create(indicator=Indicator.objects.get(code=HENNEP), area_level="gemeente",
                             area_code=code, period_type="maand", period_start=start,
                             method="poisson", observed=9, expected=3, statistic=0.001,
                             threshold=0.01, history_periods=24, reason="meer dan verwacht")

    alert(dt.date(2025, 1, 1))
    alert(dt.date(2025, 8, 1))  # second half
    alert(dt.date(2025, 2, 1), code="GM0164")  # not Enschede's to see
    report = voortgang.gather(halves.mayor, "GM0153", "2025-H1")
    assert [(a.area_code, a.period_label, a.observed) for a in report.alerts] == [
        ("GM0153", "januari 2025", 9)]
