"""Decision 0056: register and cross-type features of signal forecasts, the forecast per
wijk (API and page), and the Algoritmeregister entry as a PDF."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import numpy as np
import pytest
from django.utils import timezone
from pypdf import PdfReader

from knooppunt.analytics.forecasts import BASE_FEATURES, ForbiddenFeature, month_index
from knooppunt.analytics.hotspot_service import area_by_code
from knooppunt.events.models import Event
from knooppunt.forecasts import covariates, service
from knooppunt.forecasts.evaluation import evaluate_signals
from knooppunt.forecasts.models import ForecastEvaluation
from knooppunt.forecasts.targets import THEME_FEATURES, Target
from knooppunt.organisations import scope
from knooppunt.registers.models import Address, Company
from knooppunt.signals.models import Signal
from knooppunt.taxonomy.models import Theme

from ..factories import OrganisationFactory, SignalFactory, municipality
from .test_signal_forecasts import HOT, URL, _client, _plant, _users

pytestmark = pytest.mark.django_db

_numbers = iter(range(1, 10_000))


def _address(x: float, y: float, *, year: int | None, status: str = "Verblijfsobject in "
             "gebruik", extract: dt.date | None = None, area: int | None = 120) -> Address:
    n = next(_numbers)
    return Address.objects.create(
        nummeraanduiding_id=f"0153200000{n:06d}", street="Teststraat", house_number=n,
        postcode="7511AA", city="Enschede", x_rd=x, y_rd=y, latitude=52.2, longitude=6.9,
        municipality=municipality("GM0153"), construction_year=year, floor_area=area,
        status=status, source="BAG (test)", source_date=extract or timezone.localdate())


@pytest.fixture
def gemeente():
    return OrganisationFactory(name="Gemeente Enschede (kenmerken)",
                               municipalities=[municipality("GM0153")])


@pytest.fixture
def world(gemeente):
    _plant(gemeente, 36)
    return _users(gemeente)


def _theme(code: str = "hennepteelt") -> Theme:
    return Theme.objects.get(code=code)


def test_register_tables_are_dated_by_when_the_register_knew(gemeente):
    today = timezone.localdate()
    x, y = HOT[0]
    _address(x, y, year=2020)
    vacant = _address(x + 10, y, year=1990, status="Verblijfsobject buiten gebruik",
                      extract=dt.date(2026, 3, 1))
    _address(x + 20, y, year=None, extract=dt.date(2025, 7, 4))  # no year: from the extract
    Company.objects.create(kvk_number="12345678", name="Test BV", address=vacant,
                           registered_on=dt.date(2024, 5, 17), source="KvK (test)",
                           source_date=today)
    Company.objects.create(kvk_number="87654321", name="Zonder datum BV", address=vacant,
                           registered_on=None, source="KvK (test)",
                           source_date=dt.date(2025, 1, 2))
    tables = covariates.covariate_tables(THEME_FEATURES, Target(theme=_theme()),
                                         area_by_code("GM0153"), Signal.objects.all(),
                                         Event.objects.none())
    assert sorted(tables["buildings"].column("month").to_pylist()) == sorted(
        [month_index(2020, 12), month_index(1990, 12), month_index(2025, 7)])
    assert tables["buildings"].column("floor_area").to_pylist() == [120.0] * 3
    # Vacancy has no history in the register: known from its extract, not from 1990.
    assert tables["vacant"].column("month").to_pylist() == [month_index(2026, 3)]
    assert sorted(tables["companies"].column("month").to_pylist()) == [
        month_index(2024, 5), month_index(2025, 1)]


def test_other_themes_on_a_users_map_come_from_what_the_user_may_see(world, gemeente):
    stranger = OrganisationFactory(municipalities=[municipality("GM0153")])
    drugs = _theme("drugsdump")
    x, y = HOT[1]
    for month in range(1, 4):
        SignalFactory(x_rd=x, y_rd=y, received_on=dt.date(2026, month, 3),
                      municipality=municipality("GM0153"), theme=drugs,
                      reporting_organisation=stranger)
    mine = SignalFactory(x_rd=x, y_rd=y, received_on=dt.date(2026, 4, 3),
                         municipality=municipality("GM0153"), theme=drugs,
                         reporting_organisation=gemeente)
    area = area_by_code("GM0153")
    empty = Event.objects.none()
    analist = world["analist"]
    as_user = covariates.covariate_tables(("other_lag_12",), Target(theme=_theme()), area,
                                          scope.signals_for(analist), empty)
    everything = covariates.covariate_tables(("other_lag_12",), Target(theme=_theme()), area,
                                             Signal.objects.all(), empty)
    visible = scope.signals_for(analist).filter(theme=drugs).count()
    assert as_user["other"].num_rows == visible < everything["other"].num_rows == 4
    assert mine in scope.signals_for(analist)
    # Only the tables the features need are made: no registers read for this one.
    assert set(as_user) == {"other"}


def test_the_map_uses_the_features_its_evaluation_was_made_with(world):
    x, y = HOT[0]
    for i in range(5):
        _address(x + i, y, year=1980 + i)
    evaluation = evaluate_signals(_theme(), "GM0153", today=timezone.localdate())
    assert tuple(evaluation.features) == THEME_FEATURES
    forecast = service.compute(world["analist"], service.ForecastQuery("hennepteelt",
                                                                       "GM0153"),
                               timezone.localdate())
    assert forecast.fitted.features == THEME_FEATURES
    column = forecast.fitted.features.index("buildings")
    hot = forecast.grid.locate(np.array([x]), np.array([y]))[0]
    assert forecast.features_now[hot, column] == 5
    # An evaluation made with the cell's history only: the map's model uses just that.
    ForecastEvaluation.objects.filter(pk=evaluation.pk).update(features=list(BASE_FEATURES))
    service._cache.clear()
    again = service.compute(world["analist"], service.ForecastQuery("hennepteelt", "GM0153"),
                            timezone.localdate())
    assert again.fitted.features == BASE_FEATURES


def test_a_feature_off_the_allow_list_is_refused_and_nothing_stored(world):
    with pytest.raises(ForbiddenFeature) as refused:
        evaluate_signals(_theme(), "GM0153", today=timezone.localdate(),
                         features=(*BASE_FEATURES, "bewoner_nationaliteit"))
    assert refused.value.person_data
    assert not ForecastEvaluation.objects.exists()
    with pytest.raises(ForbiddenFeature):
        service.features_for(ForecastEvaluation(features=["lag_1", "parking_spaces"]),
                             Target(theme=_theme()))


# ---------------------------------------------------------------- per wijk


def test_per_wijk_sums_equal_the_cell_sums(world):
    client = _client(world["analist"])
    query = {"theme": "hennepteelt", "area": "GM0153"}
    cells = client.get(URL, query).json()
    wijken = client.get(URL, {**query, "per": "wijk"}).json()
    assert wijken["type"] == "FeatureCollection" and wijken["per"] == "wijk"
    assert wijken["method"] == cells["method"] and wijken["period"] == cells["period"]
    cell_total = sum(f["properties"]["forecast"] for f in cells["features"])
    wijk_total = sum(f["properties"]["forecast"] for f in wijken["features"])
    outside = wijken["outsideWijken"]
    assert outside["total"] == pytest.approx(cell_total, abs=0.01)
    assert wijk_total + outside["forecast"] == pytest.approx(cell_total, abs=0.01)
    # Every cell in one wijk at most, and the cells add up to the grid.
    assert (sum(f["properties"]["cells"] for f in wijken["features"]) + outside["cells"]
            == len(cells["features"]))
    assert wijk_total > 0.9 * cell_total  # Enschede's wijken cover Enschede
    first = wijken["features"][0]
    assert first["id"].startswith("WK0153") and first["geometry"]["type"] in (
        "Polygon", "MultiPolygon")
    lon, lat = first["geometry"]["coordinates"][0][0][:2] if first["geometry"]["type"] == \
        "Polygon" else first["geometry"]["coordinates"][0][0][0][:2]
    assert 6 < lon < 7.2 and 52 < lat < 52.4  # WGS84, Enschede
    # The table on the page (the cell answer's `wijken`) says the same.
    assert {w["code"]: w["forecast"] for w in cells["wijken"]} == {
        f["id"]: f["properties"]["forecast"] for f in wijken["features"]}


def test_a_bad_per_is_refused_as_problem(world):
    response = _client(world["analist"]).get(URL, {"theme": "hennepteelt", "area": "GM0153",
                                                   "per": "buurt\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["invalidParams"][0]["name"] == "per"


def test_the_page_offers_the_wijk_layer_and_the_pdf(world, client):
    client.force_login(world["analist"])
    page = client.get("/voorspellingen/?thema=hennepteelt&gebied=GM0153").content.decode()
    assert 'name="forecast-layer" value="wijken"' in page
    assert "/voorspellingen/algoritmeregister.pdf" in page


# ---------------------------------------------------------------- the register entry as PDF


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_register_entry_is_a_pdf_with_the_name_and_every_feature(world, client,
                                                                      language):
    client.force_login(world["analist"])
    response = client.get("/voorspellingen/algoritmeregister.pdf",
                          HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "algoritmeregister.pdf" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Knooppunt" in text and "vacant_share" in text and "new_companies_12" in text
    assert ("Algoritmeregister" if language == "nl" else "Algorithm register") in text


def test_the_pdf_needs_a_login(client):
    response = client.get("/voorspellingen/algoritmeregister.pdf")
    assert response.status_code == 302


# ---------------------------------------------------------------- a past month beside what happened


def _label(back: int) -> str:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def test_a_past_month_is_set_beside_what_happened_in_it(world):
    client = _client(world["analist"])
    query = {"theme": "hennepteelt", "area": "GM0153"}
    body = client.get(URL, {**query, "month": _label(2)}).json()
    assert body["period"] == _label(2)
    actual = [f["properties"]["actual"] for f in body["features"]]
    # _plant: 5 signals a month in each of the 3 hot cells and 3 elsewhere in Enschede.
    assert sum(actual) == 18 and max(actual) == 5
    hot = {f["id"] for f in body["features"] if f["properties"]["actual"] == 5}
    assert all(f["properties"]["top"] for f in body["features"] if f["id"] in hot)
    comparison = body["comparison"]
    assert comparison["events"] == 18 and comparison["0.05"]["hitRate"] >= 15 / 18
    # The coming period has no "what happened".
    coming = client.get(URL, query).json()
    assert coming["comparison"] is None and "actual" not in coming["features"][0]["properties"]


@pytest.mark.parametrize("month", ["current", "13 back", "2026-13", "2026-1\x00"])
def test_a_month_that_cannot_be_compared_is_refused_as_problem(world, month):
    value = {"current": _label(0), "13 back": _label(13)}.get(month, month)
    response = _client(world["analist"]).get(URL, {"theme": "hennepteelt", "area": "GM0153",
                                                   "month": value})
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["invalidParams"][0]["name"] == "month"


def test_the_job_re_evaluates_with_the_features_of_the_evaluation_before(world, gemeente):
    from knooppunt.forecasts import jobs
    from knooppunt.forecasts.demo import DEMO_FEATURES

    first = evaluate_signals(_theme(), "GM0153", today=timezone.localdate(),
                             features=DEMO_FEATURES)
    assert tuple(first.features) == DEMO_FEATURES and "buildings" not in first.features
    SignalFactory(x_rd=HOT[0][0], y_rd=HOT[0][1], received_on=timezone.localdate(),
                  municipality=municipality("GM0153"), reporting_organisation=gemeente)
    [made] = jobs.refresh_stale(timezone.localdate())
    assert made.features == first.features
