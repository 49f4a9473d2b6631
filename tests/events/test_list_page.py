"""The incident page /incidenten/ (issue 14 follow-up, decision 0044): readers get a
filtered, sorted, paged and logged list; a bestuurder of a gemeente, politie, RIEC or OM
organisation gets counts only, small ones suppressed, covenant or not; partners nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.events.models import Event
from knooppunt.organisations.models import Confidentiality, OrganisationKind, Role
from tests.factories import CovenantFactory, OrganisationFactory, member, municipality

pytestmark = pytest.mark.django_db
URL = "/incidenten/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<time ")


def test_the_holders_analyst_pages_through_filtered_incidents_and_each_page_is_logged(
        incidents, officer):
    client = _client(officer)
    home = client.get("/")
    assert 'href="/incidenten/"' in home.content.decode()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    total = Event.objects.count()
    assert f"{total} incidenten gevonden" in html
    assert _rows(html) == 50
    entry = ProcessingLogEntry.objects.filter(object_type="events.event",
                                              action="list").latest("pk")
    shown = [int(i) for i in re.findall(r"<tr>\s*<td>(\d+)</td>", html)]
    assert sorted(map(int, entry.object_ids)) == sorted(shown)
    # Filtered by code and a wijk by name, oldest first.
    wijk = Event.objects.exclude(district=None).values_list(
        "district__name", "offence__code").first()
    response = client.get(URL, {"code": wijk[1], "gebied": wijk[0], "sorteer": "oudste"})
    assert response.status_code == 200, response.content.decode()[:2000]
    expected = Event.objects.filter(district__name=wijk[0], offence__code=wijk[1])
    assert f"{expected.count()} incident" in response.content.decode()
    dates = re.findall(r'<time datetime="([\d-]+)"', response.content.decode())
    assert dates == sorted(dates)
    page2 = client.get(URL, {"page": "2"})
    assert _rows(page2.content.decode()) == min(50, total - 50)
    assert ProcessingLogEntry.objects.filter(object_type="events.event",
                                             action="list").count() == 3


def test_a_municipality_with_a_covenant_reads_its_own_incidents_only(incidents, police):
    enschede = OrganisationFactory(municipalities=[municipality("GM0153")])
    CovenantFactory(parties=[police, enschede], max_confidentiality=Confidentiality.RIEC)
    html = _client(member(Role.ANALIST, enschede)).get(URL).content.decode()
    assert f"{Event.objects.filter(municipality__code='GM0153').count()} incidenten" in html


def test_a_municipal_analyst_without_covenant_sees_no_incident(incidents):
    gemeente = OrganisationFactory(municipalities=[municipality("GM0153")])
    response = _client(member(Role.ANALIST, gemeente)).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "0 incidenten gevonden" in html
    assert "convenant" in html


@pytest.mark.parametrize("kind", [OrganisationKind.GEMEENTE, OrganisationKind.POLITIE,
                                  OrganisationKind.RIEC, OrganisationKind.OM])
def test_a_bestuurder_without_covenant_sees_suppressed_counts_and_no_incident(
        incidents, kind, settings):
    settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD = 5
    organisation = OrganisationFactory(kind=kind, municipalities=[municipality("GM0153")])
    client = _client(member(Role.BESTUURDER, organisation))
    assert 'href="/incidenten/"' in client.get("/").content.decode()
    response = client.get(URL, {"gebied": "Enschede"})
    assert response.status_code == 200
    html = response.content.decode()
    total = Event.objects.filter(municipality__code="GM0153").count()
    assert f"<strong data-total>{total}</strong>" in html
    assert "<time " not in html  # no incident, no date
    numbers = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', html)]
    assert numbers and all(n >= 5 for n in numbers)
    assert not ProcessingLogEntry.objects.filter(object_type="events.event",
                                                 action="list").exists()
    # The API gives such a role no incident at all, and hotspots as aggregates only.
    assert client.get("/api/v1/events").status_code == 403
    today = timezone.localdate()
    cells = client.get("/api/v1/hotspots", {
        "area": "GM0153", "points": "events", "dataset": incidents, "cellSize": "500",
        "start": today.replace(year=today.year - 1).isoformat(), "end": today.isoformat()})
    assert cells.status_code == 200
    data = cells.json()
    assert data["aggregateOnly"] is True
    counts = [f["properties"]["count"] for f in data["features"]]
    assert sum(c or 0 for c in counts) > 0
    assert all(c is None or c == 0 or c >= 5 for c in counts)
    assert all(f["properties"]["z"] is None for f in data["features"])


@pytest.mark.parametrize("kind", [OrganisationKind.WONINGCORPORATIE,
                                  OrganisationKind.BELASTINGDIENST])
@pytest.mark.parametrize("role", [Role.ANALIST, Role.BESTUURDER])
def test_partners_and_the_tax_office_get_no_incident_page(incidents, kind, role):
    organisation = OrganisationFactory(kind=kind, municipalities=[municipality("GM0153")])
    client = _client(member(role, organisation))
    assert 'href="/incidenten/"' not in client.get("/").content.decode()
    assert client.get(URL).status_code == 403
    assert ProcessingLogEntry.objects.filter(object_type="events.event",
                                             outcome="denied").count() == 1


def test_a_beheerder_gets_no_incident_page(incidents, police):
    assert _client(member(Role.BEHEERDER, police)).get(URL).status_code == 403


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gebied=st.text(max_size=40), van=st.text(max_size=12), code=st.text(max_size=12))
def test_bad_filters_are_refused_in_dutch_without_a_row(officer, twente, gebied, van, code):
    response = _client(officer).get(URL, {"gebied": gebied, "van": van, "code": code})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "De filters kloppen niet" in response.content.decode()
        assert "Traceback" not in response.content.decode()


def test_a_period_the_wrong_way_round_is_refused(officer, twente):
    today = timezone.localdate()
    response = _client(officer).get(URL, {"van": today.isoformat(),
                                          "tot": "2001-01-01"})
    assert response.status_code == 400
    assert "ligt voor het begin" in response.content.decode()
