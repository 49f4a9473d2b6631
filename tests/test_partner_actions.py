"""The cases of issue 13 (findings 1 and 2), as a new user meets them: a grid operator,
a housing corporation and two municipalities in Twente, through pages and the API.

* the grid operator cannot close Gemeente Enschede's hennep signal, is not offered
  "Adres corrigeren" nor the status form on a police cannabis notice, and cannot register
  a Mensenhandel signal from Meld Misdaad Anoniem at level RIEC;
* coordinator Almelo sees Enschede's early-warning alert but cannot review it (403
  problem+json); coordinator Enschede can;
* the beheerder reads no signal;
* a partner reads its own signals, those on cases where it carries out a measure or sits
  at the table, and what a covenant shares by theme *and* source type — not an MMA tip or
  a police notice the covenant does not name.
"""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.organisations import scope
from knooppunt.organisations.models import Confidentiality, OrganisationKind, Role
from knooppunt.signals.models import AddressStatus, Signal, Status, StatusChange
from knooppunt.taxonomy.models import SourceType, Theme

from .factories import CovenantFactory, OrganisationFactory, SignalFactory, member, municipality

pytestmark = pytest.mark.django_db


def source(code: str) -> SourceType:
    return SourceType.objects.get(code=code)


def theme(code: str) -> Theme:
    return Theme.objects.get(code=code)


@pytest.fixture
def twente():
    enschede, almelo = municipality("GM0153"), municipality("GM0141")
    orgs = {
        "enschede": OrganisationFactory(name="Gemeente Enschede", kind=OrganisationKind.GEMEENTE,
                                        municipalities=[enschede]),
        "almelo": OrganisationFactory(name="Gemeente Almelo", kind=OrganisationKind.GEMEENTE,
                                      municipalities=[almelo]),
        "politie": OrganisationFactory(name="Politie", kind=OrganisationKind.POLITIE,
                                       municipalities=[enschede, almelo]),
        "net": OrganisationFactory(name="Netbeheer", kind=OrganisationKind.NETBEHEERDER,
                                   municipalities=[enschede, almelo]),
        "corp": OrganisationFactory(name="Woonstichting", kind=OrganisationKind.WONINGCORPORATIE,
                                    municipalities=[enschede]),
    }
    # A wide covenant, so the grid operator can *read* these signals: what it may not do
    # is then decided by the action rules alone.
    CovenantFactory(parties=list(orgs.values()), themes=[theme("hennepteelt")],
                    source_types=[source("gemeente"), source("politie")])
    return orgs


def test_grid_operator_cannot_close_enschedes_signal(client, twente):
    signal = SignalFactory(reporting_organisation=twente["enschede"],
                           source_type=source("gemeente"),
                           status=Status.RECEIVED)
    grid = member(Role.MEDEWERKER, twente["net"])
    assert scope.can_view_signal(grid, signal)
    client.force_login(grid)
    page = client.get(f"/signalen/{signal.reference}/")
    assert page.status_code == 200
    assert f"/signalen/{signal.reference}/status/" not in page.content.decode()
    response = client.post(f"/signalen/{signal.reference}/status/",
                           {"to_status": Status.CLOSED, "note": "afgesloten"})
    assert response.status_code == 403
    signal.refresh_from_db()
    assert signal.status == Status.RECEIVED
    assert not StatusChange.objects.filter(signal=signal, to_status=Status.CLOSED).exists()
    # The municipality itself can.
    client.force_login(member(Role.COORDINATOR, twente["enschede"]))
    assert client.post(f"/signalen/{signal.reference}/status/",
                       {"to_status": Status.CLOSED, "note": "afgesloten"}).status_code == 302
    signal.refresh_from_db()
    assert signal.status == Status.CLOSED


def test_grid_operator_is_not_offered_address_or_status_on_a_police_notice(client, twente):
    notice = SignalFactory(reporting_organisation=twente["politie"], source_type=source("politie"),
                           address_status=AddressStatus.UNRESOLVED, postcode="7511AA",
                           house_number=999)
    grid = member(Role.MEDEWERKER, twente["net"])
    client.force_login(grid)
    html = client.get(f"/signalen/{notice.reference}/").content.decode()
    assert "Adres corrigeren" not in html and "Status wijzigen" not in html
    assert "niet wijzigen" in html
    assert notice not in [s for s in client.get("/signalen/adressen/").context["page"]]
    refused = client.post(f"/signalen/{notice.reference}/adres/",
                          {"postcode": "7511 AB", "house_number": 1})
    assert refused.status_code == 403
    notice.refresh_from_db()
    assert notice.postcode == "7511AA"
    # Gemeente Enschede, where the notice plays, is offered both.
    client.force_login(member(Role.MEDEWERKER, twente["enschede"]))
    html = client.get(f"/signalen/{notice.reference}/").content.decode()
    assert "Adres corrigeren" in html and "Status wijzigen" in html


def _mma_riec_tip() -> dict:
    return {"theme": "mensenhandel", "sourceType": "mma", "receivedOn": "2025-03-01",
            "municipality": "GM0153", "description": "Tip", "confidentiality": "riec"}


def test_grid_operator_cannot_register_an_mma_mensenhandel_tip_at_riec(client, twente):
    grid = member(Role.MEDEWERKER, twente["net"])
    client.force_login(grid)
    form = client.get("/signalen/nieuw/").context["form"]
    assert [s.code for s in form.fields["source_type"].queryset] == ["netbeheerder"]
    assert [c for c, _label in form.fields["confidentiality"].choices] == [1, 2]
    before = Signal.objects.count()
    page = client.post("/signalen/nieuw/", {
        "reporting_organisation": twente["net"].pk, "theme": theme("mensenhandel").pk,
        "source_type": source("mma").pk, "received_on": "2025-03-01",
        "municipality": municipality("GM0153").pk, "description": "Tip",
        "confidentiality": Confidentiality.RIEC, "is_anonymous": "on"})
    assert page.status_code == 400
    assert {"source_type", "confidentiality"} <= set(page.context["form"].errors)
    api = APIClient()
    api.force_login(grid)
    for body, field in ((_mma_riec_tip(), "sourceType"),
                        ({**_mma_riec_tip(), "sourceType": "politie",
                          "confidentiality": "normaal"}, "sourceType"),
                        ({**_mma_riec_tip(), "sourceType": "netbeheerder"}, "confidentiality")):
        response = api.post("/api/v1/signals", body, format="json")
        assert response.status_code == 400, body
        assert field in {p["name"] for p in response.json()["invalidParams"]}, response.json()
    assert Signal.objects.count() == before
    # Its own source at its own level is fine.
    ok = api.post("/api/v1/signals", {**_mma_riec_tip(), "theme": "hennepteelt",
                                      "sourceType": "netbeheerder",
                                      "confidentiality": "normaal"}, format="json")
    assert ok.status_code == 201, ok.json()


def test_coordinator_almelo_cannot_review_enschedes_alert(twente):
    from knooppunt.monitoring.models import Alert, Indicator

    alert = Alert.objects.create(
        indicator=Indicator.objects.get(code="misdrijven-totaal-maand"), area_level="gemeente",
        area_code="GM0153", period_type="maand", period_start=dt.date(2025, 1, 1),
        method="poisson", observed=114, expected=84, statistic=0.001, threshold=0.01,
        history_periods=12, reason="114 waar 84 verwacht.")
    almelo = APIClient()
    almelo.force_login(member(Role.COORDINATOR, twente["almelo"]))
    # A public statistic: Almelo may see the alert ...
    assert alert.pk in [a["id"] for a in almelo.get("/api/v1/alerts").json()]
    # ... but not decide about it.
    refused = almelo.post(f"/api/v1/alerts/{alert.pk}/review",
                          {"status": "bekeken", "reason": "gezien"}, format="json")
    assert refused.status_code == 403
    assert refused["Content-Type"] == PROBLEM_CONTENT_TYPE
    alert.refresh_from_db()
    assert alert.status == "open" and alert.reviewed_by is None
    enschede = APIClient()
    enschede.force_login(member(Role.COORDINATOR, twente["enschede"]))
    done = enschede.post(f"/api/v1/alerts/{alert.pk}/review",
                         {"status": "bekeken", "reason": "gezien"}, format="json")
    assert done.status_code == 200
    alert.refresh_from_db()
    assert alert.status == "bekeken"


def test_the_beheerder_cannot_read_a_signal(client, twente):
    signal = SignalFactory(reporting_organisation=twente["enschede"],
                           confidentiality=Confidentiality.RIEC)
    beheerder = member(Role.BEHEERDER, twente["enschede"], is_staff=True, is_superuser=True)
    assert not scope.signals_for(beheerder).exists()
    client.force_login(beheerder)
    assert client.get(f"/signalen/{signal.reference}/").status_code == 403
    assert client.get("/signalen/").status_code == 403
    assert client.get("/beheer/signals/signal/").status_code == 404  # not in the admin
    api = APIClient()
    api.force_login(beheerder)
    assert api.get(f"/api/v1/signals/{signal.reference}").status_code == 403
    assert api.post(f"/signalen/{signal.reference}/status/",
                    {"to_status": Status.CLOSED, "note": "x"}).status_code == 403


# ---------------------------------------------------------------- partners read their part


@pytest.fixture
def partner_world(twente):
    """The demo's design: the hennep covenant names the partners' own sources only."""
    from knooppunt.organisations.models import Covenant

    Covenant.objects.all().delete()
    CovenantFactory(parties=list(twente.values()),
                    themes=[theme("hennepteelt"), theme("drugslab"), theme("drugsdump")],
                    source_types=[source("netbeheerder"), source("woningcorporatie"),
                                  source("waterbedrijf")])
    signals = {
        "police": SignalFactory(reporting_organisation=twente["politie"],
                                source_type=source("politie")),
        "mma": SignalFactory(reporting_organisation=twente["politie"], source_type=source("mma"),
                             is_anonymous=True),
        "grid": SignalFactory(reporting_organisation=twente["net"],
                              source_type=source("netbeheerder")),
        "own": SignalFactory(reporting_organisation=twente["corp"],
                             source_type=source("woningcorporatie")),
        "vertrouwelijk": SignalFactory(reporting_organisation=twente["politie"],
                                       source_type=source("politie"),
                                       confidentiality=Confidentiality.RIEC),
    }
    return twente, signals


def _seen(user, signals) -> set[str]:
    visible = set(scope.signals_for(user).values_list("pk", flat=True))
    return {name for name, s in signals.items() if s.pk in visible}


def test_a_covenant_shares_only_the_sources_it_names(partner_world):
    orgs, signals = partner_world
    corp = member(Role.MEDEWERKER, orgs["corp"])
    assert _seen(corp, signals) == {"grid", "own"}
    grid = member(Role.MEDEWERKER, orgs["net"])
    assert _seen(grid, signals) == {"grid", "own"}
    # The municipality sees the partners' signals through the same covenant.
    assert _seen(member(Role.MEDEWERKER, orgs["enschede"]), signals) == {"grid", "own"}


@pytest.mark.parametrize("seat", ["assigned", "member", "partner", "none"])
def test_a_partner_reads_the_signals_of_a_case_where_it_acts(partner_world, seat):
    from .cases.factories import CaseFactory, ForumFactory, InterventionFactory

    orgs, signals = partner_world
    forum = ForumFactory(members=[orgs["enschede"], orgs["politie"]]
                         + ([orgs["corp"]] if seat == "member" else []))
    forum.partners.set([orgs["corp"]] if seat in ("assigned", "partner") else [])
    case = CaseFactory(forum=forum, owner=orgs["enschede"])
    for name in ("police", "mma", "vertrouwelijk"):
        case.signal_links.create(signal=signals[name], linked_at=dt.datetime.now(dt.UTC))
    if seat == "assigned":
        InterventionFactory(case=case, organisation=orgs["corp"])
    corp = member(Role.MEDEWERKER, orgs["corp"])
    on_case = {"police", "mma"} if seat in ("assigned", "member") else set()
    # Never above its clearance: the RIEC-level notice stays hidden from a medewerker.
    assert _seen(corp, signals) == {"grid", "own"} | on_case
    # Reading is not changing: the partner may not touch the police's signals.
    from knooppunt.organisations import permissions

    for name in on_case:
        assert not permissions.may(corp, permissions.Action.SIGNAL_CHANGE_STATUS,
                                   signals[name])
    assert permissions.may(corp, permissions.Action.SIGNAL_CHANGE_STATUS, signals["own"])


def test_the_demo_covenants_name_their_sources():
    from knooppunt.demo.organisations import build_organisations
    from knooppunt.geo.models import SafetyRegion

    orgs = build_organisations(SafetyRegion.objects.get(code="VR05"))
    named = {c.name: set(c.source_types.values_list("code", flat=True))
             for c in orgs.covenants}
    hennep = next(v for k, v in named.items() if "hennepteelt" in k)
    assert hennep == {"netbeheerder", "woningcorporatie", "waterbedrijf"}
    riec = next(v for k, v in named.items() if "RIEC" in k)
    assert {"mma", "politie"} <= riec
    partners = {orgs.netbeheerder.pk, orgs.waterbedrijf.pk, orgs.zorg.pk,
                *(o.pk for o in orgs.woningcorporaties)}
    for covenant in orgs.covenants:
        if set(covenant.parties.values_list("pk", flat=True)) & partners and \
                covenant.is_valid_on(dt.date.today()):
            assert not {"mma", "politie"} & set(
                covenant.source_types.values_list("code", flat=True)), covenant.name
