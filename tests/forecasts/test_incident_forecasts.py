"""Decision 0057: police incidents (a Dutch events dataset, all offences or one) as the
target of a forecast — the service, /api/v1/forecasts (+ /decisions), the page, the
evaluation, the job and the command — and who may choose them."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.analytics.hotspot_service import HotspotError
from knooppunt.events.datasets import DatasetSpec, ensure_dataset
from knooppunt.events.models import Event, OffenceCode
from knooppunt.forecasts import jobs, service
from knooppunt.forecasts.evaluation import evaluate_area
from knooppunt.forecasts.models import ForecastDecision, ForecastEvaluation, latest_evaluations
from knooppunt.forecasts.targets import OFFENCE_FEATURES, Target, resolve
from knooppunt.intake.models import Delivery
from knooppunt.organisations import scope
from knooppunt.organisations.models import Confidentiality, OrganisationKind, Role

from ..factories import CovenantFactory, OrganisationFactory, member, municipality
from .test_signal_forecasts import HOT, URL, _client, _month_start, _problem

pytestmark = pytest.mark.django_db

DRUGS, THEFT = "3.1.1", "1.2.3"


@pytest.fixture
def police():
    return OrganisationFactory(name="Politie Oost-Nederland (voorspelling)",
                               kind=OrganisationKind.POLITIE,
                               municipalities=[municipality("GM0153")])


@pytest.fixture
def dataset(police):
    return ensure_dataset(DatasetSpec(code="politie-test", name="Incidenten Enschede",
                                      organisation=police))


def _plant(dataset, months: int, *, per_hot: int = 5, seed: int = 5) -> None:
    """`months` months before this one: `per_hot` drug-trafficking incidents a month in
    each hot cell, and thefts spread south of them (never in a hot cell)."""
    rng = np.random.default_rng(seed)
    delivery = Delivery.objects.create(
        profile=dataset.profile, organisation=dataset.organisation, delivered_by=None,
        delivered_by_name="test", original_name="t.csv", checksum="0" * 64)
    codes = {c.code: c for c in OffenceCode.objects.filter(code_list=dataset.code_list,
                                                            code__in=[DRUGS, THEFT])}
    enschede = municipality("GM0153")
    today = timezone.localdate()
    events = []
    for back in range(1, months + 1):
        day = _month_start(today, back) + dt.timedelta(days=11)
        drugs = [(x + rng.uniform(-80, 80), y + rng.uniform(-80, 80), DRUGS)
                 for x, y in HOT for _ in range(per_hot)]
        thefts = [(254_000 + rng.uniform(0, 6000), 466_500 + rng.uniform(0, 2500), THEFT)
                  for _ in range(4)]
        for x, y, code in drugs + thefts:
            events.append(Event(dataset=dataset, delivery=delivery,
                                key=f"{dataset.code}-{len(events)}-{seed}", occurred_on=day,
                                offence=codes[code], x=x, y=y, latitude=52.22,
                                longitude=6.89, municipality=enschede))
    Event.objects.bulk_create(events)


@pytest.fixture
def world(police, dataset):
    _plant(dataset, 36)
    gemeente = OrganisationFactory(name="Gemeente Enschede (incidenten)",
                                   kind=OrganisationKind.GEMEENTE,
                                   municipalities=[municipality("GM0153")])
    partner = OrganisationFactory(name="Netbeheer (incidenten)",
                                  kind=OrganisationKind.NETBEHEERDER,
                                  municipalities=[municipality("GM0153")])
    # The covenant names every source type (police included) and allows confidential.
    CovenantFactory(parties=[police, gemeente, partner],
                    max_confidentiality=Confidentiality.VERTROUWELIJK)
    return {"politie": member(Role.ANALIST, police),
            "gemeente": member(Role.ANALIST, gemeente),
            "partner": member(Role.ANALIST, partner)}


def _query(offence: str = DRUGS, **options) -> service.ForecastQuery:
    return service.ForecastQuery("", "GM0153", incidents="politie-test", offence=offence,
                                 **options)


def _target(offence: str | None = DRUGS) -> Target:
    return resolve(incidents="politie-test", offence=offence or "")


# ---------------------------------------------------------------- service


def test_a_forecast_of_one_offence_counts_that_offence_only(world):
    forecast = service.compute(world["politie"], _query(), timezone.localdate())
    assert forecast.target.offence.code == DRUGS and forecast.method == "last_12_months"
    hot = forecast.grid.locate(np.array([HOT[0][0]]), np.array([HOT[0][1]]))[0]
    assert forecast.shown[hot] == forecast.shown.max() == 60  # 5 a month x 12
    # The thefts are the "other type" of the learned model, not part of the target.
    assert forecast.forecasts["last_12_months"].sum() == 3 * 5 * 12
    assert "other_lag_1" in forecast.fitted.features
    assert "signals_lag_1" in forecast.fitted.features
    everything = service.compute(world["politie"], _query(offence=""), timezone.localdate())
    assert everything.forecasts["last_12_months"].sum() == (3 * 5 + 4) * 12
    assert "other_lag_1" not in everything.fitted.features  # no other type in "all"


def test_what_a_municipality_reads_is_decided_by_scope(world, police):
    gemeente = world["gemeente"]
    assert Event.objects.filter(pk__in=scope.events_for(gemeente).values("pk")).count() \
        == Event.objects.count()
    forecast = service.compute(gemeente, _query(), timezone.localdate())
    assert forecast.forecasts["last_12_months"].sum() == 3 * 5 * 12
    # Without the covenant the dataset is unknown to the municipality: not told it exists.
    police.covenants.all().delete()
    service._cache.clear()
    with pytest.raises(HotspotError) as refused:
        service.compute(gemeente, _query(), timezone.localdate())
    assert refused.value.param == "incidents"


def test_partners_never_read_police_incidents_so_cannot_forecast_them(world):
    body = _problem(_client(world["partner"]).get(
        URL, {"incidents": "politie-test", "offence": DRUGS, "area": "GM0153"}), 400)
    assert body["invalidParams"][0]["name"] == "incidents"
    assert "Onbekend incidentenbestand" in body["invalidParams"][0]["reason"]


# ---------------------------------------------------------------- evaluation


def test_the_evaluation_is_stored_per_target_and_area_and_shown_with_the_map(world, dataset):
    evaluation = evaluate_area(_target(), "GM0153", today=timezone.localdate())
    assert (evaluation.dataset, evaluation.offence.code, evaluation.area_code,
            evaluation.theme) == (dataset, DRUGS, "GM0153", None)
    assert tuple(evaluation.features) == OFFENCE_FEATURES and len(evaluation.scores) == 12
    assert evaluation.data_version.startswith(f"incidenten:politie-test:{DRUGS}:GM0153:")
    body = _client(world["politie"]).get(
        URL, {"incidents": "politie-test", "offence": DRUGS, "area": "GM0153"}).json()
    assert body["evaluationId"] == evaluation.pk and body["method"] == evaluation.shown_method
    assert body["theme"] is None
    assert body["target"]["kind"] == "incidents" and body["target"]["offence"] == DRUGS
    assert "Drugshandel" in body["target"]["label"]
    # Not the dataset-wide list (that is for whole datasets such as Toronto)...
    assert latest_evaluations(scope.event_datasets_for(world["politie"])) == []
    # ... and not the evaluation of all offences, nor of a theme in the same area.
    other = _client(world["politie"]).get(
        URL, {"incidents": "politie-test", "area": "GM0153"}).json()
    assert other["evaluationId"] is None
    assert _client(world["politie"]).get(
        "/api/v1/forecasts/evaluations", {"dataset": "politie-test"}).json() == {
        "evaluations": []}


def test_the_job_keeps_an_incident_evaluation_current(world, dataset):
    first = evaluate_area(_target(), "GM0153", today=timezone.localdate())
    assert jobs.refresh_stale(timezone.localdate()) == []
    _plant(dataset, 2, seed=9)  # new incidents: the data version changes
    made = jobs.refresh_stale(timezone.localdate())
    assert len(made) == 1 and made[0].offence == first.offence
    assert made[0].data_version != first.data_version
    assert made[0].features == first.features


def test_the_command_evaluates_incidents_in_an_area(world):
    out, err = StringIO(), StringIO()
    call_command("evaluate_forecasts", "politie-test", "--area", "GM0153", "--offence",
                 DRUGS, stdout=out, stderr=err)
    stored = ForecastEvaluation.objects.get()
    assert stored.area_code == "GM0153" and stored.offence.code == DRUGS
    assert f"incidenten:politie-test:{DRUGS} GM0153" in out.getvalue()
    with pytest.raises(CommandError, match="delictcode"):
        call_command("evaluate_forecasts", "politie-test", "--area", "GM0153",
                     "--offence", "9.9.9")


# ---------------------------------------------------------------- API refusals


@pytest.mark.parametrize(("params", "name"), [
    ({"area": "GM0153"}, "theme"),  # neither
    ({"theme": "hennepteelt", "incidents": "politie-test", "area": "GM0153"}, "theme"),
    ({"theme": "hennepteelt", "offence": DRUGS, "area": "GM0153"}, "offence"),
    ({"incidents": "politie-test", "offence": "9.9.9", "area": "GM0153"}, "offence"),
    ({"incidents": "bestaat-niet", "area": "GM0153"}, "incidents"),
])
def test_a_wrong_target_is_refused_with_the_parameter(world, params, name):
    body = _problem(_client(world["politie"]).get(URL, params), 400)
    assert body["invalidParams"][0]["name"] == name


def test_a_foreign_dataset_cannot_be_forecast_per_dutch_area(world, police):
    ensure_dataset(DatasetSpec(code="toronto-mci", name="Toronto MCI", organisation=police,
                               code_list="toronto-mci", crs=2952, country="CA",
                               area=(43.57, 43.87, -79.65, -79.10)))
    delivery = Delivery.objects.create(
        profile=police.event_datasets.get(code="toronto-mci").profile, organisation=police,
        delivered_by=None, delivered_by_name="t", original_name="t.csv", checksum="1" * 64)
    Event.objects.create(dataset=police.event_datasets.get(code="toronto-mci"),
                         delivery=delivery, key="t1", occurred_on=dt.date(2020, 1, 1),
                         offence=OffenceCode.objects.filter(
                             code_list__code="toronto-mci").first(),
                         x=300_000, y=4_835_000, latitude=43.7, longitude=-79.4)
    body = _problem(_client(world["politie"]).get(
        URL, {"incidents": "toronto-mci", "area": "GM0153"}), 400)
    assert "niet in Nederland" in body["invalidParams"][0]["reason"]


# ---------------------------------------------------------------- decisions and page


def test_a_decision_on_an_incident_forecast_names_its_dataset_and_offence(world, dataset):
    client = _client(world["politie"])
    response = client.post("/api/v1/forecasts/decisions",
                           {"incidents": "politie-test", "offence": DRUGS, "area": "GM0153",
                            "kind": "extra_controle"}, format="json")
    assert response.status_code == 201, response.content
    decision = ForecastDecision.objects.get()
    assert (decision.theme, decision.dataset, decision.offence.code) == (None, dataset, DRUGS)
    listed = client.get("/api/v1/forecasts/decisions",
                        {"incidents": "politie-test", "offence": DRUGS,
                         "area": "GM0153"}).json()["decisions"]
    assert [d["id"] for d in listed] == [decision.pk] and listed[0]["offence"] == DRUGS
    # Not among the decisions on the hennep forecast, nor on all offences.
    for other in ({"theme": "hennepteelt"}, {"incidents": "politie-test"}):
        assert client.get("/api/v1/forecasts/decisions",
                          {**other, "area": "GM0153"}).json()["decisions"] == []


def test_the_page_offers_incidents_to_who_reads_them_and_shows_the_chosen_one(world, client):
    evaluation = evaluate_area(_target(), "GM0153", today=timezone.localdate())
    client.force_login(world["politie"])
    page = client.get("/voorspellingen/", {"doel": f"incidenten:politie-test:{DRUGS}",
                                           "gebied": "GM0153"}).content.decode()
    assert f'value="incidenten:politie-test:{DRUGS}" selected' in page
    assert 'value="incidenten:politie-test"' in page  # all offences
    assert "Drugshandel" in page and evaluation.shown_method in page
    assert page.index('id="forecast-evaluation"') < page.index('id="forecast-map"')
    assert f'"incidents": "politie-test", "offence": "{DRUGS}"' in page  # the map's query
    client.force_login(world["partner"])
    page = client.get("/voorspellingen/").content.decode()
    assert "incidenten:politie-test" not in page


def test_a_decision_from_the_page_returns_to_the_same_target(world, client):
    client.force_login(world["politie"])
    response = client.post("/voorspellingen/besluit/", {
        "doel": f"incidenten:politie-test:{DRUGS}", "gebied": "GM0153", "horizon": "1",
        "cel": "500", "besluit": "preventie", "toelichting": "voorlichting horeca"})
    assert response.status_code == 302
    assert f"doel=incidenten%3Apolitie-test%3A{DRUGS}" in response["Location"]
    assert ForecastDecision.objects.get().offence.code == DRUGS


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(choice=st.text(max_size=60))
def test_any_choice_on_the_page_gets_a_page_never_an_error(world, client, choice):
    client.force_login(world["politie"])
    response = client.get("/voorspellingen/", {"doel": choice.replace("\x00", ""),
                                               "gebied": "GM0153"})
    assert response.status_code == 200


def test_tested_forecasts_are_listed_and_in_the_register_for_who_may_see_them(world, client):
    from knooppunt.forecasts.evaluation import evaluate_signals
    from knooppunt.taxonomy.models import Theme

    from .test_signal_forecasts import _plant as plant_signals

    plant_signals(OrganisationFactory(municipalities=[municipality("GM0153")]), 36)
    incidents = evaluate_area(_target(), "GM0153", today=timezone.localdate())
    hennep = evaluate_signals(Theme.objects.get(code="hennepteelt"), "GM0153",
                              today=timezone.localdate())
    client.force_login(world["politie"])
    page = client.get("/voorspellingen/").content.decode()
    table = page[page.index('id="forecast-tested"'):page.index("Evaluaties van incident")]
    assert "Drugshandel" in table and "Hennepteelt" in table
    assert f"doel=incidenten%3Apolitie-test%3A{DRUGS}&amp;gebied=GM0153" in table
    document = client.get("/voorspellingen/algoritmeregister.json").json()
    subjects = {e["onderwerp"]: e for e in document["evaluatie"]}
    assert {e["getoonde_methode"] for e in subjects.values()} == {
        incidents.shown_method, hennep.shown_method}
    assert any("Drugshandel" in s for s in subjects)
    # The same through the API, with each month's scores.
    api = _client(world["politie"]).get("/api/v1/forecasts/evaluations").json()
    assert api["evaluations"] == []  # no whole dataset evaluated
    by_target = {e["target"]["code"]: e for e in api["areaEvaluations"]}
    assert set(by_target) == {"hennepteelt", f"incidenten:politie-test:{DRUGS}"}
    drugs = by_target[f"incidenten:politie-test:{DRUGS}"]
    assert drugs["area"]["code"] == "GM0153" and drugs["offence"] == DRUGS
    assert len(drugs["months"]) == 12 and drugs["shownMethod"] == incidents.shown_method
    partner = _client(world["partner"]).get("/api/v1/forecasts/evaluations").json()
    assert [e["target"]["code"] for e in partner["areaEvaluations"]] == ["hennepteelt"]
    # A grid operator reads no incidents: only the hennep forecast is listed for it.
    client.force_login(world["partner"])
    page = client.get("/voorspellingen/").content.decode()
    table = page[page.index('id="forecast-tested"'):page.index("Evaluaties van incident")]
    assert "Hennepteelt" in table and "Drugshandel" not in table
    document = client.get("/voorspellingen/algoritmeregister.json").json()
    assert [e["thema"] for e in document["evaluatie"]] == ["hennepteelt"]
    # Another municipality's analyst sees neither (the area is not theirs).
    elsewhere = member(Role.ANALIST, OrganisationFactory(
        kind=OrganisationKind.GEMEENTE, municipalities=[municipality("GM0363")]))
    client.force_login(elsewhere)
    assert client.get("/voorspellingen/algoritmeregister.json").json()["evaluatie"] == []
