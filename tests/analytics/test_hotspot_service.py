"""Hotspots for users: area and audience rules, the API (/api/v1/hotspots) and the page."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from knooppunt.analytics import hotspot_service as service
from knooppunt.organisations.models import Role

from ..factories import OrganisationFactory, SignalFactory, member, municipality

pytestmark = pytest.mark.django_db

X, Y = 258_000.0, 471_700.0  # central Enschede (RD New)
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@pytest.fixture
def world():
    enschede = municipality("GM0153")
    gemeente = OrganisationFactory(name="Gemeente Enschede (hotspots)",
                                   municipalities=[enschede])
    rng = np.random.default_rng(4)
    # 40 signals in a tight cluster and 2 far away; all reported by the municipality.
    points = [(X + dx, Y + dy) for dx, dy in rng.normal(0, 60, (40, 2))]
    points += [(X + 4000, Y + 3000), (X - 4000, Y - 2000)]
    for i, (x, y) in enumerate(points):
        SignalFactory(x_rd=x, y_rd=y, reporting_organisation=gemeente,
                      received_on=dt.date(2025, 1 + i % 12, 10), municipality=enschede)
    return {
        "analist": member(Role.ANALIST, gemeente),
        "burgemeester": member(Role.BESTUURDER, gemeente),
        "other": member(Role.ANALIST, OrganisationFactory(
            municipalities=[municipality("GM0363")])),
    }


def _query(**kwargs) -> service.Query:
    return service.Query(**{"area": "GM0153", "start": START, "end": END, **kwargs})


def test_an_analyst_finds_the_planted_cluster(world):
    answer = service.compute(world["analist"], _query())
    result = answer.result
    assert result.method.events == 42 and not answer.aggregate_only
    cell = result.grid.locate(np.array([X]), np.array([Y]))[0]
    assert result.gi.classes[cell] == 3
    # The study area is the whole municipality, not the cells with signals.
    assert result.grid.n_cells > 2000 and (result.counts == 0).sum() > 2000
    assert "Gi*" in answer.method_text and "Enschede" in answer.method_text


def test_the_mayor_gets_suppressed_counts_and_classes_only(world):
    answer = service.compute(world["burgemeester"], _query())
    assert answer.aggregate_only
    data = service.geojson(answer)
    counts = [f["properties"]["count"] for f in data["features"]]
    assert None in counts  # cells with 1-4 signals are hidden
    assert all(c is None or c == 0 or c >= 5 for c in counts)
    assert all(f["properties"]["z"] is None and f["properties"]["density"] is None
               for f in data["features"])
    assert any(f["properties"]["class"] == 3 for f in data["features"])


def test_an_area_outside_the_users_municipalities_is_refused(world):
    with pytest.raises(service.NotAllowed):
        service.compute(world["other"], _query())
    with pytest.raises(service.UnknownArea):
        service.compute(world["analist"], _query(area="GM9999"))


def test_a_region_is_refused_unless_all_of_it_is_served(world):
    with pytest.raises(service.NotAllowed):
        service.compute(world["analist"], _query(area="VR05"))


@pytest.mark.parametrize(("change", "param"), [
    ({"cell_size": 300}, "cellSize"),
    ({"start": dt.date(2015, 1, 1)}, "start"),
    ({"end": dt.date(2024, 1, 1)}, "end"),
    ({"step": "month", "start": dt.date(2025, 11, 1)}, "step"),
])
def test_bad_input_is_refused_with_the_parameter(world, change, param):
    with pytest.raises(service.HotspotError) as refused:
        service.compute(world["analist"], _query(**change))
    assert refused.value.param == param and refused.value.status == 400


def test_too_many_cells_is_refused_with_the_limit(world, settings):
    settings.KNOOPPUNT_HOTSPOT_MAX_CELLS = 1000
    with pytest.raises(service.HotspotError) as refused:
        service.compute(world["analist"], _query(cell_size=100))
    assert "1000" in str(refused.value) and refused.value.param == "cellSize"


def test_points_can_be_given_as_arrow(world):
    import pyarrow as pa

    table = pa.table({"x": [X, X + 10], "y": [Y, Y],
                      "day": pa.array([dt.date(2025, 2, 1), dt.date(2025, 3, 1)])})
    points = service.points_from_arrow(table, "events")
    answer = service.compute(world["analist"], _query(), points=points)
    assert answer.result.method.events == 2 and answer.result.method.data == "events"


def test_a_registered_points_source_is_used(world, monkeypatch):
    calls = []

    def source(user, query, area, aggregate_only):
        calls.append((area.code, aggregate_only))
        return service.Points(x=np.array([X]), y=np.array([Y]),
                              day=np.array(["2025-05-01"], dtype="datetime64[D]"),
                              data="test events")

    monkeypatch.setitem(service._SOURCES, "test-events", source)
    answer = service.compute(world["burgemeester"], _query(points="test-events"))
    assert calls == [("GM0153", True)] and answer.result.method.events == 1


def test_emerging_view_by_quarter(world):
    answer = service.compute(world["analist"], _query(step="quarter"))
    assert answer.result.emerging is not None
    assert answer.result.emerging.counts.shape[0] == 4
    data = service.geojson(answer)
    assert all("category" in f["properties"] for f in data["features"])


def test_default_period_is_the_last_24_whole_months():
    assert service.default_period(dt.date(2026, 12, 5)) == (dt.date(2024, 12, 1),
                                                          dt.date(2026, 11, 30))
    assert service.default_period(dt.date(2026, 1, 15)) == (dt.date(2024, 1, 1),
                                                          dt.date(2025, 12, 31))


# ---------------------------------------------------------------- API


def test_api_answers_geojson_in_wgs84(world):
    client = APIClient()
    client.force_authenticate(world["analist"])
    response = client.get("/api/v1/hotspots", {"area": "GM0153", "start": "2025-01-01",
                                               "end": "2025-12-31", "cellSize": "500"})
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection" and data["cellSize"] == 500
    lon, lat = data["features"][0]["geometry"]["coordinates"][0][0]
    assert 6.6 < lon < 7.1 and 52.1 < lat < 52.4
    assert data["method"]["crs"] == "EPSG:28992" and data["method"]["text"]
    assert sum(f["properties"]["count"] for f in data["features"]) == 42


@pytest.mark.parametrize(("params", "status", "param"), [
    ({"area": "GM0153", "cellSize": "300"}, 400, "cellSize"),
    ({"area": "GM9999"}, 404, None),
    ({"area": "GM0363"}, 403, None),
    ({"area": "GM0153", "start": "2010-01-01", "end": "2025-12-31"}, 400, "start"),
    ({"area": "bogus"}, 400, "area"),
    ({"area": "GM0153", "weights": "distance_band"}, 400, "band"),
])
def test_api_refuses_bad_input_as_problem_json(world, params, status, param):
    client = APIClient()
    client.force_authenticate(world["analist"])
    response = client.get("/api/v1/hotspots", params)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    if param:
        assert any(p["name"] == param for p in body["invalidParams"])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cell=st.text(max_size=6), start=st.text(max_size=12), area=st.text(max_size=8))
def test_api_never_fails_on_odd_input(world, cell, start, area):
    client = APIClient()
    client.force_authenticate(world["analist"])
    response = client.get("/api/v1/hotspots", {"area": area or "GM0153", "cellSize": cell,
                                               "start": start})
    assert response.status_code in (200, 400, 403, 404)


# ---------------------------------------------------------------- page


def test_the_page_draws_the_map_with_the_method_under_it(world, client):
    client.force_login(world["analist"])
    response = client.get("/dashboard/hotspots/", {"gebied": "GM0153", "van": "2025-01-01",
                                                   "tot": "2025-12-31", "cel": "250"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "#b2182b" in body  # a 99 % hot spot is drawn
    assert "Methode" in body and "Benjamini-Hochberg" in body


def test_the_page_refuses_an_unknown_cell_size_in_dutch(world, client):
    client.force_login(world["analist"])
    response = client.get("/dashboard/hotspots/", {"gebied": "GM0153", "cel": "300"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "kp-hotspot-title" not in body and "keuze" in body


def test_the_page_offers_only_the_users_areas(world, client):
    client.force_login(world["other"])
    response = client.get("/dashboard/hotspots/", {"gebied": "GM0153"})
    assert response.status_code == 400  # not a choice for this user


# ---------------------------------------------------------------- a wijk as the area


def test_a_wijk_of_the_users_municipality_is_an_area_with_its_own_boundary(world):
    from shapely.geometry import Point, shape

    from knooppunt.geo.models import District

    wijk = District.objects.exclude(boundary__isnull=True).get(code="WK015300")
    answer = service.compute(world["analist"], _query(area="wk015300", cell_size=100))
    assert answer.area.code == "WK015300" and wijk.name in answer.area.name
    assert answer.area.municipality_ids == (wijk.municipality_id,)
    inside = shape(wijk.boundary).contains(Point(X, Y))  # the planted cluster's centre
    municipality = service.compute(world["analist"], _query(cell_size=100))
    assert answer.result.grid.n_cells < municipality.result.grid.n_cells / 10
    assert answer.result.method.events <= municipality.result.method.events
    if inside:
        assert answer.result.method.events > 0


def test_a_wijk_outside_the_users_municipalities_is_refused(world):
    with pytest.raises(service.NotAllowed):
        service.compute(world["other"], _query(area="WK015300"))
    with pytest.raises(service.UnknownArea):
        service.compute(world["analist"], _query(area="WK999999"))
    client = APIClient()
    client.force_authenticate(world["other"])
    assert client.get("/api/v1/hotspots", {"area": "WK015300"}).status_code == 403
    client.force_authenticate(world["analist"])
    ok = client.get("/api/v1/hotspots", {"area": "WK015300", "start": "2025-01-01",
                                         "end": "2025-12-31", "cellSize": "100"})
    assert ok.status_code == 200 and ok.json()["area"]["code"] == "WK015300"


def test_the_page_takes_a_wijk_by_its_name_and_states_the_method(world, client):
    from knooppunt.geo.models import District

    wijk = District.objects.get(code="WK015300")
    client.force_login(world["analist"])
    page = client.get("/dashboard/hotspots/").content.decode()
    assert f"{wijk.name} (Enschede)" in page  # a suggestion of the area picker
    response = client.get("/dashboard/hotspots/", {
        "gebied": f"{wijk.name} (Enschede)", "van": "2025-01-01", "tot": "2025-12-31",
        "cel": "100"})
    assert response.status_code == 200, response.content.decode()[:2000]
    body = response.content.decode()
    assert f"Hotspots in {wijk.name} (Enschede)" in body
    assert "2025-01-01 – 2025-12-31" in body and "100 m" in body and "signalen" in body
    assert "gebied=WK015300" in body
