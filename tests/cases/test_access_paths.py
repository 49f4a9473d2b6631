"""Every case, intervention, meeting and follow-up page and API endpoint answers exactly
as `scope` decides, and refused writes change nothing.

`CHECKED_VIEWS` lists the views exercised here; a new view under the case URLs or the
case API that is not added fails `test_every_case_view_is_checked`.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import get_resolver
from hypothesis import HealthCheck, given, settings

from knooppunt.cases import services
from knooppunt.cases.models import AgendaItem, Case, Decision, Intervention, Meeting
from knooppunt.entities.querysets import may_read_entities
from knooppunt.organisations import scope

from ..test_access_paths import _named_patterns
from .test_scope_matrix import build, case_worlds

pytestmark = pytest.mark.django_db

CHECKED_VIEWS = {
    "cases:list", "cases:detail", "cases:create", "cases:stage", "cases:decide",
    "cases:add_intervention", "cases:link", "cases:subject", "cases:preweigh",
    "cases:preweigh_version", "cases:interventions", "cases:intervention", "cases:meetings",
    "cases:meeting", "cases:minutes", "cases:follow_up", "cases:attendance", "cases:unlist",
    "api:case-list", "api:case-detail", "api:case-transitions", "api:case-decisions",
    "api:case-interventions", "api:intervention-list", "api:intervention-detail",
    "api:follow-up", "api:meeting-list", "api:meeting-detail", "api:meeting-agenda",
    "api:meeting-agenda-item", "api:meeting-attendance", "api:meeting-decisions",
    "cases:network", "cases:network_data", "cases:network_svg",
}


def test_every_case_view_is_checked():
    names = {n for n in _named_patterns(get_resolver())
             if n.startswith("cases:") or n.startswith(("api:case", "api:intervention",
                                                        "api:follow", "api:meeting"))}
    assert names == CHECKED_VIEWS, "add new case views to the access-path tests"


def _snapshot():
    return (list(Case.objects.order_by("pk").values_list("pk", "stage_id", "version",
                                                         "decided_on")),
            list(Intervention.objects.order_by("pk").values_list("pk", "status", "version")),
            list(Meeting.objects.order_by("pk").values_list("pk", "version", "chair_id")),
            list(AgendaItem.objects.order_by("pk").values_list("pk", "case_id")),
            Decision.objects.count())


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(world=case_worlds())
def test_pages_and_api_show_exactly_the_scoped_cases(client, world):
    with transaction.atomic():
        users, cases, interventions, _subjects = build(world)
        meeting = Meeting.objects.create(forum=cases[0].forum, held_on=cases[0].opened_on)
        AgendaItem.objects.create(meeting=meeting, case=cases[0])
        for user in users:
            visible = set(scope.cases_for(user).values_list("reference", flat=True))
            seen_interventions = set(scope.interventions_for(user).values_list("pk", flat=True))
            updatable = set(scope.interventions_to_update_for(user).values_list("pk",
                                                                                 flat=True))
            personal = scope.sees_personal_data(user)
            client.force_login(user)
            # A person holds no key: the API answers them through their session.
            headers: dict[str, str] = {}
            listing = client.get("/casussen/")
            api_list = client.get("/api/v1/cases", headers=headers)
            if personal:
                html = listing.content.decode()
                assert {c.reference for c in cases if c.reference in html} == visible
                assert {c["reference"] for c in api_list.json()["results"]} == visible
                api_int = client.get("/api/v1/interventions", headers=headers).json()
                assert {i["id"] for i in api_int["results"]} == seen_interventions
            else:
                assert listing.status_code == 403 and api_list.status_code == 403
            for case in cases:
                ok = case.reference in visible
                for url in (f"/casussen/{case.reference}/",
                            f"/casussen/{case.reference}/preweegdocument/",
                            f"/casussen/{case.reference}/preweegdocument/1/"):
                    status = client.get(url).status_code
                    assert (status in (200, 404)) if ok else status in (403, 404), url
                # The case's network: only for a case the user may see, and only for those
                # who may read entities (decision 0049).
                for url in (f"/casussen/{case.reference}/netwerk/",
                            f"/casussen/{case.reference}/netwerk/netwerk.json",
                            f"/casussen/{case.reference}/netwerk/netwerk.svg"):
                    status = client.get(url).status_code
                    if ok and may_read_entities(user):
                        assert status == 200, url
                    else:
                        assert status in (403, 404), url
                api = client.get(f"/api/v1/cases/{case.reference}", headers=headers)
                assert api.status_code == (200 if ok else 404 if personal else 403)
                before = _snapshot()
                if not ok:
                    for url, data in (
                        ("fase/", {"to_stage": 1, "reason": "x", "version": 1}),
                        ("besluit/", {"kind": 1, "reason": "x", "decided_on": "2025-04-01",
                                      "version": 1}),
                        ("interventie/", {"intervention_type": 1, "organisation": 1,
                                          "planned_on": "2025-04-01"}),
                        ("signalen/", {"signals": "KNP-2025-000001", "version": 1}),
                        ("subject/", {"kind": "adres", "name": "x"}),
                        ("preweegdocument/", {"content": "x"}),
                    ):
                        status = client.post(f"/casussen/{case.reference}/{url}", data)
                        assert status.status_code in (403, 404), url
                    api_post = client.post(
                        f"/api/v1/cases/{case.reference}/transitions",
                        {"toStage": "verrijking", "reason": "x", "version": 1},
                        content_type="application/json", headers=headers)
                    assert api_post.status_code in (403, 404)
                    api_post = client.post(
                        f"/api/v1/cases/{case.reference}/decisions",
                        {"kind": "geen-actie", "reason": "x", "decidedOn": "2025-04-01",
                         "version": 1}, content_type="application/json", headers=headers)
                    assert api_post.status_code in (403, 404)
                    api_post = client.post(
                        f"/api/v1/cases/{case.reference}/interventions",
                        {"type": "geen-actie", "organisation": case.owner_id,
                         "plannedOn": "2025-04-01"}, content_type="application/json",
                        headers=headers)
                    assert api_post.status_code in (403, 404)
                    assert _snapshot() == before
            for intervention in interventions:
                page = client.get(f"/casussen/interventies/{intervention.pk}/")
                api = client.get(f"/api/v1/interventions/{intervention.pk}", headers=headers)
                if intervention.pk in seen_interventions:
                    assert page.status_code == 200 and api.status_code == 200
                else:
                    assert page.status_code in (403, 404) and api.status_code in (403, 404)
                if intervention.pk not in updatable:
                    before = _snapshot()
                    post = client.post(f"/casussen/interventies/{intervention.pk}/", {
                        "status": "lopend", "version": intervention.version})
                    patch = client.patch(f"/api/v1/interventions/{intervention.pk}",
                                         {"status": "lopend", "version": 1},
                                         content_type="application/json", headers=headers)
                    assert post.status_code in (403, 404)
                    assert patch.status_code in (403, 404)
                    assert _snapshot() == before
            meeting_ok = scope.meetings_for(user).filter(pk=meeting.pk).exists()
            for url in (f"/casussen/overleggen/{meeting.pk}/",
                        f"/casussen/overleggen/{meeting.pk}/notulen/"):
                status = client.get(url).status_code
                assert status == 200 if meeting_ok else status in (403, 404)
            api_meetings = client.get("/api/v1/meetings", headers=headers)
            api_meeting = client.get(f"/api/v1/meetings/{meeting.pk}", headers=headers)
            if personal:
                assert ({m["id"] for m in api_meetings.json()["results"]}
                        == set(scope.meetings_for(user).values_list("pk", flat=True)))
                assert api_meeting.status_code == (200 if meeting_ok else 404)
                if meeting_ok:
                    agenda = {a["reference"] for a in api_meeting.json()["agenda"]}
                    assert agenda == visible & {cases[0].reference}
            else:
                assert api_meetings.status_code == 403 and api_meeting.status_code == 403
            if not services.may_chair(user, meeting.forum):
                before = _snapshot()
                ref = cases[0].reference
                web = [client.post(f"/casussen/overleggen/{meeting.pk}/aanwezigen/",
                                   {"present": [user.pk], "version": 1}),
                       client.post(f"/casussen/overleggen/{meeting.pk}/agenda/{ref}/"
                                   "verwijderen/")]
                assert all(r.status_code in (403, 404) for r in web)
                base = f"/api/v1/meetings/{meeting.pk}"
                api_writes = [
                    client.put(f"{base}/attendance", {"attendees": [], "version": 1},
                               content_type="application/json", headers=headers),
                    client.post(f"{base}/agenda", {"case": ref},
                                content_type="application/json", headers=headers),
                    client.delete(f"{base}/agenda/{ref}", headers=headers),
                    client.post(f"{base}/decisions",
                                {"case": ref, "kind": "geen-actie", "reason": "x",
                                 "version": cases[0].version},
                                content_type="application/json", headers=headers),
                ]
                assert all(r.status_code in (400, 403, 404) for r in api_writes), \
                    [r.status_code for r in api_writes]
                assert _snapshot() == before
            assert client.get("/casussen/overleggen/").status_code == (200 if personal
                                                                        else 403)
            assert client.get("/casussen/interventies/").status_code == (200 if personal
                                                                          else 403)
            assert client.get("/casussen/nieuw/").status_code == (200 if personal else 403)
            in_area = scope.municipalities_for(user).filter(code="GM0153").exists()
            follow = client.get("/casussen/opvolging/", {"gemeente": "GM0153"})
            assert follow.status_code == (200 if in_area else 400)
            api_follow = client.get("/api/v1/follow-up", {"municipality": "GM0153"},
                                    headers=headers)
            assert api_follow.status_code == (200 if in_area else 403)
            client.logout()
        transaction.set_rollback(True)
