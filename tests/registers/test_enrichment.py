"""Enrichment shows only what the user may see, with source and date per fact."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.organisations.models import Role
from knooppunt.signals.enrichment import enrich
from knooppunt.taxonomy.models import SourceType
from tests.api.conftest import token_client
from tests.factories import OrganisationFactory, SignalFactory, member, municipality

from .factories import ENSCHEDE_X, ENSCHEDE_Y, AddressFactory, CompanyFactory, EnergyAnomalyFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 1)


def _signal(org, address=None, dx=0.0, **kwargs):
    fields = {"x_rd": ENSCHEDE_X + dx, "y_rd": ENSCHEDE_Y, "reporting_organisation": org,
              "received_on": dt.date(2025, 3, 1)}
    if address is not None:
        fields.update(address_register_id=address.nummeraanduiding_id,
                      postcode=address.postcode, house_number=address.house_number,
                      address_status="gevonden")
    fields.update(kwargs)
    return SignalFactory(**fields)


@pytest.fixture
def setting():
    gemeente = OrganisationFactory(name="Gemeente Enschede",
                                   municipalities=[municipality("GM0153")])
    stranger = OrganisationFactory(name="Woningcorporatie zonder convenant")
    user = member(Role.MEDEWERKER, gemeente)
    address = AddressFactory()
    CompanyFactory(address=address, name="Vastgoed Oude Markt (test)", kvk_number="90000001")
    EnergyAnomalyFactory(address=address)
    return user, gemeente, stranger, address


def test_facts_with_source_and_date(setting):
    user, gemeente, _stranger, address = setting
    signal = _signal(gemeente, address)
    # The grid operator's report of the anomaly, which the user may see (issue 13, finding 4).
    earlier = _signal(gemeente, address, received_on=dt.date(2025, 2, 15),
                      source_type=SourceType.objects.get(code="netbeheerder"))
    near = _signal(gemeente, dx=120.0)
    _signal(gemeente, dx=600.0)  # too far
    _signal(gemeente, dx=50.0, received_on=dt.date(2021, 1, 1))  # too long ago
    result = enrich(user, signal, today=TODAY)
    assert [s.reference for s in result.same_address] == [earlier.reference]
    assert [(s.reference, s.distance_m) for s in result.nearby] == [(near.reference, 120)]
    assert result.building.construction_year == 1931 and result.building.source
    assert result.building.source_date == dt.date(2025, 1, 1)
    assert [c.kvk_number for c in result.companies] == ["90000001"]
    assert result.energy.measured_kwh == 21000 and result.energy.source
    assert "Gemeente Enschede" in {o.name for o in result.organisations}


def test_signal_of_another_organisation_without_covenant_is_not_shown(setting):
    user, gemeente, stranger, address = setting
    signal = _signal(gemeente, address)
    hidden_same = _signal(stranger, address)
    hidden_near = _signal(stranger, dx=30.0)
    result = enrich(user, signal, today=TODAY)
    refs = {s.reference for s in result.same_address + result.nearby}
    assert hidden_same.reference not in refs and hidden_near.reference not in refs
    assert result.nearby_total == 0
    assert stranger.name not in {o.name for o in result.organisations}


def test_page_and_api_show_enrichment_without_leaking(setting, client):
    user, gemeente, stranger, address = setting
    signal = _signal(gemeente, address)
    hidden = _signal(stranger, address)
    client.force_login(user)
    before = ProcessingLogEntry.objects.count()
    page = client.get(f"/signalen/{signal.reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vastgoed Oude Markt (test)" in html and "1931" in html
    assert hidden.reference not in html and stranger.name not in html
    assert ProcessingLogEntry.objects.count() == before + 1  # the detail VIEW only

    api = token_client(user).get(f"/api/v1/signals/{signal.reference}")
    assert api.status_code == 200
    data = api.json()
    assert data["addressStatus"] == "gevonden"
    assert data["enrichment"]["building"]["constructionYear"] == 1931
    assert data["enrichment"]["companies"][0]["kvkNumber"] == "90000001"
    assert hidden.reference not in api.content.decode()
    listing = token_client(user).get("/api/v1/signals").json()
    assert all(item["enrichment"] is None for item in listing["results"])


def _grid_operator():
    from knooppunt.organisations.models import OrganisationKind

    return OrganisationFactory(name="Netbeheerder (test)", kind=OrganisationKind.NETBEHEERDER,
                               municipalities=[municipality("GM0153")])


def test_energy_anomaly_hidden_without_the_grid_report(setting, client):
    """Issue 13, finding 4: the anomaly revealed a grid operator's report the user may not
    see. It is shown only beside a grid-operator report at the address that the user may
    open, received on or after the anomaly was reported."""
    from tests.factories import CovenantFactory

    user, gemeente, _stranger, address = setting
    grid = _grid_operator()
    grid_user = member(Role.MEDEWERKER, grid)
    report = _signal(grid, address, received_on=dt.date(2025, 2, 1),
                     source_type=SourceType.objects.get(code="netbeheerder"))
    signal = _signal(gemeente, address)
    assert enrich(user, signal, today=TODAY).energy is None
    client.force_login(user)
    html = client.get(f"/signalen/{signal.reference}/").content.decode()
    assert "21000" not in html.replace(".", "") and "Netbeheerder (test)" not in html
    api = token_client(user).get(f"/api/v1/signals/{signal.reference}").json()
    assert api["enrichment"]["energy"] is None
    assert api["enrichment"]["building"] is not None  # public register: still shown
    # The grid operator sees its own report's anomaly.
    assert enrich(grid_user, report, today=TODAY).energy.measured_kwh == 21000
    # Once a covenant shares the grid operator's reports, the municipality sees it too.
    CovenantFactory(parties=[gemeente, grid])
    assert enrich(user, signal, today=TODAY).energy.measured_kwh == 21000


def test_an_older_grid_report_does_not_reveal_a_later_anomaly(setting):
    from tests.factories import CovenantFactory

    user, gemeente, _stranger, address = setting
    grid = _grid_operator()
    CovenantFactory(parties=[gemeente, grid])
    _signal(grid, address, received_on=dt.date(2024, 1, 10),
            source_type=SourceType.objects.get(code="netbeheerder"))
    signal = _signal(gemeente, address)
    assert enrich(user, signal, today=TODAY).energy is None  # anomaly reported 2025-02-01


def test_signals_beside_the_signal_are_logged_on_page_and_api(setting, client):
    """Issue 13, finding 5: earlier and nearby signals were shown but not logged."""
    user, gemeente, _stranger, address = setting
    signal = _signal(gemeente, address)
    earlier = _signal(gemeente, address, received_on=dt.date(2024, 2, 1))
    near = _signal(gemeente, dx=120.0)
    client.force_login(user)
    for get in (lambda: client.get(f"/signalen/{signal.reference}/"),
                lambda: token_client(user).get(f"/api/v1/signals/{signal.reference}")):
        last = ProcessingLogEntry.objects.order_by("-pk").first().pk \
            if ProcessingLogEntry.objects.exists() else 0
        assert get().status_code == 200
        rows = ProcessingLogEntry.objects.filter(pk__gt=last, object_type="signals.signal")
        listed = {i for r in rows if r.action == "list" for i in r.object_ids}
        assert {str(earlier.pk), str(near.pk)} <= listed
        assert all(r.purpose for r in rows)
