"""Police incidents as hotspot points (`points=events`, decision 0038 amendment): the
demo's incidents for Twente give hotspots; who may not read the dataset is refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from knooppunt.organisations.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, member, municipality

pytestmark = pytest.mark.django_db


def _ask(client, user, url: str, query: dict, period: tuple[str, str], params: dict):
    """GET `url` as `user` for the last year (named by `period`), `params` over `query`."""
    if isinstance(client, APIClient):
        client.force_authenticate(user)
    else:
        client.force_login(user)
    today = timezone.localdate()
    dates = dict(zip(period, (today.replace(year=today.year - 1).isoformat(),
                              today.isoformat()), strict=True))
    return client.get(url, {**query, **dates, **params})


def _get(user, **params):
    return _ask(APIClient(), user, "/api/v1/hotspots",
                {"area": "GM0153", "cellSize": "250", "points": "events"},
                ("start", "end"), params)


def test_the_demo_incidents_of_twente_give_hotspots(incidents, officer):
    response = _get(officer, dataset=incidents)
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    counts = [f["properties"]["count"] for f in data["features"]]
    assert sum(counts) > 100
    assert any(f["properties"]["class"] == 3 for f in data["features"])
    assert "politie-incidenten" in data["method"]["text"]
    # Some codes only: fewer incidents, still cells over the whole municipality.
    some = _get(officer, dataset=incidents, code="3.1.1,2.1.1").json()
    assert 0 < sum(f["properties"]["count"] for f in some["features"]) < sum(counts)
    assert len(some["features"]) == len(data["features"])


@pytest.mark.parametrize("kind", [OrganisationKind.WONINGCORPORATIE,
                                  OrganisationKind.NETBEHEERDER])
@pytest.mark.parametrize("role", [Role.ANALIST, Role.BESTUURDER])
def test_a_partner_gets_no_incident_hotspots(incidents, kind, role):
    partner = OrganisationFactory(kind=kind, municipalities=[municipality("GM0153")])
    response = _get(member(role, partner), dataset=incidents)
    assert response.status_code == 403
    assert "features" not in response.json()


def test_a_municipality_without_covenant_is_refused_but_its_mayor_counts(incidents):
    gemeente = OrganisationFactory(municipalities=[municipality("GM0153")])
    assert _get(member(Role.ANALIST, gemeente), dataset=incidents).status_code == 403
    mayor = _get(member(Role.BESTUURDER, gemeente), dataset=incidents)
    assert mayor.status_code == 200
    data = mayor.json()
    assert data["aggregateOnly"] is True
    assert all(f["properties"]["z"] is None for f in data["features"])
    assert all(f["properties"]["count"] is None or f["properties"]["count"] == 0
               or f["properties"]["count"] >= 5 for f in data["features"])


@pytest.mark.parametrize(("params", "param"), [
    ({"dataset": ""}, "dataset"),
    ({"dataset": "onbekend"}, "dataset"),
    ({"dataset": "demo-vr05", "theme": "drugsdump"}, "theme"),
    ({"dataset": "demo-vr05", "code": ",,"}, "code"),
    ({"points": "signals", "dataset": "demo-vr05"}, "dataset"),
    ({"points": "elders", "dataset": "demo-vr05"}, "points"),
])
def test_bad_event_parameters_are_refused_with_the_parameter(incidents, officer, params,
                                                             param):
    response = _get(officer, **params)
    assert response.status_code == 400
    assert any(p["name"] == param for p in response.json()["invalidParams"])


# ---------------------------------------------------------------- the hotspot page


def _page(user, **params):
    return _ask(Client(), user, "/dashboard/hotspots/",
                {"gebied": "Enschede", "cel": "250", "punten": "incidenten"},
                ("van", "tot"), params)


def test_the_page_draws_incident_hotspots_of_an_area_typed_by_name(incidents, officer):
    response = _page(officer, dataset=incidents, code="3.1.1")
    assert response.status_code == 200, response.content.decode()[:3000]
    html = response.content.decode()
    assert "<svg" in html and "politie-incidenten" in html and "code 3.1.1" in html
    assert "Getis-Ord Gi*" in html and "Periode" in html
    assert f"/incidenten/?dataset={incidents}&amp;code=3.1.1&amp;gebied=GM0153" in html
    assert "points=events&amp;dataset=" in html
    assert "/kaart/?hotspots=1" not in html  # the map layer draws signals only


def test_the_page_gives_a_mayor_without_covenant_aggregates_of_incidents(incidents):
    gemeente = OrganisationFactory(municipalities=[municipality("GM0153")])
    html = _page(member(Role.BESTUURDER, gemeente), dataset=incidents).content.decode()
    assert "Alleen geaggregeerd" in html and "Aantallen van deze incidenten" in html
    analyst = _page(member(Role.ANALIST, gemeente), dataset=incidents)
    assert analyst.status_code == 400  # no readable dataset: not a choice
    assert "Politie-incidenten" not in analyst.content.decode().split("<select", 2)[1]


@pytest.mark.parametrize(("params", "field"), [
    ({"dataset": ""}, "dataset"),
    ({"thema": "drugsdump", "dataset": "demo-vr05"}, "thema"),
    ({"punten": "signalen", "dataset": "demo-vr05"}, "punten"),
    ({"gebied": "Amsterdam", "dataset": "demo-vr05"}, "gebied"),
    ({"gebied": "Nergensdorp", "dataset": "demo-vr05"}, "gebied"),
])
def test_the_page_refuses_bad_incident_choices_in_dutch(incidents, officer, params, field):
    response = _page(officer, **params)
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()


def test_the_form_as_a_browser_sends_it_for_signals_carries_no_dataset(incidents, officer):
    page = _page(officer).content.decode()
    first = page.split('id="id_dataset"', 1)[1].split("<option", 2)[1]
    assert first.startswith(' value=""')  # the browser sends the blank choice
    assert _page(officer, punten="signalen", dataset="", code="").status_code == 200


def test_the_incidents_lists_link_opens_the_form_with_incidents_chosen(incidents, officer):
    """The incidents list's "Hotspots van incidenten" without a filter: the form with police
    incidents and the only readable dataset chosen, nothing marked wrong (it was a 400
    that refused the area nobody had asked for yet); a sent form still needs its area."""
    client = Client()
    client.force_login(officer)
    listing = client.get("/incidenten/").content.decode()
    assert 'href="/dashboard/hotspots/?punten=incidenten"' in listing
    response = client.get("/dashboard/hotspots/?punten=incidenten")
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" not in html and "Er is een probleem" not in html
    assert '<option value="incidenten" selected>' in html
    assert f'<option value="{incidents}" selected>' in html
    assert client.get("/dashboard/hotspots/?punten=incidenten&gebied=").status_code == 400
    # A preset the form does not know is left out, not an error.
    assert client.get("/dashboard/hotspots/?punten=incidenten&onzin=1").status_code == 200
