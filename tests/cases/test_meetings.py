"""Meetings through the API and the meeting page: plan, agenda, attendance (members of
the forum's organisations, a chair, guests as free text), decisions naming who decided;
stale versions answer 409, people from outside the forum are refused, nothing changes."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.cases import services
from knooppunt.cases.models import AgendaItem, Decision, DecisionKind, Meeting, MeetingAttendee
from knooppunt.organisations.models import Role

from ..api.conftest import token_client
from ..factories import member
from .conftest import open_case
from .factories import stage

pytestmark = pytest.mark.django_db


def _state():
    return (list(Meeting.objects.values_list("pk", "version", "chair_id", "attendees")),
            list(MeetingAttendee.objects.values_list("meeting_id", "person_id")),
            list(AgendaItem.objects.values_list("meeting_id", "case_id")),
            list(Decision.objects.values_list("pk", "decided_by_id")))


def _weighable(chain):
    case = open_case(chain)
    for code in ("verrijking", "preweging", "weging"):
        services.change_stage(user=chain.coordinator, case=case, to_stage=stage(code),
                              reason="klaar", version=case.version)
    return case


def _why(response) -> str:
    body = response.json()
    return " ".join([body["detail"], *(p["reason"] for p in body.get("invalidParams", []))])


def test_meeting_through_the_api(chain):
    case = _weighable(chain)
    other = open_case(chain)
    api = token_client(chain.coordinator)
    agent = member(Role.MEDEWERKER, chain.politie, first_name="Piet", last_name="Agent")
    stranger = member(Role.COORDINATOR, chain.outsider)
    planned = api.post("/api/v1/meetings", {"forum": chain.forum.pk, "heldOn": "2025-04-01",
                                            "guests": "J. Gast, RIEC"}, format="json")
    assert planned.status_code == 201, planned.content
    meeting = planned.json()
    base = f"/api/v1/meetings/{meeting['id']}"
    for ref in (case.reference, other.reference):
        assert api.post(f"{base}/agenda", {"case": ref}, format="json").status_code == 200
    assert api.delete(f"{base}/agenda/{other.reference}").status_code == 204

    before = _state()
    outsider = api.put(f"{base}/attendance", {
        "attendees": [chain.coordinator.username, stranger.username],
        "version": meeting["version"]}, format="json")
    assert outsider.status_code == 400
    assert outsider["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert "deelnemende organisatie" in _why(outsider)
    chair_absent = api.put(f"{base}/attendance", {
        "attendees": [chain.coordinator.username], "chair": agent.username,
        "version": meeting["version"]}, format="json")
    assert chair_absent.status_code == 400
    assert _state() == before

    set_ = api.put(f"{base}/attendance", {
        "attendees": [chain.coordinator.username, agent.username, chain.mayor.username],
        "chair": chain.mayor.username, "guests": "J. Gast, RIEC", "version": meeting["version"]},
        format="json")
    assert set_.status_code == 200, set_.content
    body = set_.json()
    assert body["chair"] == chain.mayor.username
    assert {(a["person"], a["organisation"]) for a in body["attendees"]} == {
        (chain.coordinator.username, chain.gemeente.name),
        (agent.username, chain.politie.name), (chain.mayor.username, chain.gemeente.name)}
    stale = api.put(f"{base}/attendance", {"attendees": [], "version": meeting["version"]},
                    format="json")
    assert stale.status_code == 409 and stale["Content-Type"] == PROBLEM_CONTENT_TYPE

    not_on_agenda = api.post(f"{base}/decisions", {
        "case": other.reference, "kind": "geen-actie", "reason": "x",
        "version": other.version}, format="json")
    assert not_on_agenda.status_code == 400
    stranger_decides = api.post(f"{base}/decisions", {
        "case": case.reference, "kind": "lokale-aanpak", "reason": "Sluiten",
        "decidedBy": stranger.username, "version": case.version}, format="json")
    assert stranger_decides.status_code == 400
    assert "besluitnemer" in _why(stranger_decides)
    assert not Decision.objects.exists()
    decided = api.post(f"{base}/decisions", {
        "case": case.reference, "kind": "lokale-aanpak", "reason": "Sluiten",
        "decidedBy": chain.mayor.username, "version": case.version}, format="json")
    assert decided.status_code == 201, decided.content
    decision = Decision.objects.get()
    assert (decision.decided_by, decision.recorded_by) == (chain.mayor, chain.coordinator)
    assert decision.decided_on == dt.date(2025, 4, 1) and decision.meeting_id == meeting["id"]
    again = api.post(f"{base}/decisions", {
        "case": case.reference, "kind": "geen-actie", "reason": "x",
        "version": case.version}, format="json")
    assert again.status_code == 409
    assert api.delete(f"{base}/agenda/{case.reference}").status_code == 400

    shown = api.get(base).json()
    assert [a["reference"] for a in shown["agenda"]] == [case.reference]
    assert shown["decisions"][0]["decidedBy"] == chain.mayor.get_full_name()
    assert shown["decisions"][0]["recordedBy"] == chain.coordinator.get_full_name()
    assert ProcessingLogEntry.objects.filter(object_type="cases.meeting",
                                           object_id=str(meeting["id"])).count() >= 5
    assert token_client(chain.partner).get(base).status_code == 404
    assert token_client(chain.mayor).get(base).status_code == 403
    analist = token_client(chain.analist)
    assert analist.get(base).status_code == 200
    assert analist.put(f"{base}/attendance", {"attendees": [],
                                              "version": shown["version"]},
                       format="json").status_code == 403


def test_meeting_page_records_attendance_and_who_decided(client, chain):
    case = _weighable(chain)
    meeting = services.plan_meeting(user=chain.coordinator, forum=chain.forum,
                                    held_on=dt.date(2025, 4, 1), attendees="J. Gast, RIEC")
    services.put_on_agenda(user=chain.coordinator, meeting=meeting, case=case)
    client.force_login(chain.coordinator)
    page = client.get(f"/casussen/overleggen/{meeting.pk}/").content.decode()
    assert escape(chain.mayor.get_full_name()) in page and "Aanwezigheid vastleggen" in page
    url = f"/casussen/overleggen/{meeting.pk}/aanwezigen/"
    missing_chair = client.post(url, {"present": [chain.coordinator.pk],
                                      "chair": chain.mayor.pk, "version": 1})
    assert missing_chair.status_code == 400
    assert "De voorzitter moet bij de aanwezigen staan" in missing_chair.content.decode()
    ok = client.post(url, {"present": [chain.coordinator.pk, chain.mayor.pk],
                           "chair": chain.mayor.pk, "guests": "J. Gast, RIEC", "version": 1})
    assert ok.status_code == 302
    stale = client.post(url, {"present": [], "version": 1})
    assert stale.status_code == 409
    meeting.refresh_from_db()
    assert meeting.chair == chain.mayor and meeting.attendance.count() == 2
    decided = client.post(f"/casussen/{case.reference}/besluit/", {
        "prefix": "d1", "d1-kind": DecisionKind.objects.get(code="lokale-aanpak").pk,
        "d1-decided_on": "2025-04-01",
        "d1-reason": "Sluiten", "d1-meeting": meeting.pk, "d1-decided_by": chain.mayor.pk,
        "d1-version": case.version})
    assert decided.status_code == 302, re.findall(r"field__error.*", decided.content.decode())
    minutes = client.get(f"/casussen/overleggen/{meeting.pk}/notulen/").content.decode()
    assert f"{escape(chain.mayor.get_full_name())} ({chain.gemeente.name}) – voorzitter" in minutes
    assert "J. Gast, RIEC (gast)" in minutes
    assert f"vastgelegd door {escape(chain.coordinator.get_full_name())}" in minutes
    detail = client.get(f"/casussen/{case.reference}/").content.decode()
    assert f"vastgelegd door {escape(chain.coordinator.get_full_name())}" in detail


people = st.one_of(st.sampled_from(["", "nobody", "a" * 151, "x y"]), st.text(max_size=12))
values = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**10), st.text(max_size=20),
                   st.lists(people, max_size=3), people)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=st.dictionaries(st.sampled_from(["attendees", "chair", "guests", "version",
                                             "case", "kind", "reason", "decidedOn",
                                             "decidedBy", "forum", "heldOn", "extra"]),
                            values, max_size=5),
       target=st.sampled_from(["attendance", "decisions", "agenda", "create"]))
def test_bad_meeting_payloads_get_problem_json_and_change_nothing(chain, body, target):
    with transaction.atomic():
        case = open_case(chain)
        meeting = services.plan_meeting(user=chain.coordinator, forum=chain.forum,
                                        held_on=dt.date(2025, 4, 1))
        services.put_on_agenda(user=chain.coordinator, meeting=meeting, case=case)
        api = token_client(chain.coordinator)
        before = _state()
        if target == "attendance":
            response = api.put(f"/api/v1/meetings/{meeting.pk}/attendance", body,
                               format="json")
        elif target == "create":
            response = api.post("/api/v1/meetings", body, format="json")
        else:
            response = api.post(f"/api/v1/meetings/{meeting.pk}/{target}", body,
                                format="json")
        assert response.status_code < 500, response.content
        if response.status_code >= 400:
            assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
            assert _state() == before
        transaction.set_rollback(True)


def test_naming_people_outside_the_forum_reveals_neither_their_name_nor_that_they_exist(
        chain):
    """A chair types usernames; the answer for someone of another organisation must be the
    same as for a username nobody has, and never show that person's full name."""
    case = _weighable(chain)
    api = token_client(chain.coordinator)
    stranger = member(Role.COORDINATOR, chain.outsider, first_name="Geheime",
                      last_name="Buitenstaander")
    meeting = api.post("/api/v1/meetings", {"forum": chain.forum.pk, "heldOn": "2025-04-01"},
                       format="json").json()
    base = f"/api/v1/meetings/{meeting['id']}"
    api.post(f"{base}/agenda", {"case": case.reference}, format="json")

    def answers(username: str) -> tuple[str, str]:
        present = api.put(f"{base}/attendance", {"attendees": [username],
                                                 "version": meeting["version"]},
                          format="json")
        decides = api.post(f"{base}/decisions", {
            "case": case.reference, "kind": "lokale-aanpak", "reason": "Sluiten",
            "decidedBy": username, "version": case.version}, format="json")
        assert present.status_code == decides.status_code == 400
        return (_why(present).replace(username, "NAAM"),
                _why(decides).replace(username, "NAAM"))

    known, unknown = answers(stranger.username), answers("niemand-heet-zo")
    assert known == unknown
    assert "Buitenstaander" not in " ".join(known)


def test_only_the_forums_coordinators_change_a_meetings_agenda_or_record_its_decisions(
        client, chain):
    """Found by the access matrix: coordinating the case's owner is not enough to write in
    another forum's meeting (agenda, decisions), through the page or the API."""
    from .factories import CaseFactory, ForumFactory

    other_forum = ForumFactory(name="Overleg zonder de gemeente", members=[chain.politie])
    police_chair = member(Role.COORDINATOR, chain.politie)
    meeting = services.plan_meeting(user=police_chair, forum=other_forum,
                                    held_on=dt.date(2025, 4, 1))
    case = CaseFactory(forum=other_forum, owner=chain.gemeente)
    AgendaItem.objects.create(meeting=meeting, case=case, order=1)
    other = CaseFactory(forum=other_forum, owner=chain.gemeente)
    # The coordinator of the case's owner also works at the police as medewerker, so the
    # meeting is visible to them; they may still not chair it.
    from knooppunt.organisations.models import Membership

    Membership.objects.create(user=chain.coordinator, organisation=chain.politie,
                              role=Role.MEDEWERKER)
    assert not services.may_chair(chain.coordinator, other_forum)
    api = token_client(chain.coordinator)
    assert api.get(base_url := f"/api/v1/meetings/{meeting.pk}").status_code == 200
    base = base_url
    answers = [
        api.post(f"{base}/agenda", {"case": other.reference}, format="json"),
        api.post(f"{base}/decisions", {"case": case.reference, "kind": "geen-actie",
                                       "reason": "x", "version": case.version},
                 format="json"),
        api.delete(f"{base}/agenda/{case.reference}"),
    ]
    client.force_login(chain.coordinator)
    answers.append(client.post(
        f"/casussen/overleggen/{meeting.pk}/agenda/{case.reference}/verwijderen/"))
    assert [a.status_code in (403, 404) for a in answers] == [True] * 4, \
        [a.status_code for a in answers]
    assert list(meeting.items.values_list("case_id", flat=True)) == [case.pk]
    assert not Decision.objects.filter(case__in=[case, other]).exists()
