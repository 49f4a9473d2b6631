"""The area scan of a drawn polygon: exact point-in-polygon in the database, the same
answer as shapely; every wrong drawing refused with its reason, nothing stored."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon, mapping

from knooppunt.analytics.drawn import inside_q
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.geo.projection import geometry_to_wgs84
from knooppunt.organisations.models import ApiScope, Role
from knooppunt.registers.models import Address
from tests.api.helpers import assert_problem
from tests.factories import (
    OrganisationFactory,
    SignalFactory,
    issue_key,
    member,
    municipality,
    system_like,
)
from tests.registers.factories import AddressFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/area-scans/polygon"
X, Y = 258_000.0, 471_700.0  # Enschede, the centre
# An L: the square's north-east quarter is cut out, so a box test alone would be wrong.
L_SHAPE = Polygon([(X - 500, Y - 500), (X + 500, Y - 500), (X + 500, Y), (X, Y),
                   (X, Y + 500), (X - 500, Y + 500)])


def wgs84(polygon: Polygon) -> dict:
    found = mapping(geometry_to_wgs84(polygon))
    return {"type": "Polygon",
            "coordinates": [[list(p) for p in ring] for ring in found["coordinates"]]}


@pytest.fixture
def analyst():
    gemeente = OrganisationFactory(municipalities=[municipality("GM0153")])
    return member(Role.ANALIST, gemeente)


def test_inside_q_agrees_with_shapely(analyst):
    rng = random.Random(7)
    points = [(X + rng.uniform(-700, 700), Y + rng.uniform(-700, 700)) for _ in range(120)]
    points += [(X + 250, Y + 250), (X - 250, Y + 250), (X + 250, Y - 250)]  # notch, arms
    for x, y in points:
        AddressFactory(x_rd=x, y_rd=y)
    holed = Polygon(L_SHAPE.exterior.coords, [[(X - 300, Y - 300), (X - 100, Y - 300),
                                               (X - 100, Y - 100), (X - 300, Y - 100)]])
    for shape in (L_SHAPE, holed):
        found = set(Address.objects.filter(inside_q(shape)).values_list("x_rd", "y_rd"))
        expected = {p for p in points if shape.contains(Point(p))}
        assert found == expected
    assert (X + 250, Y + 250) not in found and (X - 250, Y + 250) in found


def test_api_scans_the_drawn_area(client, analyst):
    for x, y in ((X - 250, Y - 250), (X - 250, Y + 250), (X + 250, Y + 250)):
        AddressFactory(x_rd=x, y_rd=y)
    SignalFactory(municipality=municipality("GM0153"), x_rd=X - 250, y_rd=Y - 250)
    client.force_login(analyst)
    response = client.post(API, {"polygon": wgs84(L_SHAPE), "name": "Binnenstad"},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "getekend" and body["code"].startswith("getekend-")
    assert body["addresses"] == 2  # the one in the notch is outside
    assert body["name"].startswith("Binnenstad") and body["municipality"] == "GM0153"
    assert body["population"] is None


def test_a_key_with_the_read_scope_may_post_a_polygon(analyst):
    from rest_framework.test import APIClient

    _token, key = issue_key(system_like(analyst), [ApiScope.FIGURES_READ], name="kaart")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post(API, {"polygon": wgs84(L_SHAPE)}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["crowdedAddresses"] == []  # figures only


BOW_TIE = Polygon([(X - 400, Y - 400), (X + 400, Y + 400), (X + 400, Y - 400),
                   (X - 400, Y + 400)])
FAR_TOO_BIG = Polygon([(X - 4000, Y - 4000), (X + 4000, Y - 4000), (X + 4000, Y + 4000),
                       (X - 4000, Y + 4000)])
HENGELO = Polygon([(X - 7500, Y + 3500), (X - 6500, Y + 3500), (X - 6500, Y + 4500),
                   (X - 7500, Y + 4500)])


def _swapped() -> dict:
    good = wgs84(L_SHAPE)
    return {"type": "Polygon", "coordinates": [[[lat, lon] for lon, lat in good[
        "coordinates"][0]]]}


def _unclosed() -> dict:
    good = wgs84(L_SHAPE)
    return {"type": "Polygon", "coordinates": [good["coordinates"][0][:-1]]}


@pytest.mark.parametrize(("payload", "status", "words"), [
    ({"type": "Point", "coordinates": [6.89, 52.22]}, 400, "Polygon"),
    ({"type": "Polygon", "coordinates": []}, 400, "leeg"),
    ({"type": "Polygon", "coordinates": [[[6.89, 52.22], [6.9, 52.22], [6.89, 52.22]]]},
     400, "Te weinig punten"),
    ({"type": "Polygon", "coordinates": [[[6.89, 52.22], [6.9, 52.22], [6.91, 52.22],
                                          [6.89, 52.22]]]}, 400, "leeg"),
    ({"type": "Polygon", "coordinates": [[["6.89", 52.22], [6.9, 52.22], [6.9, 52.23],
                                          ["6.89", 52.22]]]}, 400, "getallen"),
    ("unclosed", 400, "niet gesloten"),
    ("swapped", 400, "verwisseld"),
    ({"type": "Polygon", "coordinates": [[[0.1, 40.0], [0.2, 40.0], [0.2, 40.1],
                                          [0.1, 40.0]]]}, 400, "buiten Nederland"),
    (BOW_TIE, 400, "Self-intersection"),
    (FAR_TOO_BIG, 400, "te groot"),
    (HENGELO, 403, "Hengelo"),
])
def test_wrong_drawings_are_refused_with_the_reason(client, analyst, payload, status, words):
    if payload == "unclosed":
        payload = _unclosed()
    elif payload == "swapped":
        payload = _swapped()
    elif isinstance(payload, Polygon):
        payload = wgs84(payload)
    client.force_login(analyst)
    before = ProcessingLogEntry.objects.count()
    body = assert_problem(client.post(API, {"polygon": payload},
                                      content_type="application/json"), status)
    assert words in body["detail"], body["detail"]
    if status == 400:
        assert body["invalidParams"][0]["name"] == "polygon"
    assert ProcessingLogEntry.objects.count() == before  # nothing scanned, nothing logged


def test_too_many_corners_is_refused(client, analyst, settings):
    settings.KNOOPPUNT_AREASCAN_MAX_VERTICES = 5
    client.force_login(analyst)
    body = assert_problem(client.post(API, {"polygon": wgs84(L_SHAPE)},
                                      content_type="application/json"), 400)
    assert "Te veel hoekpunten" in body["detail"]


numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(),
                    st.text(max_size=3), st.none(), st.booleans())
positions = st.lists(numbers, max_size=4)
dutch = st.tuples(st.floats(6.85, 6.93), st.floats(52.19, 52.25)).map(list)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(payload=st.one_of(
    st.none(), st.text(max_size=10), st.lists(st.integers(), max_size=3),
    st.fixed_dictionaries({"type": st.sampled_from(["Polygon", "polygon", "MultiPolygon"]),
                           "coordinates": st.lists(st.lists(positions, max_size=6),
                                                   max_size=2)}),
    st.lists(dutch, min_size=3, max_size=8).map(
        lambda ring: {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}),
))
def test_any_payload_is_answered_or_refused_never_a_crash(client, analyst, payload):
    client.force_login(analyst)
    response = client.post(API, {"polygon": payload}, content_type="application/json")
    assert response.status_code in (200, 400, 403), response.content[:300]
    if response.status_code != 200:
        assert response["Content-Type"].startswith("application/problem+json")


def _compact(polygon: Polygon) -> str:
    ring = wgs84(polygon)["coordinates"][0][:-1]  # the page leaves the ring open
    return ",".join(f"{lon:.5f} {lat:.5f}" for lon, lat in ring)


def test_page_scans_a_drawn_area_and_draws_it(client, analyst):
    for x, y in ((X - 250, Y - 250), (X + 250, Y + 250)):
        AddressFactory(x_rd=x, y_rd=y)
    client.force_login(analyst)
    page = client.get("/gebiedsscan/", {"veelhoek": _compact(L_SHAPE)})
    assert page.status_code == 200
    text = page.content.decode()
    assert "getekend gebied" in text and "Gebouwen naar gebruiksdoel" in text
    assert page.context["scan"].addresses == 1
    assert 'id="kp-draw-map"' in text and "knooppunt/draw.js" in text


@pytest.mark.parametrize(("given", "status", "words"), [
    ("6.89 52.22,6.90 52.22", 400, "Te weinig punten"),
    ("6,89 52,22,6.90 52.22,6.9 52.23", 400, "getallen"),
    ("52.22 6.89,52.22 6.90,52.23 6.90", 400, "verwisseld"),
])
def test_page_refuses_a_wrong_drawing_with_the_reason(client, analyst, given, status, words):
    client.force_login(analyst)
    page = client.get("/gebiedsscan/", {"veelhoek": given})
    assert page.status_code == status
    assert words in page.context["error"]


def test_page_refuses_a_drawing_beside_another_area(client, analyst):
    client.force_login(analyst)
    page = client.get("/gebiedsscan/", {"veelhoek": _compact(L_SHAPE), "gebied": "GM0153"})
    assert page.status_code == 400 and "niet meer dan één" in page.context["error"]
