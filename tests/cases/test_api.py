"""The chain through the API: open, move, decide, assign, report; conflicts answer 409;
bad payloads answer 400 problem+json and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.cases.models import Case, Intervention

from ..api.conftest import token_client

pytestmark = pytest.mark.django_db


def _snapshot():
    return (list(Case.objects.values_list("pk", "stage_id", "version")),
            list(Intervention.objects.values_list("pk", "status", "version",
                                                  "amount_recovered")))


def test_signal_to_result_through_the_api(chain):
    api = token_client(chain.coordinator)
    created = api.post("/api/v1/cases", {"signals": [s.reference for s in chain.signals],
                                         "forum": chain.forum.pk, "title": "Woning",
                                         "openedOn": "2025-03-05"}, format="json")
    assert created.status_code == 201, created.content
    case = created.json()
    ref, version = case["reference"], case["version"]
    for stage in ("verrijking", "preweging", "weging"):
        moved = api.post(f"/api/v1/cases/{ref}/transitions",
                         {"toStage": stage, "reason": "ok", "version": version}, format="json")
        assert moved.status_code == 200, moved.content
        version = moved.json()["version"]
    stale = api.post(f"/api/v1/cases/{ref}/decisions",
                     {"kind": "lokale-aanpak", "reason": "x", "decidedOn": "2025-04-01",
                      "version": version - 1}, format="json")
    assert stale.status_code == 409
    assert stale["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert "intussen door iemand anders gewijzigd" in stale.json()["detail"]
    no_reason = api.post(f"/api/v1/cases/{ref}/decisions",
                         {"kind": "lokale-aanpak", "reason": "", "decidedOn": "2025-04-01",
                          "version": version}, format="json")
    assert no_reason.status_code == 400
    assert {p["name"] for p in no_reason.json()["invalidParams"]} == {"reason"}
    decided = api.post(f"/api/v1/cases/{ref}/decisions",
                       {"kind": "lokale-aanpak", "reason": "Sluiten", "decidedOn": "2025-04-01",
                        "version": version}, format="json")
    assert decided.status_code == 201, decided.content
    outsider = api.post(f"/api/v1/cases/{ref}/interventions",
                        {"type": "huurontbinding", "organisation": chain.outsider.pk,
                         "plannedOn": "2025-04-02"}, format="json")
    assert outsider.status_code == 400
    assigned = api.post(f"/api/v1/cases/{ref}/interventions",
                        {"type": "afpakken", "organisation": chain.corporatie.pk,
                         "plannedOn": "2025-04-02"}, format="json")
    assert assigned.status_code == 201, assigned.content
    item = assigned.json()["id"]
    partner = token_client(chain.partner)
    assert partner.get(f"/api/v1/cases/{ref}").status_code == 404
    mine = partner.get("/api/v1/interventions").json()["results"]
    assert [i["id"] for i in mine] == [item]
    assert set(mine[0]["case"]) == {"reference", "theme", "municipality", "forum"}
    assert api.patch(f"/api/v1/interventions/{item}", {"status": "lopend", "version": 1},
                     format="json").status_code == 403
    reported = partner.patch(f"/api/v1/interventions/{item}", {
        "status": "afgerond", "startedOn": "2025-04-03", "endedOn": "2025-06-01",
        "amountRecovered": "12500.00", "hoursSpent": "30", "result": "Beslag gelegd",
        "version": 1}, format="json")
    assert reported.status_code == 200, reported.content
    assert reported.json()["amountRecovered"] == "12500.00"
    again = partner.patch(f"/api/v1/interventions/{item}", {"status": "lopend", "version": 1},
                          format="json")
    assert again.status_code == 409


payload_values = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**12),
                           st.text(max_size=30), st.lists(st.text(max_size=5), max_size=3),
                           st.dates().map(str))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=st.dictionaries(st.sampled_from(["toStage", "reason", "version", "kind",
                                             "decidedOn", "meeting", "status", "startedOn",
                                             "endedOn", "amountRecovered", "hoursSpent",
                                             "result", "type", "organisation", "plannedOn",
                                             "durationMonths", "extra"]),
                            payload_values, max_size=6),
       target=st.sampled_from(["transitions", "decisions", "interventions", "patch"]))
# Found by this test on PostgreSQL: a NUL in a code reached the database (a 500).
@example(body={"kind": "\x00"}, target="decisions")
@example(body={"toStage": "weg\x00ing"}, target="transitions")
@example(body={"type": "\x00"}, target="interventions")
def test_bad_payloads_get_problem_json_and_change_nothing(chain, body, target):
    with transaction.atomic():
        from .conftest import open_case

        case = open_case(chain)
        item = Intervention.objects.create(case=case, type_id=1, organisation=chain.corporatie,
                                           planned_on=dt.date(2025, 4, 1))
        api = token_client(chain.partner if target == "patch" else chain.coordinator)
        before = _snapshot()
        if target == "patch":
            response = api.patch(f"/api/v1/interventions/{item.pk}", body, format="json")
        else:
            response = api.post(f"/api/v1/cases/{case.reference}/{target}", body,
                                format="json")
        assert response.status_code < 500, response.content
        if response.status_code >= 400:
            assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
            assert _snapshot() == before
        transaction.set_rollback(True)
