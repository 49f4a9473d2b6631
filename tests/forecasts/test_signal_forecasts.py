"""Forecasts of a theme's signals in an area: the service, /api/v1/forecasts (+ /cells,
/decisions), the page (evaluation before the map), decisions and the scheduled job."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.forecasts import jobs, service
from knooppunt.forecasts.evaluation import evaluate_signals
from knooppunt.forecasts.models import ForecastDecision, ForecastEvaluation
from knooppunt.organisations.models import Role
from knooppunt.signals.models import Signal
from knooppunt.taxonomy.models import Theme

from ..factories import OrganisationFactory, SignalFactory, member, municipality

pytestmark = pytest.mark.django_db

HOT = [(257_600.0, 471_600.0), (259_100.0, 472_300.0), (256_400.0, 470_200.0)]
URL = "/api/v1/forecasts"


def _month_start(today: dt.date, back: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _plant(organisation, months: int, per_hot: int = 5) -> None:
    """`months` months before this one: `per_hot` signals a month in each hot cell and a
    few elsewhere in Enschede (RD New), all hennep, reported by `organisation`."""
    enschede = municipality("GM0153")
    rng = np.random.default_rng(3)
    today = timezone.localdate()
    rows = []
    for back in range(1, months + 1):
        day = _month_start(today, back) + dt.timedelta(days=9)
        points = [(x + rng.uniform(-80, 80), y + rng.uniform(-80, 80))
                  for x, y in HOT for _ in range(per_hot)]
        # A little noise south of the hot cells (it never lands in one of them).
        points += [(254_000 + rng.uniform(0, 6000), 466_500 + rng.uniform(0, 2500))
                   for _ in range(3)]
        rows += [(x, y, day) for x, y in points]
    theme = Theme.objects.get(code="hennepteelt")
    for x, y, day in rows:
        SignalFactory(x_rd=x, y_rd=y, received_on=day, municipality=enschede, theme=theme,
                      reporting_organisation=organisation)


@pytest.fixture
def gemeente():
    return OrganisationFactory(name="Gemeente Enschede (voorspelling)",
                               municipalities=[municipality("GM0153")])


@pytest.fixture
def world(gemeente):
    _plant(gemeente, 36)
    return _users(gemeente)


def _users(gemeente) -> dict:
    return {
        "analist": member(Role.ANALIST, gemeente),
        "medewerker": member(Role.MEDEWERKER, gemeente),
        "burgemeester": member(Role.BESTUURDER, gemeente),
        "other": member(Role.ANALIST, OrganisationFactory(
            municipalities=[municipality("GM0363")])),
    }


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _evaluate() -> ForecastEvaluation:
    return evaluate_signals(Theme.objects.get(code="hennepteelt"), "GM0153",
                            today=timezone.localdate())


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


# ---------------------------------------------------------------- service and API


def test_without_an_evaluation_the_12_month_baseline_is_shown_and_said(world):
    forecast = service.compute(world["analist"], service.ForecastQuery("hennepteelt", "GM0153"),
                               timezone.localdate())
    assert set(forecast.forecasts) == {"last_month", "last_12_months", "kde_12_months",
                                       "gradient_boosting_poisson"}
    assert forecast.method == "last_12_months" and forecast.evaluation is None
    assert "nog geen evaluatie" in forecast.reason_nl
    hot = forecast.grid.locate(np.array([HOT[0][0]]), np.array([HOT[0][1]]))[0]
    assert forecast.shown[hot] == forecast.shown.max() == 60  # 5 a month x 12


def test_the_api_shows_the_evaluated_method_with_data_version_and_evaluation(world):
    evaluation = _evaluate()
    assert evaluation.theme.code == "hennepteelt" and evaluation.dataset is None
    assert len(evaluation.scores) == 12
    body = _client(world["analist"]).get(URL, {"theme": "hennepteelt", "area": "GM0153"}).json()
    assert body["type"] == "FeatureCollection"
    assert body["method"] == evaluation.shown_method
    assert body["reason"] == {"nl": evaluation.reason_nl, "en": evaluation.reason_en}
    assert body["evaluationId"] == evaluation.pk and body["refusal"] is None
    assert body["dataVersion"].startswith("signalen:hennepteelt:GM0153:")
    tops = [f["properties"]["top"] for f in body["features"]]
    assert tops.count("1") >= 3 and "5" in tops
    shares = [w["share"] for w in body["wijken"] if w["share"] is not None]
    assert body["wijken"] and abs(sum(shares) - 1) < 0.05  # wijken cover Enschede


def test_an_area_outside_the_users_municipalities_is_refused_as_problem(world):
    client = _client(world["other"])
    body = _problem(client.get(URL, {"theme": "hennepteelt", "area": "GM0153"}), 403)
    assert "buiten de gemeenten" in body["detail"]
    _problem(_client(world["analist"]).get(URL, {"theme": "hennepteelt", "area": "VR05"}), 403)
    _problem(_client(world["analist"]).get(URL, {"theme": "hennepteelt", "area": "GM9999"}),
             404)
    bad = _problem(_client(world["analist"]).get(
        URL, {"theme": "hennepteelt", "area": "GM0153", "horizon": "2"}), 400)
    assert bad["invalidParams"][0]["name"] == "horizon"


def test_a_mayor_gets_no_cells(world):
    body = _problem(_client(world["burgemeester"]).get(
        URL, {"theme": "hennepteelt", "area": "GM0153"}), 403)
    assert "alleen voor rollen" in body["detail"]


def test_too_little_history_is_refused_with_the_reason_and_the_baseline_still_shown(
        gemeente):
    _plant(gemeente, 6)
    users = _users(gemeente)
    body = _client(users["analist"]).get(URL, {"theme": "hennepteelt", "area": "GM0153"})
    body = body.json()
    assert body["refusal"]["code"] == "too_little_history"
    assert "Te weinig geschiedenis" in body["refusal"]["nl"]
    assert body["method"] == "last_12_months" and body["features"]
    assert max(f["properties"]["forecast"] for f in body["features"]) == 30  # 5 x 6 months


def test_no_signal_at_all_is_unprocessable(gemeente):
    users = _users(gemeente)
    body = _problem(_client(users["analist"]).get(
        URL, {"theme": "hennepteelt", "area": "GM0153"}), 422)
    assert "niets om op te voorspellen" in body["detail"]


def test_a_cell_is_explained_with_its_contributions_and_baselines(world):
    client = _client(world["analist"])
    cells = client.get(URL, {"theme": "hennepteelt", "area": "GM0153"}).json()["features"]
    hottest = max(cells, key=lambda f: f["properties"]["forecast"])["id"]
    body = client.get(f"{URL}/cells/{hottest}", {"theme": "hennepteelt", "area": "GM0153"})
    body = body.json()
    assert body["forecast"] == body["methods"][body["method"]] == 60  # 5 a month x 12
    assert set(body["methods"]) == {"last_month", "last_12_months", "kde_12_months",
                                    "gradient_boosting_poisson"}
    learned = body["learned"]
    assert learned["forecast"] == body["methods"]["gradient_boosting_poisson"]
    contributions = learned["contributions"]
    assert len(contributions) == 5
    sizes = [abs(c["contribution"]) for c in contributions]
    assert sizes == sorted(sizes, reverse=True)
    names = {c["feature"]: c["label"] for c in contributions}
    assert all(label["nl"] != label["en"] for label in names.values())
    lag = next(c for c in contributions if c["feature"] == "lag_12") \
        if "lag_12" in names else None
    assert lag is None or lag["value"] == 60


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.text(alphabet="0123456789mEN_-xX", min_size=1, max_size=30))
def test_any_cell_name_is_answered_without_a_server_error(gemeente, cell):
    if not Signal.objects.exists():
        _plant(gemeente, 2, per_hot=1)
    user = member(Role.ANALIST, gemeente)
    response = _client(user).get(f"{URL}/cells/{cell}",
                                 {"theme": "hennepteelt", "area": "GM0153"})
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert response["Content-Type"].startswith("application/problem+json")


# ---------------------------------------------------------------- decisions


def _decide(user, **data):
    payload = {"theme": "hennepteelt", "area": "GM0153", **data}
    return _client(user).post(f"{URL}/decisions", payload, format="json")


def test_a_decision_on_a_cell_is_recorded_with_the_forecast_and_logged(world):
    evaluation = _evaluate()
    client = _client(world["analist"])
    cells = client.get(URL, {"theme": "hennepteelt", "area": "GM0153"}).json()["features"]
    hottest = max(cells, key=lambda f: f["properties"]["forecast"])["id"]
    response = _decide(world["analist"], cell=hottest, kind="extra_controle",
                       note="Extra controle met netbeheerder")
    assert response.status_code == 201, response.content
    decision = ForecastDecision.objects.get()
    assert (decision.decided_by, decision.cell, decision.kind) == (
        world["analist"], hottest, "extra_controle")
    assert decision.evaluation == evaluation and decision.municipality.code == "GM0153"
    assert decision.forecast == 60 and decision.method == evaluation.shown_method
    assert decision.data_version.startswith("signalen:hennepteelt:GM0153")
    logged = ProcessingLogEntry.objects.filter(username=world["analist"].username,
                                               object_id=str(decision.pk),
                                               object_type__icontains="forecastdecision")
    assert [e.action for e in logged] == ["create"] and "besluit" in logged[0].purpose
    listed = client.get(f"{URL}/decisions", {"theme": "hennepteelt", "area": "GM0153"})
    assert [d["cell"] for d in listed.json()["decisions"]] == [hottest]
    with pytest.raises(ValueError):
        decision.save()


@pytest.mark.parametrize("data, field", [
    ({"kind": "sluiten"}, "kind"),
    ({"kind": "anders", "note": "  "}, "note"),
    ({"kind": "geen_actie", "cell": "500m_E1000_N1000"}, "cell"),
    ({"kind": "geen_actie", "cell": "<script>"}, "cell"),
    ({"kind": "geen_actie", "note": "x" * 2001}, "note"),
])
def test_bad_decisions_are_refused_as_problem_and_nothing_is_stored(world, data, field):
    body = _problem(_decide(world["analist"], **data), 400)
    assert body["invalidParams"][0]["name"] == field
    assert not ForecastDecision.objects.exists()


def test_a_decision_needs_an_analyst_or_coordinator_of_the_area(world):
    _problem(_decide(world["medewerker"], kind="geen_actie"), 403)
    _problem(_decide(world["other"], kind="geen_actie"), 403)
    assert not ForecastDecision.objects.exists()


# ---------------------------------------------------------------- page, job, command


def test_the_page_shows_the_evaluation_before_the_map_and_lists_decisions(world, client):
    _evaluate()
    assert _decide(world["analist"], kind="preventie", note="Voorlichting").status_code == 201
    client.force_login(world["analist"])
    html = client.get("/voorspellingen/", {"thema": "hennepteelt", "gebied": "GM0153"})
    html = html.content.decode()
    evaluation, map_ = html.index('id="forecast-evaluation"'), html.index('id="forecast-map"')
    assert evaluation < map_
    assert html.index("PAI", evaluation) < map_ and html.index("hit_rate", evaluation) < map_
    chart = html.index('<figure class="forecast-chart"><svg', evaluation)  # the PAI chart
    assert chart < map_ and "<desc id=\"forecast-chart-" in html[chart:map_]
    assert "Predictive Accuracy Index" in html  # the definitions are printed
    assert html.index('id="besluiten"') > map_ and "Voorlichting" in html
    assert 'href="/voorspellingen/modelkaart/"' in html
    assert re.search(r'<a href="/voorspellingen/"[^>]*>Voorspellingen</a>', html)


def test_the_nav_link_is_for_roles_that_may_see_forecasts(world, client):
    client.force_login(world["burgemeester"])
    html = client.get("/").content.decode()
    assert not re.search(r'<a href="/voorspellingen/"[^>]*>Voorspellingen</a>', html)


def test_the_job_re_evaluates_only_when_the_signals_changed(world, gemeente):
    first = _evaluate()
    today = timezone.localdate()
    assert jobs.refresh_stale(today) == []
    SignalFactory(x_rd=HOT[0][0], y_rd=HOT[0][1], received_on=today,
                  municipality=municipality("GM0153"), reporting_organisation=gemeente)
    made = jobs.refresh_stale(today)
    assert len(made) == 1 and made[0].pk != first.pk
    assert made[0].data_version != first.data_version


def test_the_command_evaluates_signals_and_says_a_refusal(world):
    from io import StringIO

    from django.core.management import call_command

    out, err = StringIO(), StringIO()
    call_command("evaluate_forecasts", "--theme", "hennepteelt", "--area", "GM0153",
                 "--area", "WK015300", stdout=out, stderr=err)
    assert "hennepteelt GM0153" in out.getvalue()
    assert ForecastEvaluation.objects.filter(area_code="GM0153").count() == 1
    assert "geweigerd" in err.getvalue()  # the Binnensingelgebied holds too few signals
