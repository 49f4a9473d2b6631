"""The map's compact point layers (decision 0040): signals, police incidents and cases.

Only what the user may open one by one, only for roles that see personal data (a
bestuurder gets areas and cells, through the API and on the page), every answer logged
with the exact set of ids, bad parameters refused in Dutch.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.audit import idranges
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.cases.models import CaseSignal
from knooppunt.events.datasets import DatasetSpec, ensure_dataset
from knooppunt.intake.submit import submit
from knooppunt.organisations.models import Confidentiality, OrganisationKind, Role
from knooppunt.web import mappoints

from ..cases.factories import CaseFactory
from ..factories import CovenantFactory, OrganisationFactory, SignalFactory, member, municipality

pytestmark = pytest.mark.django_db

MEDIA_TYPE = "application/vnd.knooppunt.points"


def _points(client, layer: str, **params):
    response = client.get(reverse("api:map-points", kwargs={"layer": layer}), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == MEDIA_TYPE
    return mappoints.decode(response.content)


def _period(days: int = 400) -> dict[str, str]:
    today = timezone.localdate()
    return {"from": (today - dt.timedelta(days=days)).isoformat(), "to": today.isoformat()}


def _expected_xy(lon: float, lat: float) -> tuple[float, float]:
    x = (lon + 180) / 360
    y = 0.5 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / (2 * np.pi)
    return x, y


def test_signal_points_are_the_visible_signals_with_their_place_and_theme(
        client, coordinator, signals, enschede):
    hidden = SignalFactory(municipality=enschede, latitude=52.2, longitude=6.9,
                           received_on=timezone.localdate())  # another organisation's
    client.force_login(coordinator)
    header, ids, xy, category = _points(client, "signals", **_period())
    assert sorted(ids.tolist()) == sorted(s.pk for s in signals)
    assert hidden.pk not in ids.tolist()
    assert header["layer"] == "signals" and header["count"] == len(signals)
    x, y = _expected_xy(6.89, 52.22)
    assert np.allclose(xy[:, 0], x, atol=1e-7) and np.allclose(xy[:, 1], y, atol=1e-7)
    by_id = {s.pk: s.theme.code for s in signals}
    assert [header["categories"][c] for c in category] == [by_id[i] for i in ids.tolist()]


def test_the_log_row_names_exactly_the_served_ids(client, coordinator, signals):
    client.force_login(coordinator)
    _header, ids, _xy, _category = _points(client, "signals", **_period())
    entry = ProcessingLogEntry.objects.filter(user_id=coordinator.pk).latest("pk")
    assert (entry.action, entry.object_type) == ("list", "signals.signal")
    assert entry.object_count == len(signals)
    assert idranges.expand(entry.object_ids) == sorted(ids.tolist())
    assert "ids als reeksen" in entry.detail


def test_theme_filters_the_signal_layer(client, coordinator, signals):
    client.force_login(coordinator)
    theme = signals[0].theme.code
    header, _ids, _xy, category = _points(client, "signals", **_period(), theme=theme)
    assert {header["categories"][c] for c in category} == {theme}


@pytest.mark.parametrize("layer", ["signals", "events", "cases"])
def test_bestuurder_and_beheerder_get_no_points_only_aggregates(
        client, bestuurder, beheerder, signals, layer):
    for user in (bestuurder, beheerder):
        client.force_login(user)
        response = client.get(reverse("api:map-points", kwargs={"layer": layer}))
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert "aantallen" in response.json()["detail"]
        assert client.get(reverse("api:map-areas"), _period()).status_code == 200
        assert not ProcessingLogEntry.objects.filter(user_id=user.pk).exists()


def test_the_bestuurders_page_offers_no_point_layer(client, bestuurder, coordinator, signals):
    client.force_login(bestuurder)
    html = client.get(reverse("web:map")).content.decode()
    for control in ('id="layer-points"', 'id="layer-events"', 'id="layer-cases"'):
        assert control not in html
    assert 'id="layer-areas"' in html and 'id="layer-grid"' in html
    config = json.loads(html.split('id="map-config" type="application/json">')[1]
                        .split("</script>")[0])
    assert config["api"]["points"] == "" and config["api"]["signals"] == ""
    client.force_login(coordinator)
    html = client.get(reverse("web:map")).content.decode()
    assert 'id="layer-cases"' in html and 'id="layer-points"' in html


@pytest.mark.parametrize("params, field", [
    ({"dataset": "bestaat-niet"}, "dataset"),
    ({"code": ",".join(str(i) for i in range(51))}, "code"),
    ({"code": " , "}, "code"),
    ({"theme": "bestaat-niet"}, "theme"),
    ({"from": "2026-13-01"}, "from"),
    ({"to": ""}, "to"),
])
def test_bad_parameters_are_refused_in_dutch(client, coordinator, params, field):
    client.force_login(coordinator)
    response = client.get(reverse("api:map-points", kwargs={"layer": "events"}), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalidParams"]] == [field]
    assert not ProcessingLogEntry.objects.filter(user_id=coordinator.pk).exists()


def test_an_unknown_layer_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/api/v1/map/points/personen").status_code == 404


@pytest.fixture
def incidents(settings, tmp_path, gemeente):
    """Two police incidents (Enschede, Hengelo) shared with the municipality by covenant."""
    settings.MEDIA_ROOT = tmp_path / "media"
    police = OrganisationFactory(name="Politie Oost-Nederland", kind=OrganisationKind.POLITIE,
                                 municipalities=[municipality("GM0153"),
                                                 municipality("GM0164")])
    officer = member(Role.ANALIST, organisation=police, username="politie.analist")
    dataset = ensure_dataset(DatasetSpec(code="twente", name="Incidenten Twente",
                                         organisation=police))
    today = timezone.localdate()
    data = ("pleegdatum;pleegtijd;incidentcode;soort locatie;lat;lon\n"
            f"{today - dt.timedelta(days=3)};14:30;1.1.1;Woning;52.2215;6.8937\n"
            f"{today - dt.timedelta(days=4)};;3.1.1;;52.2659;6.7931\n").encode()
    delivery = submit(profile=dataset.profile, organisation=police, user=officer, data=data,
                      filename="x.csv", inline=True)
    assert delivery.accepted, list(delivery.errors.all())
    gemeente.kind = OrganisationKind.GEMEENTE
    gemeente.save()
    CovenantFactory(parties=[police, gemeente], max_confidentiality=Confidentiality.RIEC)
    return dataset


def test_event_points_are_the_readable_incidents_by_kind(client, coordinator, incidents):
    client.force_login(coordinator)
    header, ids, xy, category = _points(client, "events", **_period(30),
                                        dataset=incidents.code)
    # The municipality reads the incident in Enschede, not the one in Hengelo.
    assert len(ids) == 1
    assert header["categories"] == ["misdrijf", "overlast", "overig"]
    x, y = _expected_xy(6.8937, 52.2215)
    assert abs(xy[0, 0] - x) < 1e-7 and abs(xy[0, 1] - y) < 1e-7
    entry = ProcessingLogEntry.objects.filter(user_id=coordinator.pk).latest("pk")
    assert entry.object_type == "events.event" and idranges.expand(entry.object_ids) == \
        ids.tolist()
    # An offence code filters; the popup is the events API, scoped and logged.
    _header, none, _xy, _category = _points(client, "events", **_period(30), code="3.1.1")
    assert len(none) == 0
    popup = client.get(reverse("api:event-detail", kwargs={"pk": int(ids[0])}))
    assert popup.status_code == 200 and popup.json()["code"] == "1.1.1"


def test_case_points_sit_on_a_visible_signal_and_hide_the_rest(
        client, medewerker, gemeente, signals, enschede):
    today = timezone.localdate()
    shown = CaseFactory(owner=gemeente, municipality=enschede, opened_on=today,
                        theme=signals[0].theme)
    CaseSignal.objects.create(case=shown, signal=signals[2], linked_at=timezone.now())
    CaseSignal.objects.create(case=shown, signal=signals[4], linked_at=timezone.now())
    # Above a medewerker's clearance: the case is theirs, this signal is not.
    hidden_signal = SignalFactory(municipality=enschede, latitude=52.3, longitude=6.95,
                                  received_on=today, reporting_organisation=gemeente,
                                  confidentiality=Confidentiality.RIEC)
    secret_place = CaseFactory(owner=gemeente, municipality=enschede, opened_on=today)
    CaseSignal.objects.create(case=secret_place, signal=hidden_signal,
                              linked_at=timezone.now())
    client.force_login(medewerker)
    header, ids, xy, category = _points(client, "cases", **_period())
    assert ids.tolist() == [shown.pk]  # the other case's only signal is not the user's
    x, y = _expected_xy(signals[2].longitude, signals[2].latitude)
    assert abs(xy[0, 0] - x) < 1e-7 and abs(xy[0, 1] - y) < 1e-7
    assert header["categories"][category[0]] == shown.theme.code

    popup = client.get(reverse("api:map-case", kwargs={"id": shown.pk}))
    assert popup.status_code == 200
    assert popup.json()["reference"] == shown.reference
    assert popup.json()["url"] == reverse("cases:detail", kwargs={"reference": shown.reference})
    entry = ProcessingLogEntry.objects.filter(user_id=medewerker.pk).latest("pk")
    assert (entry.action, entry.object_ids) == ("view", [str(shown.pk)])


def test_a_case_popup_the_user_may_not_open_is_not_found_and_logged(client, coordinator,
                                                                   enschede):
    other = CaseFactory(municipality=enschede)  # another organisation's case
    client.force_login(coordinator)
    response = client.get(reverse("api:map-case", kwargs={"id": other.pk}))
    assert response.status_code == 404
    assert other.reference not in response.content.decode()
    entry = ProcessingLogEntry.objects.filter(user_id=coordinator.pk).latest("pk")
    assert entry.outcome == "denied"


# Runs of neighbours and scattered ids alike; generation is slow on a busy machine.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sets(st.one_of(st.integers(min_value=1, max_value=400),
                         st.integers(min_value=1, max_value=2**31 - 1)), max_size=120))
def test_id_runs_hold_exactly_the_same_ids(ids):
    runs, count = idranges.encode(ids)
    assert count == len(ids)
    assert idranges.expand(runs) == sorted(ids)
    for identifier in list(ids)[:5]:
        assert idranges.contains(runs, identifier)
    assert not idranges.contains(runs, 0)


def test_the_compact_form_reads_back(client):
    points = mappoints.PointLayer("signals", np.array([3, 1]), np.array([0.5, 0.25]),
                                  np.array([0.75, 0.125]), np.array([1, 0], dtype=np.uint8),
                                  ["a", "b"])
    header, ids, xy, category = mappoints.decode(mappoints.encode(points))
    assert header["count"] == 2 and header["categories"] == ["a", "b"]
    assert ids.tolist() == [3, 1] and xy.tolist() == [[0.5, 0.75], [0.25, 0.125]]
    assert category.tolist() == [1, 0]


def test_a_client_may_ask_for_the_compact_form_by_its_media_type(client, coordinator, signals):
    client.force_login(coordinator)
    response = client.get(reverse("api:map-points", kwargs={"layer": "signals"}),
                          _period(), HTTP_ACCEPT=MEDIA_TYPE)
    assert response.status_code == 200 and response["Content-Type"] == MEDIA_TYPE
    assert mappoints.decode(response.content)[0]["count"] == len(signals)
