"""The monitoring API: same answers as queries.py, problem+json on bad input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.external import load_real_figures

pytestmark = pytest.mark.django_db
HENNEP = "signalen-hennepteelt"


def client_for(user) -> APIClient:
    """A person reaches the API through their session (keys belong to systems)."""
    client = APIClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_anonymous_callers_get_401():
    response = APIClient().get("/api/v1/indicators")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE


def test_indicators_and_one_indicator(mayor):
    api = client_for(mayor)
    listed = api.get("/api/v1/indicators").json()
    assert HENNEP in [i["code"] for i in listed]
    one = api.get(f"/api/v1/indicators/{HENNEP}").json()
    assert one["themeCode"] == "hennepteelt" and one["periodTypes"] == ["maand", "kwartaal",
                                                                          "jaar"]
    assert api.get("/api/v1/indicators/bestaat-niet").status_code == 404


def test_values_are_scoped_and_suppressed_for_a_mayor(figures, mayor):
    api = client_for(mayor)
    year = api.get(f"/api/v1/indicators/{HENNEP}/values",
                   {"level": "gemeente", "periodType": "jaar", "period": "2024-01-15"}).json()
    assert [(r["area"]["code"], r["value"]) for r in year["results"]] == [("GM0153", 14.0)]
    jan = api.get(f"/api/v1/indicators/{HENNEP}/values",
                  {"level": "gemeente", "periodType": "maand", "period": "2024-01-15"}).json()
    assert jan["results"][0]["suppressed"]  # 12: hidden with February (14 - 12 = 2)
    feb = api.get(f"/api/v1/indicators/{HENNEP}/values",
                  {"level": "gemeente", "periodType": "maand", "period": "2024-02-01"}).json()
    assert feb["results"][0]["value"] is None and feb["results"][0]["suppressed"]
    series = api.get(f"/api/v1/indicators/{HENNEP}/series",
                     {"area": "GM0153", "periodType": "kwartaal"}).json()["results"]
    assert series[0]["value"] == 14.0 and series[0]["period"]["label"] == "2024 K1"


def test_other_municipality_is_forbidden(figures, hengelo_analyst):
    api = client_for(hengelo_analyst)
    response = api.get(f"/api/v1/indicators/{HENNEP}/breakdown",
                       {"area": "GM0153", "periodType": "jaar", "period": "2024-01-01"})
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE


def test_bad_parameters_are_named_in_dutch(mayor):
    api = client_for(mayor)
    response = api.get(f"/api/v1/indicators/{HENNEP}/values",
                       {"level": "planeet", "periodType": "maand", "period": "gisteren"})
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names == {"level", "period"}
    wrong_type = api.get("/api/v1/indicators/misdrijven-brengdelicten/values",
                         {"level": "gemeente", "periodType": "maand", "period": "2023-01-01"})
    assert wrong_type.status_code == 400
    assert "jaar" in wrong_type.json()["invalidParams"][0]["reason"]


def test_statistics_benchmark_ranking_and_displacement(coordinator):
    load_real_figures()
    from knooppunt.monitoring.benchmark import ensure_size_classes

    ensure_size_classes()
    compute_all(codes=["misdrijven-brengdelicten"])
    api = client_for(coordinator)
    stats = api.get("/api/v1/statistics", {"area": "GM0363"}).json()
    assert stats[0]["value"] > 0 and "47018NED" in stats[0]["source"] and stats[0]["sourceDate"]
    bench = api.get("/api/v1/benchmark", {"indicator": "misdrijven-brengdelicten",
                                          "area": "GM0153", "year": 2023}).json()
    assert bench["index"] > 0 and bench["group"]["size"] > 3
    ranking = api.get("/api/v1/ranking", {"indicators": "misdrijven-brengdelicten",
                                          "area": "VR05", "year": 2023}).json()
    assert len(ranking["rows"]) == 14
    bad = api.get("/api/v1/displacement", {"indicator": "signalen-drugsdump", "area": "VR05",
                                           "beforeStart": "2024-01-01", "beforeEnd": "2024-06-30",
                                           "afterStart": "2024-07-01", "afterEnd": "2024-12-31"})
    assert bad.status_code == 400
    swapped = api.get("/api/v1/displacement", {
        "indicator": "signalen-drugsdump", "area": "GM0153", "beforeStart": "2024-07-01",
        "beforeEnd": "2024-12-31", "afterStart": "2024-01-01", "afterEnd": "2024-06-30"})
    assert swapped.status_code == 400


def test_alerts_and_targets_endpoints_answer(figures, mayor):
    api = client_for(mayor)
    assert api.get("/api/v1/alerts", {"area": "GM0153"}).json() == []
    assert api.get("/api/v1/targets", {"area": "GM0153", "year": 2024}).json() == []
    assert api.get("/api/v1/targets", {"area": "XX12", "year": 2024}).status_code == 400


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(area=st.text(max_size=14), period=st.text(max_size=12),
       period_type=st.sampled_from(["maand", "jaar", "week", ""]))
def test_any_query_parameters_give_a_problem_or_an_answer(mayor, area, period, period_type):
    api = client_for(mayor)
    response = api.get(f"/api/v1/indicators/{HENNEP}/breakdown",
                       {"area": area, "period": period, "periodType": period_type})
    assert response.status_code in {200, 400, 403, 404}
    if response.status_code != 200:
        assert response["Content-Type"] == PROBLEM_CONTENT_TYPE


def test_reviewing_an_alert_needs_a_reason_a_role_and_sight_of_it(coordinator, mayor,
                                                                  hengelo_analyst):
    import datetime as dt

    from knooppunt.monitoring.models import Alert, Indicator

    alert = Alert.objects.create(
        indicator=Indicator.objects.get(code=HENNEP), area_level="gemeente",
        area_code="GM0153", period_type="maand", period_start=dt.date(2025, 1, 1),
        method="poisson", observed=20, expected=5, statistic=0.0001, threshold=0.01,
        history_periods=12, reason="Twintig in plaats van vijf.",
    )
    url = f"/api/v1/alerts/{alert.pk}/review"
    assert client_for(mayor).post(url, {"status": "bekeken", "reason": "x"},
                                  format="json").status_code == 403
    assert client_for(hengelo_analyst).post(url, {"status": "bekeken", "reason": "x"},
                                            format="json").status_code == 404
    api = client_for(coordinator)
    empty = api.post(url, {"status": "bekeken", "reason": "   "}, format="json")
    assert empty.status_code == 400
    done = api.post(url, {"status": "terzijde", "reason": "Bekende oorzaak: actiedag"},
                    format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "terzijde" and done.json()["reviewedBy"]
    alert.refresh_from_db()
    assert alert.reviewed_by == coordinator and alert.review_reason.startswith("Bekende")
