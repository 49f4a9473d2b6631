"""Wijken by name (decision 0035): placement by point-in-polygon, names on pages, the area
picker, `/api/v1/areas` and the WGS84 boundaries for the map."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from shapely.geometry import Point, shape

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.geo import boundaries, lookup
from knooppunt.geo.models import District
from knooppunt.geo.projection import wgs84_to_rd
from knooppunt.organisations.models import OrganisationKind, Role
from knooppunt.signals.models import Signal
from tests.factories import OrganisationFactory, member, municipality

pytestmark = pytest.mark.django_db

ENSCHEDE, HENGELO = "GM0153", "GM0164"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def enschede_analyst(db):
    org = OrganisationFactory(name="Gemeente Enschede (wijken)", kind=OrganisationKind.GEMEENTE,
                              municipalities=[municipality(ENSCHEDE)])
    return member(Role.ANALIST, org)


# ---------------------------------------------------------------- placement


def _wijken_of(code: str) -> list[District]:
    return list(District.objects.filter(municipality__code=code).order_by("code"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_point_inside_a_wijk_is_placed_in_that_wijk(data):
    wijken = _wijken_of(ENSCHEDE)
    wijk = data.draw(st.sampled_from(wijken))
    polygon = shape(wijk.boundary)
    # A point well inside (at least 30 m from the edge, so the neighbours' simplified
    # outlines cannot overlap it), drawn from the wijk's box until it falls inside.
    inner = polygon.buffer(-30)
    if inner.is_empty:
        return
    min_x, min_y, max_x, max_y = inner.bounds
    x = data.draw(st.floats(min_x, max_x))
    y = data.draw(st.floats(min_y, max_y))
    if not inner.contains(Point(x, y)):
        return
    assert lookup.district_at(wijk.municipality_id, x, y) == wijk.pk
    # The bulk path says the same.
    assert lookup.districts_at([wijk.municipality_id], [x], [y]) == [wijk.pk]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(240_000, 270_000), st.floats(460_000, 485_000)),
                min_size=1, max_size=30))
def test_bulk_placement_equals_one_by_one_and_stays_in_the_municipality(points):
    enschede = municipality(ENSCHEDE)
    own = {w.pk for w in _wijken_of(ENSCHEDE)}
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    bulk = lookup.districts_at([enschede.pk] * len(points), xs, ys)
    assert bulk == [lookup.district_at(enschede.pk, x, y) for x, y in points]
    assert {d for d in bulk if d is not None} <= own


def test_no_point_or_no_municipality_places_nothing():
    enschede = municipality(ENSCHEDE)
    assert lookup.districts_at([enschede.pk, None], [None, 257_000], [None, 471_000]) \
        == [None, None]
    # Far outside every wijk of Enschede (Amsterdam): nothing, not the nearest.
    x, y = wgs84_to_rd(52.3731, 4.8922)
    assert lookup.district_at(enschede.pk, x, y) is None


def test_a_registered_signal_without_register_address_gets_its_wijk(enschede_analyst):
    from knooppunt.signals.services import Location, create_signal
    from knooppunt.taxonomy.models import SourceType, Theme

    x, y = wgs84_to_rd(52.2215, 6.8937)  # Enschede centre
    expected = District.objects.get(code="WK015300")
    assert shape(expected.boundary).contains(Point(x, y))
    coordinator = member(Role.COORDINATOR,
                         enschede_analyst.memberships.first().organisation)
    signal = create_signal(
        user=coordinator, reporting_organisation=coordinator.memberships.first().organisation,
        theme=Theme.objects.get(code="hennepteelt"),
        source_type=SourceType.objects.get(code="gemeente"),
        received_on=dt.date(2025, 3, 1),
        location=Location(municipality(ENSCHEDE), x, y, 52.2215, 6.8937),
        description="Hennepgeur",
    )
    assert Signal.objects.get(pk=signal.pk).district == expected


def test_a_delivered_row_with_a_point_gets_its_wijk():
    from knooppunt.intake.addresses import place, place_columns

    x, y = wgs84_to_rd(52.2215, 6.8937)
    enschede = municipality(ENSCHEDE)
    wijk = District.objects.get(code="WK015300").pk
    rows = [{"municipality_id": enschede.pk, "x_rd": x, "y_rd": y},
            {"municipality_id": enschede.pk, "x_rd": None, "y_rd": None}]
    place(rows)
    assert [r.get("district_id") for r in rows] == [wijk, None]
    columns = {name: [None, None] for name in (
        "postcode", "house_number", "house_letter", "house_number_addition", "street", "city",
        "latitude", "longitude")}
    columns.update(municipality_id=[enschede.pk, enschede.pk], x_rd=[x, None], y_rd=[y, None])
    place_columns(columns)
    assert columns["district_id"] == [wijk, None]


# ---------------------------------------------------------------- names on pages


def test_signal_page_shows_the_wijk_name(client, enschede_analyst):
    from tests.factories import SignalFactory

    wijk = District.objects.get(code="WK015300")
    org = enschede_analyst.memberships.first().organisation
    signal = SignalFactory(district=wijk, reporting_organisation=org)
    client.force_login(enschede_analyst)
    html = client.get(f"/signalen/{signal.reference}/").content.decode()
    assert "Wijk 00 Binnensingelgebied (WK015300)" in html


def test_area_names_and_crumbs_use_the_wijk_name():
    from knooppunt.dashboards.navigation import parents
    from knooppunt.monitoring import areas
    from knooppunt.monitoring.models import AreaLevel

    assert areas.area(AreaLevel.DISTRICT, "WK015300").name == \
        "Wijk 00 Binnensingelgebied (Enschede)"
    buurt = District.objects.get(code="WK015300").neighbourhoods.first()
    crumbs = parents(AreaLevel.NEIGHBOURHOOD, buurt.code)
    assert crumbs[-1].name == "Wijk 00 Binnensingelgebied"


def test_analysis_page_breaks_a_municipality_down_into_named_wijken(client, enschede_analyst):
    client.force_login(enschede_analyst)
    response = client.get(reverse("dashboards:analysis"), {"gebied": ENSCHEDE})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wijk 00 Binnensingelgebied" in html
    # The picker offers the user's wijken by name, keyboard reachable (a datalist).
    assert 'list="id_gebied-keuzes"' in html
    assert "Wijk 00 Binnensingelgebied (Enschede) · WK015300" in html
    assert "Hengelo" not in html.split('id="id_gebied-keuzes"')[1].split("</datalist>")[0]


@pytest.mark.parametrize("typed", ["Wijk 00 Binnensingelgebied (Enschede) · WK015300",
                                   "wijk 00 binnensingelgebied", "WK015300", "wk015300"])
def test_the_picker_takes_a_name_or_a_code(client, enschede_analyst, typed):
    client.force_login(enschede_analyst)
    response = client.get(reverse("dashboards:analysis"), {"gebied": typed})
    assert response.status_code == 200
    assert response.context["area"].code == "WK015300"


def test_the_picker_refuses_an_unknown_or_ambiguous_name(client, enschede_analyst):
    client.force_login(enschede_analyst)
    response = client.get(reverse("dashboards:analysis"), {"gebied": "Atlantis"})
    assert response.status_code == 400
    assert "Geen gebied gevonden met de naam of code" in response.content.decode()
    from knooppunt.dashboards.area_picker import AmbiguousArea, Option, resolve

    with pytest.raises(AmbiguousArea):
        resolve("Centrum", [Option("WK000101", "Centrum"), Option("WK000201", "Centrum")])


# ---------------------------------------------------------------- API


def test_areas_lists_own_municipality_and_its_wijken(enschede_analyst):
    api = client_for(enschede_analyst)
    body = api.get("/api/v1/areas").json()
    codes = [a["code"] for a in body]
    assert codes[0] == ENSCHEDE
    wijken = [a for a in body if a["level"] == "wijk"]
    assert len(wijken) == District.objects.filter(municipality__code=ENSCHEDE).count()
    first = next(a for a in wijken if a["code"] == "WK015300")
    assert first["name"] == "Wijk 00 Binnensingelgebied"
    assert first["municipalityName"] == "Enschede"
    west, south, east, north = first["bbox"]
    assert 6.8 < west < east < 7.0 and 52.1 < south < north < 52.3
    found = api.get("/api/v1/areas", {"q": "binnensingel"}).json()
    assert [a["code"] for a in found] == ["WK015300"]
    assert api.get("/api/v1/areas", {"level": "gemeente"}).json()[0]["code"] == ENSCHEDE


def test_areas_outside_the_users_municipalities_are_refused(enschede_analyst):
    api = client_for(enschede_analyst)
    response = api.get("/api/v1/areas", {"municipality": HENGELO})
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert "GM0164" in response.json()["detail"] and "serves" in response.json()["detail"]
    unknown = api.get("/api/v1/areas", {"municipality": "GM9999"})
    assert unknown.status_code == 404 and "unknown" in unknown.json()["detail"]
    bad = api.get("/api/v1/areas", {"municipality": "Enschede"})
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "municipality"
    nul = api.get("/api/v1/areas", {"q": "bin\x00nen"})
    assert nul.status_code == 400 and nul.json()["invalidParams"][0]["name"] == "q"
    assert api.get("/api/v1/areas/WK016400/boundary").status_code == 403
    assert api.get("/api/v1/areas/WK0153ZZ/boundary").status_code == 404


def test_boundaries_are_geojson_in_wgs84(enschede_analyst):
    api = client_for(enschede_analyst)
    collection = api.get("/api/v1/areas/boundaries", {"level": "wijk"}).json()
    assert collection["type"] == "FeatureCollection"
    assert "CBS" in collection["attribution"]
    feature = next(f for f in collection["features"] if f["id"] == "WK015300")
    geometry = shape(feature["geometry"])
    assert geometry.is_valid
    assert geometry.contains(Point(6.8937, 52.2215))  # lon, lat of Enschede centre
    one = api.get("/api/v1/areas/WK015300/boundary").json()
    assert one["properties"]["name"] == "Wijk 00 Binnensingelgebied"
    assert shape(one["geometry"]).equals_exact(geometry, 1e-6)


def test_areas_need_a_login_or_a_key_with_figures_read():
    assert APIClient().get("/api/v1/areas").status_code == 401
    from knooppunt.organisations.api_keys import required_scope

    assert required_scope("/api/v1/areas/boundaries", "GET", "area-boundaries") == \
        "figures:read"


# ---------------------------------------------------------------- for the map


def test_wijk_features_for_the_map():
    found = boundaries.wijk_features([ENSCHEDE, HENGELO])
    codes = [f["id"] for f in found["features"]]
    assert codes == sorted(District.objects.filter(
        municipality__code__in=[ENSCHEDE, HENGELO]).values_list("code", flat=True))
    props = found["features"][0]["properties"]
    assert set(props) == {"code", "name", "level", "municipality", "municipalityName",
                          "population"}
    for f in found["features"]:
        lon, lat = f["geometry"]["coordinates"][0][0][:2] \
            if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"][0][0][0][:2]
        assert 6.5 < lon < 7.1 and 52.1 < lat < 52.4
    assert boundaries.wijk_features([])["features"] == []
