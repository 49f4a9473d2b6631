"""Vulnerable places: the coordinator's list with reasons and validation, visits recorded
through the page (CSRF) and the API, need-to-know, the log, append-only history, the
feedback of a visit into the factors and the uptake indicator."""

from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest
import shapely
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import shape

from knooppunt.analytics import vulnerability_service as service
from knooppunt.analytics.vulnerability import FACTORS
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.organisations.models import OrganisationKind, Role
from knooppunt.taxonomy.models import SourceType, Theme
from knooppunt.visits.models import PlaceVisit
from knooppunt.web.vulnerable_layer import score_class
from tests.factories import OrganisationFactory, SignalFactory, member, municipality
from tests.registers.factories import AddressFactory

pytestmark = pytest.mark.django_db

TUBBERGEN = "GM0183"
VISITED = [i for i, f in enumerate(FACTORS) if f.key == "visited_no_findings"][0]


@pytest.fixture
def world():
    """Tubbergen's buitengebied: 120 scattered farms and sheds, drug findings over five
    years at the sheds; a gemeente, the RIEC, a mayor, a coordinator elsewhere."""
    service._CACHE.clear()
    today = timezone.localdate()
    tubbergen = municipality(TUBBERGEN)
    area = shape(tubbergen.boundary)
    rng = random.Random(3)
    min_x, min_y, max_x, max_y = area.bounds
    addresses = []
    while len(addresses) < 120:
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if not shapely.contains_xy(area, x, y):
            continue
        shed = len(addresses) % 3 == 0
        addresses.append(AddressFactory(
            municipality=tubbergen, x_rd=x, y_rd=y, city="Tubbergen", postcode="7651AB",
            street="Hoekweg", usage="overige gebruiksfunctie" if shed else "woonfunctie",
            floor_area=900 if shed else 140))
    gemeente = OrganisationFactory(name="Gemeente Tubbergen (t)", kind=OrganisationKind.GEMEENTE,
                                   municipalities=[tubbergen])
    riec = OrganisationFactory(name="RIEC (t)", kind=OrganisationKind.RIEC,
                               municipalities=[tubbergen])
    lab = Theme.objects.get(code="drugslab")
    police = SourceType.objects.get(code="politie")
    for i, address in enumerate(addresses):
        if address.usage.startswith("overige") and i % 2 == 0:
            for year in range(5):
                SignalFactory(theme=lab, source_type=police, municipality=tubbergen,
                              received_on=today - dt.timedelta(days=365 * year + 30 + i),
                              x_rd=address.x_rd, y_rd=address.y_rd,
                              reporting_organisation=gemeente)
    other = OrganisationFactory(name="Gemeente Enschede (t)", kind=OrganisationKind.GEMEENTE,
                                municipalities=[municipality("GM0153")])
    return {
        "today": today, "municipality": tubbergen, "addresses": addresses,
        "coordinator": member(Role.COORDINATOR, gemeente),
        "riec": member(Role.ANALIST, riec),
        "mayor": member(Role.BESTUURDER, gemeente),
        "medewerker": member(Role.MEDEWERKER, gemeente),
        "elsewhere": member(Role.COORDINATOR, other),
    }


def _client(user, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def _top_place(world) -> int:
    analysis = service.analyse(world["coordinator"], world["municipality"], world["today"])
    return analysis.places[analysis.ranked()[0]].address_id


def test_coordinator_gets_the_list_with_reasons_and_the_validation_beside_it(world):
    response = _client(world["coordinator"]).get(reverse("web:vulnerable_places"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hoekweg" in html and "Toetsing op het vijfde jaar" in html
    assert "Eerdere aantallen" in html and "Kerndichtheid" in html
    assert "Agrarisch of opslaggebruik" in html  # a factor as a reason
    analysis = service.analyse(world["coordinator"], world["municipality"], world["today"])
    assert len(analysis.places) == 120  # all in the buitengebied
    assert analysis.validation is not None and analysis.validation.events > 0
    row = ProcessingLogEntry.objects.filter(user_id=world["coordinator"].pk,
                                            action="list").latest("pk")
    assert row.object_type == "registers.address"
    shown = {analysis.places[i].address_id for i in analysis.ranked()[:50]}
    assert {int(i) for i in row.object_ids} == shown


def test_the_mayor_sees_only_counts_per_municipality(world):
    response = _client(world["mayor"]).get(reverse("web:vulnerable_places"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tubbergen" in html and "Hoekweg" not in html and "7651" not in html
    assert not ProcessingLogEntry.objects.filter(user_id=world["mayor"].pk,
                                                 object_type="registers.address").exists()
    api = _client(world["mayor"])
    assert api.get("/api/v1/vulnerable-places", {"municipality": TUBBERGEN}).status_code == 403
    summary = api.get("/api/v1/vulnerable-places/summary").json()["results"]
    assert [(r["municipality"], r["places"]) for r in summary] == [(TUBBERGEN, 120)]


@pytest.mark.parametrize("who", ["mayor", "medewerker", "elsewhere"])
def test_who_may_not_read_the_list_gets_no_address(world, who):
    client = _client(world[who])
    page = client.get(reverse("web:vulnerable_places"), {"gemeente": TUBBERGEN})
    assert "Hoekweg" not in page.content.decode()
    response = client.get("/api/v1/vulnerable-places", {"municipality": TUBBERGEN})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_the_riec_analyst_reads_but_does_not_record(world):
    client = _client(world["riec"])
    assert client.get("/api/v1/vulnerable-places",
                      {"municipality": TUBBERGEN}).status_code == 200
    place = _top_place(world)
    response = client.post("/api/v1/vulnerable-places/visits", {
        "place": place, "step": "bezocht", "outcome": "geen_bevindingen",
        "on": world["today"].isoformat()}, content_type="application/json")
    assert response.status_code == 403
    assert not PlaceVisit.objects.exists()


def test_coordinator_records_a_visit_on_the_page_with_csrf(world):
    client = _client(world["coordinator"], csrf=True)
    page = client.get(reverse("web:vulnerable_places")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    place = _top_place(world)
    data = {"place": place, "step": "bezocht", "outcome": "geen_bevindingen",
            "on": world["today"].isoformat()}
    assert client.post(reverse("web:vulnerable_places"), data).status_code == 403
    assert not PlaceVisit.objects.exists()
    response = client.post(reverse("web:vulnerable_places"),
                           {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    visit = PlaceVisit.objects.get()
    assert (visit.address_id, visit.step, visit.outcome, visit.recorded_by) == (
        place, "bezocht", "geen_bevindingen", world["coordinator"])
    assert visit.organisation.name == "Gemeente Tubbergen (t)" and visit.score > 0
    assert ProcessingLogEntry.objects.filter(action="create", object_type="visits.placevisit",
                                             object_id=str(visit.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Laatste stap: Bezocht (Geen bevindingen)" in page


def test_a_visit_without_findings_feeds_back_as_a_factor(world):
    place = _top_place(world)
    client = _client(world["coordinator"])
    response = client.post("/api/v1/vulnerable-places/visits", {
        "place": place, "step": "bezocht", "outcome": "geen_bevindingen",
        "on": world["today"].isoformat()}, content_type="application/json")
    assert response.status_code == 201, response.content
    analysis = service.analyse(world["coordinator"], world["municipality"], world["today"])
    index = [p.address_id for p in analysis.places].index(place)
    assert analysis.factors[index, VISITED] == 1.0
    assert analysis.factors[:, VISITED].sum() == 1.0


def test_the_api_list_shows_factors_contributions_and_validation(world):
    body = _client(world["coordinator"]).get("/api/v1/vulnerable-places",
                                             {"municipality": TUBBERGEN, "limit": 5}).json()
    assert body["places"] == 120 and len(body["results"]) == 5
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert {c["factor"] for c in body["results"][0]["contributions"]} <= {
        f.key for f in FACTORS}
    assert len(body["validation"]["scores"]) == 9
    assert {r["factor"] for r in body["relativeRisks"]} == {f.key for f in FACTORS}


def test_visits_are_append_only(world):
    client = _client(world["coordinator"])
    client.post("/api/v1/vulnerable-places/visits", {
        "place": _top_place(world), "step": "gepland", "on": world["today"].isoformat()},
        content_type="application/json")
    visit = PlaceVisit.objects.get()
    with pytest.raises(PermissionError):
        visit.save()
    with pytest.raises(PermissionError):
        PlaceVisit.objects.update(step="bezocht")
    with pytest.raises(PermissionError):
        visit.delete()
    with pytest.raises(Exception), connection.cursor() as cursor:  # noqa: B017, PT011
        cursor.execute("UPDATE visits_placevisit SET step = 'bezocht'")


def test_a_coordinator_of_another_municipality_cannot_record_here(world):
    response = _client(world["elsewhere"]).post("/api/v1/vulnerable-places/visits", {
        "place": _top_place(world), "step": "bezocht", "on": world["today"].isoformat()},
        content_type="application/json")
    assert response.status_code == 403
    assert not PlaceVisit.objects.exists()


def test_the_uptake_indicator_counts_visits_per_municipality(world):
    from knooppunt.monitoring.compute import compute_all
    from knooppunt.monitoring.models import IndicatorValue

    client = _client(world["coordinator"])
    for step in ("bezocht", "bezocht", "doorverwezen"):
        client.post("/api/v1/vulnerable-places/visits", {
            "place": _top_place(world), "step": step, "on": world["today"].isoformat()},
            content_type="application/json")
    compute_all(codes=["kwetsbare-plekken-bezocht", "kwetsbare-plekken-doorverwezen"])
    month = world["today"].replace(day=1)
    values = dict(IndicatorValue.objects.filter(
        area_code=TUBBERGEN, period_start=month, period_type="maand",
        indicator__code__startswith="kwetsbare-plekken").values_list("indicator__code",
                                                                    "value"))
    assert values == {"kwetsbare-plekken-bezocht": 2, "kwetsbare-plekken-doorverwezen": 1}


payloads = st.fixed_dictionaries({}, optional={
    "place": st.one_of(st.integers(-5, 10**19), st.text(max_size=8), st.none()),
    "step": st.one_of(st.sampled_from(["gepland", "contact", "bezocht", "doorverwezen",
                                       "Bezocht", "visited", ""]), st.text(max_size=12)),
    "outcome": st.one_of(st.sampled_from(["", "geen_bevindingen", "coaching", "zorgen",
                                          "geweigerd", "none"]), st.integers()),
    "on": st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2035, 1, 1)).map(str),
                    st.sampled_from(["31-02-2026", "gisteren", "2026-13-01", ""])),
    "extra": st.text(max_size=3),
})


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=payloads)
def test_bad_visit_payloads_are_refused_in_dutch_and_store_nothing(world, payload):
    client = _client(world["coordinator"])
    before = PlaceVisit.objects.count()
    response = client.post("/api/v1/vulnerable-places/visits", payload,
                           content_type="application/json")
    valid_place = payload.get("place") in {a.pk for a in world["addresses"]}
    today = world["today"]
    ok = (valid_place and payload.get("step") in {"gepland", "contact", "bezocht",
                                                  "doorverwezen"}
          and payload.get("outcome", "") in {"", "geen_bevindingen", "coaching", "zorgen",
                                             "geweigerd"}
          and not (payload.get("step") == "gepland" and payload.get("outcome"))
          and "extra" not in payload
          and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(payload.get("on", "")))
          and today - dt.timedelta(days=5 * 365) <= dt.date.fromisoformat(payload["on"])
          <= today)
    if ok:
        assert response.status_code == 201, response.content
        assert PlaceVisit.objects.count() == before + 1
    else:
        assert response.status_code in (400, 404), (payload, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert "Traceback" not in response.content.decode()
        assert PlaceVisit.objects.count() == before


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(step=st.text(max_size=15), on=st.text(max_size=12), place=st.text(max_size=10))
def test_bad_visit_forms_are_refused_on_the_page_and_store_nothing(world, step, on, place):
    client = _client(world["coordinator"])
    # Counted, not filtered by the submitted step: a generated step may hold a NUL byte,
    # which PostgreSQL refuses in any query (the form refuses it before that).
    before = PlaceVisit.objects.count()
    response = client.post(reverse("web:vulnerable_places"),
                           {"place": place, "step": step, "on": on})
    if response.status_code == 302:  # only a fully valid form is stored
        assert PlaceVisit.objects.count() == before + 1
        assert PlaceVisit.objects.order_by("-pk").first().step == step
    else:
        assert response.status_code in (400, 403, 404)
        assert "Het bezoek is niet vastgelegd" in response.content.decode() or \
            response.status_code != 400
        assert PlaceVisit.objects.count() == before


def test_the_page_speaks_english_when_asked(world):
    response = _client(world["coordinator"]).get(reverse("web:vulnerable_places"),
                                                 HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Vulnerable places in the rural area" in html
    assert "Test on the fifth year: model against two simple methods" in html
    assert "Agricultural or storage use" in html and "Prior counts" in html


# ---------------------------------------------------------------- the map layer
# /api/v1/map/vulnerable-places: the top 10 % with score class, reasons and visit
# state, for list readers only, logged; the map page offers the layer only to them.

LAYER = "/api/v1/map/vulnerable-places"


def _layer(client, code: str = TUBBERGEN) -> dict:
    response = client.get(LAYER, {"municipality": code})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def test_the_layer_is_the_top_ten_percent_with_class_reasons_and_visit(world):
    client = _client(world["coordinator"])
    top = service.analyse(world["coordinator"], world["municipality"], world["today"])
    ranked = top.ranked()
    place = top.places[ranked[0]].address_id
    response = _client(world["coordinator"]).post("/api/v1/vulnerable-places/visits", {
        "place": place, "step": "bezocht", "outcome": "geen_bevindingen",
        "on": dt.date.today().isoformat()}, content_type="application/json")
    assert response.status_code == 201
    body = _layer(client)
    analysis = service.analyse(world["coordinator"], world["municipality"], world["today"])
    features = body["features"]
    assert body["places"] == 120 and len(features) == 12  # 10 % of 120
    assert [f["id"] for f in features] == [analysis.places[i].address_id
                                           for i in analysis.ranked()[:12]]
    assert [f["properties"]["class"] for f in features] == [3] + [2] * 5 + [1] * 6
    first = features[0]["properties"]
    assert first["rank"] == 1 and "Hoekweg" in first["address"]
    assert any(r["label"] == "Agrarisch of opslaggebruik" for r in first["reasons"])
    visited = next(f for f in features if f["id"] == place)["properties"]["visit"]
    assert visited["step"] == "bezocht" and visited["outcomeLabel"] == "Geen bevindingen"
    assert sum(f["properties"]["visit"] is not None for f in features) == 1
    row = ProcessingLogEntry.objects.filter(user_id=world["coordinator"].pk,
                                            action="list").latest("pk")
    assert row.object_type == "registers.address"
    assert {int(i) for i in row.object_ids} == {f["id"] for f in features}


@pytest.mark.parametrize("who", ["mayor", "medewerker", "elsewhere"])
def test_who_may_not_read_the_list_gets_no_layer(world, who):
    client = _client(world[who])
    response = client.get(LAYER, {"municipality": TUBBERGEN})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "summary" in response.json()["detail"]  # where the aggregates are
    assert not ProcessingLogEntry.objects.filter(user_id=world[who].pk,
                                                 object_type="registers.address").exists()
    html = client.get(reverse("web:map")).content.decode()
    assert 'name="vulnerableMunicipality"><option value="GM0183"' not in html
    # A coordinator elsewhere gets the layer of their own municipality only.
    assert ('id="layer-vulnerable"' in html) == (who == "elsewhere")


def test_the_map_offers_the_layer_to_list_readers(world):
    html = _client(world["riec"]).get(reverse("web:map"), {"kwetsbaar": "1"}).content.decode()
    assert 'id="layer-vulnerable" name="vulnerable" checked' in html
    assert f'name="vulnerableMunicipality"><option value="{TUBBERGEN}">' in html
    config = json.loads(html.split('id="map-config" type="application/json">')[1]
                        .split("</script>")[0])
    assert config["api"]["vulnerable"] == LAYER
    assert [c["class"] for c in config["vulnerableClasses"]] == [3, 2, 1]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(st.text(max_size=12))
def test_bad_municipality_codes_are_refused_in_dutch(world, code):
    response = _client(world["coordinator"]).get(LAYER, {"municipality": code})
    if code.upper() == TUBBERGEN:
        assert response.status_code == 200
    else:
        assert response.status_code in (400, 403)
        assert response["Content-Type"] == "application/problem+json"


@given(st.integers(1, 5000), st.integers(1, 5000))
def test_score_classes_follow_the_shares(rank, places):
    value = score_class(rank, places)
    shares = {3: 0.01, 2: 0.05, 1: 0.10}
    if value:
        assert rank <= service.top_of(shares[value], places)
        stronger = [v for v in shares if v > value]
        assert all(rank > service.top_of(shares[v], places) for v in stronger)
    else:
        assert rank > service.top_of(0.10, places)
