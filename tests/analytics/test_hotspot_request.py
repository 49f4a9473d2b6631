"""One definition of a hotspot request (`analytics.hotspot_request`): the hotspot page's
form and the API's parameters read back to the same `Query`; the page's link to the map
carries every choice and the map's layer sends them to the API."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qsl, urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.analytics import hotspot_request
from knooppunt.analytics import hotspot_service as service
from knooppunt.analytics.api import HotspotParams
from knooppunt.dashboards.hotspots import HotspotForm
from knooppunt.organisations.models import Role

from ..factories import OrganisationFactory, SignalFactory, member, municipality

pytestmark = pytest.mark.django_db
DEFAULT = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def analist():
    enschede = municipality("GM0153")
    gemeente = OrganisationFactory(name="Gemeente Enschede (request)",
                                   municipalities=[enschede])
    for i in range(12):
        SignalFactory(x_rd=258_000.0 + 40 * i, y_rd=471_700.0, municipality=enschede,
                      reporting_organisation=gemeente,
                      received_on=dt.date(2025, 1 + i, 10))
    return member(Role.ANALIST, gemeente)


dates = st.dates(dt.date(2021, 1, 1), dt.date(2026, 11, 30))
signal_queries = st.builds(
    lambda area, start, days, cell, theme, source, kernel, step: service.Query(
        area=area, start=start, end=start + dt.timedelta(days=days), cell_size=cell,
        theme=theme, source=source, kernel=kernel, step=step),
    st.sampled_from(["GM0153", "VR05"]), dates, st.integers(0, 1500),
    st.sampled_from([100, 250, 500]), st.sampled_from(["", "drugsdump", "hennepteelt"]),
    st.sampled_from(["", "politie", "gemeente"]), st.sampled_from(["quartic", "gaussian"]),
    st.sampled_from(["", "month", "quarter", "year"]))


@SETTINGS
@given(signal_queries)
def test_the_api_reads_back_what_the_map_sends(analist, query):
    params = HotspotParams(data=hotspot_request.api_params(query))
    assert params.is_valid(), params.errors
    assert hotspot_request.from_api(params.validated_data, DEFAULT) == query


@SETTINGS
@given(signal_queries)
def test_the_page_reads_back_what_its_link_carries(analist, query):
    if query.area == "VR05":  # the analyst serves Enschede only
        query = service.Query(**{**query.__dict__, "area": "GM0153"})
    form = HotspotForm(hotspot_request.page_params(query), user=analist)
    assert form.is_valid(), form.errors
    assert hotspot_request.from_page(form.cleaned_data, DEFAULT) == query


def test_the_hotspot_page_links_to_the_map_with_all_its_choices(client, analist):
    client.force_login(analist)
    choices = {"gebied": "GM0153", "thema": "drugsdump", "bron": "politie",
               "van": "2025-01-01", "tot": "2025-12-31", "cel": "500", "kern": "gaussian",
               "stap": "quarter"}
    html = client.get(reverse("dashboards:hotspots"), choices).content.decode()
    link = html.split('href="/kaart/?')[1].split('"')[0].replace("&amp;", "&")
    carried = dict(parse_qsl(link))
    assert carried == {"hotspots": "1", "punten": "signalen", **choices}

    # The map reads the link with the page's form and hands its layer the API request.
    page = client.get(reverse("web:map"), carried).content.decode()
    config = json.loads(page.split('id="map-config" type="application/json">')[1]
                        .split("</script>")[0])
    request = config["hotspotRequest"]
    assert request == {"area": "GM0153", "start": "2025-01-01", "end": "2025-12-31",
                       "cellSize": "500", "kernel": "gaussian", "weights": "queen",
                       "points": "signals", "theme": "drugsdump", "source": "politie",
                       "step": "quarter"}
    assert '<option value="linked" selected>1-1-2025 – 31-12-2025</option>' in page
    assert '<option value="500" selected>500 m</option>' in page
    assert 'value="drugsdump" selected' in page
    # ... and a link back to the hotspot page with the same choices.
    back = page.split('id="map-linked"')[1].split('href="/dashboard/hotspots/?')[1]
    assert dict(parse_qsl(back.split('"')[0].replace("&amp;", "&"))) == {
        k: v for k, v in carried.items() if k != "hotspots"}
    # What the layer sends is what the page computed.
    answer = client.get("/api/v1/hotspots?" + urlencode(request)).json()
    assert answer["method"]["steps"] == 4 and answer["cellSize"] == 500
    assert "politie" in answer["method"]["data"]


def test_a_wijk_of_the_hotspot_page_becomes_the_maps_area(client, analist):
    from knooppunt.geo.models import District

    wijk = District.objects.filter(municipality__code="GM0153").exclude(
        boundary__isnull=True).order_by("code").first()
    client.force_login(analist)
    page = client.get(reverse("web:map"), {"hotspots": "1", "gebied": wijk.code}).content
    assert f'<option value="{wijk.code}" selected>'.encode() in page


@pytest.mark.parametrize("link", [{"hotspots": "1", "gebied": "GM0363"},
                                  {"hotspots": "1", "gebied": "GM0153", "cel": "7"},
                                  {"hotspots": "1", "gebied": "GM0153", "tot": "gisteren"}])
def test_an_odd_link_falls_back_to_the_maps_own_choices(client, analist, link):
    client.force_login(analist)
    page = client.get(reverse("web:map"), link).content.decode()
    assert '"hotspotRequest": null' in page and 'value="linked"' not in page
    assert '<option value="12">' in page  # the map's own period choice
