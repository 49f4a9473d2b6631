"""The interactive map (decision 0036): the page, and its layers from /api/v1/map/...

Areas and grid cells are aggregates (small counts hidden for every role); points and
popups only for roles that see personal data, only the signals they may open, logged.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.charts.labels import LabelRequest, place_labels
from knooppunt.organisations.models import Role

from ..factories import OrganisationFactory, SignalFactory, member

pytestmark = pytest.mark.django_db

TWENTE = ["Almelo", "Borne", "Dinkelland", "Enschede", "Haaksbergen", "Hellendoorn",
          "Hengelo (O.)", "Hof van Twente", "Losser", "Oldenzaal", "Rijssen-Holten",
          "Tubbergen", "Twenterand", "Wierden"]


def _period() -> dict[str, str]:
    today = timezone.localdate()
    return {"from": (today - dt.timedelta(days=400)).isoformat(), "to": today.isoformat()}


def _geojson(response) -> dict:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection"
    return body


def test_the_page_hands_the_script_its_layers_and_no_records(client, coordinator, signals):
    client.force_login(coordinator)
    html = client.get(reverse("web:map")).content.decode()
    assert 'id="kp-map"' in html and 'type="module"' in html
    config = json.loads(html.split('id="map-config" type="application/json">')[1]
                        .split("</script>")[0])
    assert config["api"]["signals"] == "/api/v1/map/signals"
    assert config["maplibre"].endswith("vendor/maplibre-gl/maplibre-gl.mjs")
    assert config["basemap"] == ""  # no online tiles unless configured
    west, south, east, north = config["bounds"]
    assert 6.6 < west < east < 7.1 and 52.0 < south < north < 52.4  # Enschede
    # Layer switcher as real form controls; the points option for a case worker.
    for control in ('id="layer-areas"', 'id="layer-grid"', 'id="layer-points"',
                    'id="map-theme"', 'id="map-size"'):
        assert control in html
    for signal in signals:
        assert signal.reference not in html
    # A dashboard's link chooses the theme.
    chosen = client.get(reverse("web:map") + "?thema=" + signals[0].theme.code).content.decode()
    assert f'<option value="{signals[0].theme.code}" selected>' in chosen
    # The same counts as a table, for readers who do not use the map.
    assert '<th scope="row">Enschede</th><td class="num">7</td>' in html


def test_areas_are_the_safety_region_with_counts_for_own_municipalities(
        client, bestuurder, signals):
    client.force_login(bestuurder)
    body = _geojson(client.get(reverse("api:map-areas"), _period()))
    by_name = {f["properties"]["name"]: f for f in body["features"]}
    assert sorted(by_name) == TWENTE
    enschede = by_name["Enschede"]["properties"]
    assert enschede == {"code": "GM0153", "name": "Enschede", "own": True, "signals": 7,
                        "cases": 0}
    assert by_name["Almelo"]["properties"] == {"code": "GM0141", "name": "Almelo",
                                               "own": False}
    ring = by_name["Enschede"]["geometry"]["coordinates"][0]
    lon, lat = ring[0][0] if isinstance(ring[0][0], list) else ring[0]
    assert 6.6 < lon < 7.1 and 52.0 < lat < 52.4  # WGS84, not RD


def test_small_area_counts_are_hidden_for_every_role(client, coordinator, signals):
    client.force_login(coordinator)
    params = {**_period(), "from": timezone.localdate().isoformat()}  # today: one signal
    body = _geojson(client.get(reverse("api:map-areas"), params))
    enschede = next(f for f in body["features"] if f["properties"]["code"] == "GM0153")
    assert enschede["properties"]["signals"] is None


def test_grid_counts_cells_and_leaves_out_small_ones(client, bestuurder, gemeente, enschede):
    today = timezone.localdate()
    for i in range(6):  # six in one 500 m cell, two in another
        SignalFactory(reporting_organisation=gemeente, municipality=enschede,
                      received_on=today, x_rd=258_010.0 + i, y_rd=471_010.0)
    for i in range(2):
        SignalFactory(reporting_organisation=gemeente, municipality=enschede,
                      received_on=today, x_rd=259_010.0 + i, y_rd=471_010.0)
    client.force_login(bestuurder)  # aggregates are for every role
    body = _geojson(client.get(reverse("api:map-grid"), {**_period(), "size": 500}))
    assert body["cellSize"] == 500
    cells = [f["properties"] for f in body["features"]]
    assert cells == [{"count": 6, "x": 258_000, "y": 471_000, "size": 500}]
    ring = body["features"][0]["geometry"]["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]


@override_settings(KNOOPPUNT_MAP_MAX_CELLS=100)
def test_grid_over_too_many_cells_is_refused_with_the_reason(client, coordinator, signals):
    client.force_login(coordinator)
    response = client.get(reverse("api:map-grid"), {**_period(), "size": 100})
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert "limiet is 100" in problem["invalidParams"][0]["reason"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bbox=st.one_of(st.text(max_size=40), st.lists(
    st.floats(allow_nan=True, allow_infinity=True), min_size=0, max_size=6).map(
    lambda xs: ",".join(map(str, xs)))))
def test_bad_boxes_get_a_clear_400_never_an_error(client, coordinator, bbox):
    client.force_login(coordinator)
    response = client.get(reverse("api:map-grid"), {"bbox": bbox})
    assert response.status_code in (200, 400), response.content[:200]
    if response.status_code == 400:
        assert response.json()["invalidParams"]


@pytest.mark.parametrize("query", ["to=", "from=", "theme=", "size=", "bbox=", "level=",
                                   "from=2026-02-01&to=2026-01-01", "from=1990-01-01",
                                   "size=300", "to=morgen"])
def test_bad_parameters_are_refused_with_the_parameter_named(client, coordinator, query):
    client.force_login(coordinator)
    for name in ("api:map-areas", "api:map-grid", "api:map-signals"):
        response = client.get(f"{reverse(name)}?{query}")
        if name != "api:map-grid" and query.startswith(("size", "bbox")):
            continue  # a parameter of the grid only
        if name != "api:map-areas" and query.startswith("level"):
            continue
        assert response.status_code == 400, (name, query)
        assert response.json()["invalidParams"], (name, query)


def test_points_only_for_roles_that_see_personal_data(client, bestuurder, beheerder, signals):
    for user in (bestuurder, beheerder):
        client.force_login(user)
        assert client.get(reverse("api:map-signals")).status_code == 403
        assert client.get(reverse("api:map-signal", kwargs={"id": signals[0].pk})) \
            .status_code == 403
        html = client.get(reverse("web:map")).content.decode()
        assert 'id="layer-points"' not in html  # the option is not even offered
        assert not ProcessingLogEntry.objects.filter(user_id=user.pk).exists()


def test_points_are_the_visible_signals_and_logged(client, coordinator, signals, enschede):
    hidden = SignalFactory(municipality=enschede, x_rd=258_500.0, y_rd=471_900.0,
                           received_on=timezone.localdate())  # another organisation's
    client.force_login(coordinator)
    body = _geojson(client.get(reverse("api:map-signals"), _period()))
    ids = sorted(f["id"] for f in body["features"])
    assert ids == sorted(s.pk for s in signals) and hidden.pk not in ids
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    assert 6.8 < lon < 7.0 and 52.1 < lat < 52.3
    assert body["features"][0]["properties"]["theme"] == signals[0].theme.code
    entry = ProcessingLogEntry.objects.filter(user_id=coordinator.pk).latest("pk")
    assert entry.action == "list" and entry.object_count == len(signals)
    assert entry.detail.startswith("kaart")


def test_points_filter_by_theme(client, coordinator, signals):
    client.force_login(coordinator)
    theme = signals[0].theme.code
    body = _geojson(client.get(reverse("api:map-signals"), {**_period(), "theme": theme}))
    assert {f["properties"]["theme"] for f in body["features"]} == {theme}
    assert client.get(reverse("api:map-signals"), {"theme": "bestaat-niet"}).status_code == 400


def test_popup_shows_a_visible_signal_and_logs_it(client, coordinator, signals, enschede):
    client.force_login(coordinator)
    signal = signals[0]
    response = client.get(reverse("api:map-signal", kwargs={"id": signal.pk}))
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == signal.reference
    assert body["url"] == reverse("signals:detail", kwargs={"reference": signal.reference})
    entry = ProcessingLogEntry.objects.filter(user_id=coordinator.pk).latest("pk")
    assert (entry.action, entry.object_ids) == ("view", [str(signal.pk)])

    hidden = SignalFactory(municipality=enschede, x_rd=258_500.0, y_rd=471_900.0)
    response = client.get(reverse("api:map-signal", kwargs={"id": hidden.pk}))
    assert response.status_code == 404
    assert hidden.reference not in response.content.decode()
    refused = ProcessingLogEntry.objects.filter(user_id=coordinator.pk).latest("pk")
    assert refused.outcome == "denied"


def test_wijken_are_a_layer_with_counts_for_own_wijken(client, coordinator, signals):
    client.force_login(coordinator)
    assert 'id="layer-wijken" name="wijken">' in client.get(reverse("web:map")).content.decode()
    body = _geojson(client.get(reverse("api:map-areas"), {"level": "wijk", **_period()}))
    own = [f for f in body["features"] if f["properties"]["own"]]
    assert own and all(f["properties"]["code"].startswith("WK0153") for f in own)
    assert all("cases" not in f["properties"] for f in own)  # cases have no wijk
    assert any(not f["properties"]["own"] for f in body["features"])  # the region around


def test_user_without_area_gets_no_map(client):
    user = member(Role.MEDEWERKER, OrganisationFactory())
    client.force_login(user)
    response = client.get(reverse("web:map"))
    assert response.status_code == 200
    assert "geen werkgebied" in response.content.decode()
    assert 'id="kp-map"' not in response.content.decode()


def test_place_labels_moves_colliding_labels_apart():
    requests = [
        LabelRequest(key=str(i), lines=("Gemeente", "12"), x=100, y=100, priority=10 - i)
        for i in range(3)
    ]
    placed = place_labels(requests, 400, 300)
    assert len(placed) == 3
    boxes = [p.box for p in placed]
    assert all(a.overlap(b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert placed[0].leader is False and any(p.leader for p in placed[1:])


def test_place_labels_drops_labels_on_a_crowded_map_when_asked():
    requests = [LabelRequest(key=str(i), lines=("Naam",), x=50, y=20, priority=1)
                for i in range(50)]
    placed = place_labels(requests, 100, 40, allow_overlap=False)
    assert 0 < len(placed) < 50


def test_the_hotspot_layer_asks_the_hotspot_api_for_the_users_areas(client, coordinator,
                                                                    signals):
    client.force_login(coordinator)
    html = client.get(reverse("web:map")).content.decode()
    config = json.loads(html.split('id="map-config" type="application/json">')[1]
                        .split("</script>")[0])
    assert config["api"]["hotspots"] == "/api/v1/hotspots"
    assert {c["class"] for c in config["hotspotClasses"]} == {3, 2, 1, 0, -1, -2, -3}
    assert 'id="layer-hotspots" name="hotspots">' in html
    assert '<option value="GM0153">Enschede</option>' in html
    assert 'id="map-method"' in html
    # The hotspot page's link switches the layer on for its area and cell size.
    linked = client.get(reverse("web:map"),
                        {"hotspots": "1", "gebied": "GM0153", "cel": "500"}).content.decode()
    assert 'id="layer-hotspots" name="hotspots" checked>' in linked
    assert '<option value="GM0153" selected>Enschede</option>' in linked
    assert '<option value="500" selected>500 m</option>' in linked
    # A foreign or odd value in the link is simply not chosen.
    odd = client.get(reverse("web:map"), {"gebied": "GM0363", "cel": "7"}).content.decode()
    assert 'value="GM0363"' not in odd and '<option value="250" selected>' in odd


def test_the_hotspot_page_links_to_the_map(client, coordinator, signals):
    client.force_login(coordinator)
    html = client.get(reverse("dashboards:hotspots"),
                      {"gebied": "GM0153", "cel": "500"}).content.decode()
    assert "/kaart/?hotspots=1&amp;gebied=GM0153&amp;van=" in html
    assert "&amp;cel=500&amp;kern=quartic&amp;punten=signalen" in html
