"""A dashboard page reads its figures in a fixed, small number of queries (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knooppunt.dashboards.figures import figure_cache
from knooppunt.monitoring import queries
from knooppunt.monitoring.models import AreaLevel, Indicator, Target

pytestmark = pytest.mark.django_db

FIRST_VIEW_MAX = 35  # 184 before the figures were read per request in few queries
# Session, user, the area, the scope (memberships, served municipalities), data version:
# the rest comes from the fragment cache (17 before the panels were cached, decision 0018).
REPEAT_VIEW_MAX = 7
# An analyst's first view also asks whether they may open every record behind the figures
# (two COUNTs and their grants, decision 0026) and reads one suppression block per
# municipality and year (areas × periods × themes together).
ANALYST_FIRST_VIEW_MAX = FIRST_VIEW_MAX + 6


def _first_view(client, url, params) -> int:
    figure_cache().clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_mayor_page_first_and_repeat_view_stay_within_a_query_budget(
        client, world, django_assert_max_num_queries):
    client.force_login(world.mayor)
    url = reverse("dashboards:municipality", args=["GM0153"])
    figure_cache().clear()
    with django_assert_max_num_queries(FIRST_VIEW_MAX):
        assert client.get(url, {"jaar": world.year}).status_code == 200
    with django_assert_max_num_queries(REPEAT_VIEW_MAX):
        assert client.get(url, {"jaar": world.year}).status_code == 200


def test_page_warmed_by_the_job_stays_within_the_repeat_budget(
        client, world, django_assert_max_num_queries):
    from knooppunt.dashboards.warm import warm

    figure_cache().clear()
    warm(world.year)
    client.force_login(world.mayor)
    url = reverse("dashboards:municipality", args=["GM0153"])
    for params in ({"jaar": world.year}, {"indicator": "", "jaar": world.year}):
        with django_assert_max_num_queries(REPEAT_VIEW_MAX):
            assert client.get(url, params).status_code == 200
    warm()  # the running year, as the job does
    with django_assert_max_num_queries(REPEAT_VIEW_MAX):
        assert client.get(url).status_code == 200


def test_more_key_figures_cost_no_more_queries(world):
    """Each key figure has value, previous year, target and peer index: asking for more
    of them must not add queries per figure."""
    for code in ("signalen-hennepteelt", "signalen-drugsdump"):
        Target.objects.create(indicator=Indicator.objects.get(code=code),
                              area_level=AreaLevel.MUNICIPALITY, area_code="GM0153",
                              year=world.year, value=10, basis="test")

    def count(codes):
        with CaptureQueriesContext(connection) as captured:
            found = queries.key_figures(world.mayor, "GM0153", world.year, codes)
        assert [f.indicator.code for f in found] == codes
        assert all(f.target is not None for f in found)
        assert found[0].benchmark_index is not None
        return len(captured.captured_queries)

    count(["signalen-totaal"])  # the user's own scope is read once and kept on the user
    one = count(["signalen-totaal"])
    three = count(["signalen-totaal", "signalen-hennepteelt", "signalen-drugsdump"])
    assert three == one


def test_analysis_page_drill_down_stays_within_a_query_budget(
        client, world, django_assert_max_num_queries):
    client.force_login(world.analyst)
    url = reverse("dashboards:analysis")
    figure_cache().clear()
    with django_assert_max_num_queries(ANALYST_FIRST_VIEW_MAX):
        response = client.get(url, {"niveau": "wijk", "gebied": world.district_code,
                                    "jaar": world.year})
    assert response.status_code == 200


def test_running_year_key_figures_cost_no_more_queries_per_figure(world):
    """A running year compares its complete months with the same months a year earlier
    (decision 0025): those months come with the page's one prefetch (decision 0034), so
    more key figures still cost no more queries."""
    import datetime as dt

    running = dt.date.today().year

    def count(codes):
        with CaptureQueriesContext(connection) as captured:
            found = queries.key_figures(world.mayor, "GM0153", running, codes)
        assert [f.indicator.code for f in found] == codes
        assert all(f.compared is not None and f.compared.comparison.running for f in found)
        return len(captured.captured_queries)

    count(["signalen-totaal"])
    one = count(["signalen-totaal"])
    three = count(["signalen-totaal", "signalen-hennepteelt", "signalen-drugsdump"])
    assert three == one


@pytest.mark.parametrize("running", [False, True])
@pytest.mark.parametrize("who", ["mayor", "analyst"])
def test_prefetch_changes_no_figure(world, monkeypatch, running, who):
    """What the page reads in one query (values, months, date ranges) and keeps for the
    request gives the same key figures, comparisons, targets, indices, trend and map as
    every function reading the database for itself."""
    import datetime as dt

    from knooppunt.monitoring import memo
    from knooppunt.monitoring.models import PeriodType

    user = getattr(world, who)
    year = dt.date.today().year if running else world.year
    codes = ["signalen-totaal", "signalen-hennepteelt", "signalen-drugsdump"]
    region = ["GM0141", "GM0153", "GM0164", "GM0173"]

    def page() -> tuple:
        with memo.active():
            return (queries.key_figures(user, "GM0153", year, codes),
                    queries.series(user, "signalen-hennepteelt", AreaLevel.MUNICIPALITY,
                                   "GM0153", PeriodType.MONTH, dt.date(year - 2, 1, 1),
                                   dt.date(year, 12, 31)),
                    queries.values(user, "signalen-hennepteelt", AreaLevel.MUNICIPALITY,
                                   PeriodType.YEAR, dt.date(year, 1, 1), codes=region),
                    queries.benchmark(user, "signalen-hennepteelt", "GM0153", year))

    prefetched = page()
    monkeypatch.setattr(queries, "prefetch_sets", lambda *args, **kwargs: None)
    monkeypatch.setattr(queries, "prefetch_ranges", lambda *args, **kwargs: None)
    monkeypatch.setattr(queries, "_keep", lambda *args, **kwargs: None)
    alone = page()
    assert prefetched == alone
    assert len(alone[1]) == 36 and alone[2]  # something to compare
    assert any(k.current.value or (k.previous and k.previous.value) for k in alone[0])


def test_the_job_refreshes_the_planner_statistics_of_stored_values(world):
    """After recomputing, PostgreSQL knows how many values there are (ANALYZE), so the
    pages' reads are planned on the table as it is (decision 0034)."""
    from knooppunt.monitoring.compute import compute_all
    from knooppunt.monitoring.models import IndicatorValue

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics of PostgreSQL")
    compute_all(codes=["signalen-totaal"], force=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s",
                       [IndicatorValue._meta.db_table])
        (estimate,) = cursor.fetchone()
    assert estimate == IndicatorValue.objects.count()
