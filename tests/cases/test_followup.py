"""Follow-up per municipality: the mayor sees what was done in aggregate, never names or
addresses; case workers also get the list of notices (logged); the API says the same."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.cases import services
from knooppunt.cases.models import DecisionKind, InterventionType, Stage
from knooppunt.taxonomy.models import SourceType

from ..api.conftest import token_client
from ..factories import SignalFactory
from .conftest import open_case

pytestmark = pytest.mark.django_db
PERIOD = {"gemeente": "GM0153", "van": "2025-01-01", "tot": "2025-12-31"}


def _many(chain, n: int):
    """n police notices, each weighed and given a 13b closure with recovered money."""
    police = SourceType.objects.get(code="politie")
    closure = InterventionType.objects.get(code="sluiting-13b")
    afpakken = InterventionType.objects.get(code="afpakken")
    for i in range(n):
        signal = SignalFactory(reporting_organisation=chain.gemeente, source_type=police,
                               received_on=dt.date(2025, 3, 1), street=f"Straat{i}",
                               house_number=i + 1, description=f"Kwekerij {i}")
        case = services.open_case(user=chain.coordinator, signals=[signal],
                                  forum=chain.forum, title=f"C{i}",
                                  opened_on=dt.date(2025, 3, 5))
        for code in ("verrijking", "preweging", "weging"):
            case.refresh_from_db()
            services.change_stage(user=chain.coordinator, case=case,
                                  to_stage=Stage.objects.get(code=code), reason="ok",
                                  version=case.version)
        case.refresh_from_db()
        services.decide(user=chain.coordinator, case=case,
                        kind=DecisionKind.objects.get(code="lokale-aanpak"), reason="aanpak",
                        decided_on=dt.date(2025, 3, 20), version=case.version)
        for kind in (closure, afpakken):
            item = services.add_intervention(
                user=chain.coordinator, case=case, intervention_type=kind,
                organisation=chain.gemeente, planned_on=dt.date(2025, 3, 21))
            services.report_intervention(
                user=chain.coordinator, intervention=item, version=1, status="afgerond",
                started_on=dt.date(2025, 3, 25), ended_on=dt.date(2025, 6, 25),
                amount_recovered=1000 if kind == afpakken else None,
                duration_months=3 if kind == closure else None, hours_spent=4,
                result="klaar")


def test_mayor_sees_aggregates_without_names_or_addresses(client, chain):
    _many(chain, 6)
    client.force_login(chain.mayor)
    page = client.get("/casussen/opvolging/", PERIOD)
    assert page.status_code == 200
    result = page.context["result"]
    # the chain fixture has two more police notices that are in no case yet: showing
    # "6 in a case" beside "8 received" would reveal those 2, so the parts are hidden
    assert result.notices == {"received": 8, "in_case": None, "weighed": None, "open": 8}
    assert {r.code: r.shown for r in result.interventions} == {"sluiting-13b": 6,
                                                               "afpakken": 6}
    assert result.recovered == 6000 and result.hours == 48
    # "Casussen lokaal gewogen" is dated by the day a case was first weighed (decision
    # 0024): the stage changes above were recorded today, not in 2025.
    assert result.cases["weighed"] == 0
    today = dt.date.today()
    # The mayor gets fixed periods only (decision 0026): this year, not 1 January-today.
    now = client.get("/casussen/opvolging/", {"gemeente": "GM0153",
                                              "periode": str(today.year)}).context["result"]
    assert now.cases["weighed"] == 6
    html = page.content.decode()
    assert "Straat0" not in html and "Kwekerij" not in html and "KNP-" not in html
    assert page.context["notice_rows"] is None
    api = token_client(chain.mayor).get("/api/v1/follow-up", {"municipality": "GM0153",
                                                              "from": "2025-01-01",
                                                              "to": "2025-12-31"})
    assert api.status_code == 200
    body = api.json()
    assert body["cannabisNotices"]["received"] == 8 and body["recoveredEuros"] == "6000.00"
    assert body["cannabisNotices"]["weighed"] is None
    assert "Straat0" not in api.content.decode()
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/casussen/opvolging/", PERIOD).content.decode()
    assert "Local integrated approach" in english and "Closure (art. 13b Opium Act)" in english


def test_small_numbers_are_hidden_from_everyone_in_aggregates(client, chain):
    _many(chain, 2)
    client.force_login(chain.mayor)
    result = client.get("/casussen/opvolging/", PERIOD).context["result"]
    assert result.notices["received"] is None
    assert result.recovered is None and result.hours is None
    assert all(d.median_days is None for d in result.durations)
    assert "afgeschermd" in client.get("/casussen/opvolging/", PERIOD).content.decode()


def test_a_finished_count_never_stands_beside_a_hidden_total(client, chain):
    _many(chain, 6)
    # two more closures, unfinished, in another row type: a small cell forces suppression
    from knooppunt.cases.models import Intervention

    case = Intervention.objects.first().case
    for _ in range(2):  # running: counted as "started or finished" (decision 0024)
        item = services.add_intervention(
            user=chain.coordinator, case=case,
            intervention_type=InterventionType.objects.get(code="bibob"),
            organisation=chain.gemeente, planned_on=dt.date(2025, 3, 21))
        services.report_intervention(user=chain.coordinator, intervention=item, version=1,
                                     status="lopend", started_on=dt.date(2025, 3, 25))
    client.force_login(chain.mayor)
    rows = client.get("/casussen/opvolging/", PERIOD).context["result"].interventions
    assert any(r.shown is None for r in rows)
    assert all(r.extra is None for r in rows if r.shown is None)


def test_case_workers_get_the_notices_list_logged(client, chain):
    _many(chain, 1)
    open_case(chain)
    client.force_login(chain.coordinator)
    page = client.get("/casussen/opvolging/", PERIOD)
    rows = page.context["notice_rows"]
    assert rows and all(cases for _signal, cases in rows[:1])
    assert ProcessingLogEntry.objects.filter(
        detail__startswith="opvolging hennepberichten GM0153").exists()


@pytest.mark.parametrize("params", [{"gemeente": "GM9999"}, {"gemeente": "GM0363"},
                                    {"gemeente": "GM0153", "van": "2025-05-01",
                                     "tot": "2025-01-01"},
                                    {"gemeente": "GM0153", "van": "1800-01-01"}])
def test_bad_follow_up_requests_get_a_dutch_error(client, chain, params):
    client.force_login(chain.mayor)
    page = client.get("/casussen/opvolging/", params)
    assert page.status_code == 400
    assert "Er is een probleem" in page.content.decode() or "Kies een" in \
        page.content.decode()


def test_without_a_choice_a_one_municipality_user_sees_their_own_follow_up(client, chain):
    _many(chain, 6)
    client.force_login(chain.mayor)
    page = client.get("/casussen/opvolging/")
    assert page.status_code == 200
    assert page.context["form"].cleaned_data["gemeente"].code == "GM0153"
    assert page.context["result"] is not None


def _no_small_complement(total: int | None, parts: dict[str, int | None]) -> list[str]:
    """The parts whose difference with a shown total is a small, non-zero count."""
    from django.conf import settings

    threshold = settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD
    return [key for key, part in parts.items()
            if total is not None and part is not None and 0 < total - part < threshold]


def test_a_small_count_cannot_be_worked_out_as_total_minus_part(client, chain):
    """8 notices, 6 of them in a case: showing both tells the mayor that exactly 2
    police notices are still in no case (a count under the threshold)."""
    _many(chain, 6)
    client.force_login(chain.mayor)
    result = client.get("/casussen/opvolging/", PERIOD).context["result"]
    for figures in (result.notices, result.signals):
        parts = {k: v for k, v in figures.items() if k != "received"}
        assert _no_small_complement(figures["received"], parts) == []
    case_parts = {k: v for k, v in result.cases.items() if k in ("weighed", "open",
                                                                  "stopped_quickly")}
    assert _no_small_complement(result.cases["opened"], case_parts) == []
    for row in result.interventions:
        assert _no_small_complement(row.shown, {"done": row.extra}) == []
    body = token_client(chain.mayor).get("/api/v1/follow-up", {
        "municipality": "GM0153", "from": "2025-01-01", "to": "2025-12-31"}).json()
    notices = body["cannabisNotices"]
    assert _no_small_complement(notices["received"], {
        k: v for k, v in notices.items() if k != "received"}) == []


def test_the_cases_shown_beside_the_notices_are_logged(client, chain):
    """The notices list names each notice's case, stage, decisions and interventions:
    reading those cases is processing personal data and belongs in the log."""
    _many(chain, 1)
    client.force_login(chain.coordinator)
    before = ProcessingLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    rows = client.get("/casussen/opvolging/", PERIOD).context["notice_rows"]
    shown = {r["case"].pk for _signal, cases in rows for r in cases}
    assert shown
    logged = set()
    for entry in ProcessingLogEntry.objects.filter(object_type="cases.case", pk__gt=before,
                                                   user_id=chain.coordinator.pk):
        logged |= {int(i) for i in entry.object_ids}
    assert shown <= logged
