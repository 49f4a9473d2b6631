"""The chain end to end through the pages: signals to case, weighing with a reason,
a partner reporting a 13b closure with a recovered amount, the follow-up page."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.cases.models import Case, InterventionType, Stage
from knooppunt.organisations.models import OrganisationKind, Role
from knooppunt.signals.models import Signal, Status

from ..factories import OrganisationFactory, SignalFactory, member, municipality
from .factories import ForumFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    enschede = municipality("GM0153")
    gemeente = OrganisationFactory(name="Gemeente E", municipalities=[enschede])
    politie = OrganisationFactory(name="Politie", kind=OrganisationKind.POLITIE,
                                  municipalities=[enschede])
    corporatie = OrganisationFactory(name="Corporatie", kind=OrganisationKind.WONINGCORPORATIE)
    forum = ForumFactory(members=[gemeente, politie], municipalities=[enschede])
    forum.partners.set([corporatie])
    coordinator = member(Role.COORDINATOR, gemeente)
    partner = member(Role.MEDEWERKER, corporatie)
    mayor = member(Role.BESTUURDER, gemeente)
    signals = [SignalFactory(reporting_organisation=gemeente, received_on=dt.date(2025, 3, d))
               for d in (1, 3)]
    return {"forum": forum, "coordinator": coordinator, "partner": partner, "mayor": mayor,
            "signals": signals, "corporatie": corporatie}


def test_signal_to_result(client, world):
    client.force_login(world["coordinator"])
    refs = " ".join(s.reference for s in world["signals"])
    response = client.post("/casussen/nieuw/", {"forum": world["forum"].pk, "title": "Woning",
                                                "signals": refs, "opened_on": "2025-03-05"})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.stage.code == "intake"
    assert set(Signal.objects.values_list("status", flat=True)) == {Status.IN_PROGRESS}
    for stage in ("verrijking", "preweging", "weging"):
        response = client.post(f"/casussen/{case.reference}/fase/", {
            "to_stage": Stage.objects.get(code=stage).pk, "reason": "volgende stap",
            "version": Case.objects.get().version})
        assert response.status_code == 302, response.content.decode()[:3000]
    assert set(Signal.objects.values_list("status", flat=True)) == {Status.WEIGHED}
    case.refresh_from_db()
    response = client.post(f"/casussen/{case.reference}/besluit/", {
        "kind": 1, "decided_on": "2025-04-01", "reason": "", "version": case.version})
    assert response.status_code == 400
    assert "reden" in response.content.decode().lower()
    from knooppunt.cases.models import DecisionKind

    response = client.post(f"/casussen/{case.reference}/besluit/", {
        "kind": DecisionKind.objects.get(code="lokale-aanpak").pk, "decided_on": "2025-04-01",
        "reason": "Woning sluiten en huur opzeggen", "version": case.version})
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.stage.code == "aanpak" and case.decided_on == dt.date(2025, 4, 1)
    response = client.post(f"/casussen/{case.reference}/interventie/", {
        "intervention_type": InterventionType.objects.get(code="huurontbinding").pk,
        "organisation": world["corporatie"].pk, "planned_on": "2025-04-02"})
    assert response.status_code == 302, response.content.decode()[:3000]
    intervention = case.interventions.get()
    client.force_login(world["partner"])
    assert client.get(f"/casussen/{case.reference}/").status_code == 404
    page = client.get(f"/casussen/interventies/{intervention.pk}/")
    assert page.status_code == 200
    response = client.post(f"/casussen/interventies/{intervention.pk}/", {
        "status": "afgerond", "started_on": "2025-04-03", "ended_on": "2025-05-01",
        "hours_spent": "6", "result": "Huur ontbonden", "version": intervention.version})
    assert response.status_code == 302, response.content.decode()[:3000]
    client.force_login(world["mayor"])
    page = client.get("/casussen/opvolging/", {"gemeente": "GM0153", "van": "2025-01-01",
                                               "tot": "2025-12-31"})
    assert page.status_code == 200
    assert world["signals"][0].reference not in page.content.decode()
    assert ProcessingLogEntry.objects.filter(object_type="cases.case").exists()
