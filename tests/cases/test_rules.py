"""The chain's rules: transitions as data with roles, reasons, forum members, dates,
optimistic locking, one transaction per action, append-only history, signal status."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.cases import services
from knooppunt.cases.models import (
    Case,
    Decision,
    DecisionKind,
    InterventionType,
    Stage,
    StageChange,
    Transition,
)
from knooppunt.cases.seed import TRANSITIONS
from knooppunt.organisations.models import Role
from knooppunt.signals.models import Status, StatusChange

from ..factories import member
from .conftest import open_case

pytestmark = pytest.mark.django_db


def _at(case: Case, stage_code: str) -> Case:
    """Put a case in a stage directly (test set-up only)."""
    Case.objects.filter(pk=case.pk).update(stage=Stage.objects.get(code=stage_code))
    case.refresh_from_db()
    return case


def test_transitions_are_the_seeded_data():
    rows = {(t.from_stage.code, t.to_stage.code): sorted(t.roles)
            for t in Transition.objects.select_related("from_stage", "to_stage")}
    assert rows == {(a, b): sorted(roles) for a, b, roles in TRANSITIONS}


@pytest.mark.parametrize("role", [Role.MEDEWERKER, Role.ANALIST, Role.COORDINATOR])
def test_every_stage_pair_follows_the_table_for_every_role(chain, role):
    """The whole matrix: from every stage to every stage, per role; the answer is the
    transition table, nothing else, and a refusal changes nothing."""
    user = member(role, chain.gemeente)
    case = open_case(chain)
    allowed = {(t.from_stage.code, t.to_stage.code): set(t.roles)
               for t in Transition.objects.select_related("from_stage", "to_stage")}
    for source, target in itertools.product(Stage.objects.all(), repeat=2):
        case = _at(case, source.code)
        before = (case.stage_id, case.version, StageChange.objects.count())
        rule = allowed.get((source.code, target.code))
        if rule is not None and role in rule:
            with transaction.atomic():
                services.change_stage(user=user, case=case, to_stage=target, reason="ok",
                                      version=case.version)
                case.refresh_from_db()
                assert case.stage_id == target.pk
                transaction.set_rollback(True)
            case.refresh_from_db()
        else:
            expected = PermissionDenied if rule is not None else ValidationError
            with pytest.raises(expected):
                services.change_stage(user=user, case=case, to_stage=target, reason="ok",
                                      version=case.version)
            case.refresh_from_db()
            assert (case.stage_id, case.version, StageChange.objects.count()) == before


def test_a_transition_needs_a_reason_and_the_current_version(chain):
    case = open_case(chain)
    target = Stage.objects.get(code="verrijking")
    with pytest.raises(ValidationError, match="reden"):
        services.change_stage(user=chain.coordinator, case=case, to_stage=target,
                              reason="  ", version=case.version)
    stale = case.version
    services.change_stage(user=chain.coordinator, case=case, to_stage=target, reason="ok",
                          version=stale)
    case.refresh_from_db()
    before = (case.stage_id, case.version, StageChange.objects.count())
    with pytest.raises(services.StaleVersion, match="intussen door iemand anders gewijzigd"):
        services.change_stage(user=chain.analist, case=case,
                              to_stage=Stage.objects.get(code="preweging"), reason="ok",
                              version=stale)
    case.refresh_from_db()
    assert (case.stage_id, case.version, StageChange.objects.count()) == before


def test_two_people_editing_one_case_in_the_browser(client, chain):
    """Both load the page (version n); the second to submit gets a clear refusal."""
    case = open_case(chain)
    first, second = chain.coordinator, member(Role.COORDINATOR, chain.gemeente)
    version = case.version
    client.force_login(first)
    ok = client.post(f"/casussen/{case.reference}/fase/", {
        "to_stage": Stage.objects.get(code="verrijking").pk, "reason": "eerst",
        "version": version})
    assert ok.status_code == 302
    client.force_login(second)
    stale = client.post(f"/casussen/{case.reference}/besluit/", {
        "kind": DecisionKind.objects.get(code="geen-actie").pk, "decided_on": "2025-04-01",
        "reason": "tweede", "version": version})
    assert stale.status_code == 409
    assert "intussen door iemand anders gewijzigd" in stale.content.decode()
    assert not case.decisions.exists()


def test_decisions_need_a_reason_a_chair_and_a_date_after_the_signals(chain):
    case = _at(open_case(chain), "weging")
    kind = DecisionKind.objects.get(code="lokale-aanpak")
    with pytest.raises(ValidationError, match="reden"):
        services.decide(user=chain.coordinator, case=case, kind=kind, reason="",
                        decided_on=dt.date(2025, 4, 1), version=case.version)
    with pytest.raises(PermissionDenied):
        services.decide(user=chain.analist, case=case, kind=kind, reason="x",
                        decided_on=dt.date(2025, 4, 1), version=case.version)
    with pytest.raises(ValidationError, match="vóór"):
        services.decide(user=chain.coordinator, case=case, kind=kind, reason="x",
                        decided_on=dt.date(2025, 3, 2), version=case.version)
    assert not case.decisions.exists()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database agrees
        Decision.objects.create(case=case, forum=case.forum, kind=kind, reason="",
                                decided_on=dt.date(2025, 4, 1), decided_by=chain.coordinator)
    decision = services.decide(user=chain.coordinator, case=case, kind=kind,
                               reason="Sluiten", decided_on=dt.date(2025, 4, 1),
                               version=case.version)
    case.refresh_from_db()
    assert case.stage.code == "aanpak" and case.decided_on == dt.date(2025, 4, 1)
    assert decision.decided_by == chain.coordinator


def test_a_decision_the_table_does_not_allow_from_this_stage_changes_nothing(chain):
    case = open_case(chain)  # intake: 'lokale aanpak' (to aanpak) is no transition
    with pytest.raises(ValidationError, match="niet toegestaan"):
        services.decide(user=chain.coordinator, case=case,
                        kind=DecisionKind.objects.get(code="lokale-aanpak"), reason="x",
                        decided_on=dt.date(2025, 4, 1), version=case.version)
    assert not case.decisions.exists()  # the decision row was rolled back with the move


def test_interventions_only_for_forum_organisations_and_reported_by_them(chain):
    case = _at(open_case(chain), "aanpak")
    closure = InterventionType.objects.get(code="sluiting-13b")
    with pytest.raises(ValidationError, match="neemt niet deel"):
        services.add_intervention(user=chain.coordinator, case=case,
                                  intervention_type=closure, organisation=chain.outsider,
                                  planned_on=dt.date(2025, 4, 2))
    with pytest.raises(ValidationError, match="vóór"):
        services.add_intervention(user=chain.coordinator, case=case,
                                  intervention_type=closure, organisation=chain.gemeente,
                                  planned_on=dt.date(2025, 2, 1))
    item = services.add_intervention(user=chain.coordinator, case=case,
                                     intervention_type=closure, organisation=chain.corporatie,
                                     planned_on=dt.date(2025, 4, 2), duration_months=3)
    with pytest.raises(PermissionDenied):
        services.report_intervention(user=chain.coordinator, intervention=item, version=1,
                                     status="lopend", started_on=dt.date(2025, 4, 3))
    with pytest.raises(ValidationError, match="bedrag"):
        services.report_intervention(user=chain.partner, intervention=item, version=1,
                                     status="lopend", amount_recovered=Decimal("10"))
    with pytest.raises(ValidationError, match="resultaat"):
        services.report_intervention(user=chain.partner, intervention=item, version=1,
                                     status="afgerond", started_on=dt.date(2025, 4, 3),
                                     ended_on=dt.date(2025, 7, 3))
    done = services.report_intervention(user=chain.partner, intervention=item, version=1,
                                        status="afgerond", started_on=dt.date(2025, 4, 3),
                                        ended_on=dt.date(2025, 7, 3), duration_months=3,
                                        hours_spent=Decimal("12"), result="Pand gesloten")
    assert done.version == 2 and done.status == "afgerond"
    with pytest.raises(services.StaleVersion):
        services.report_intervention(user=chain.partner, intervention=item, version=1,
                                     status="lopend")
    assert ProcessingLogEntry.objects.filter(object_type="cases.intervention").count() >= 2


def test_linked_signals_follow_the_case_with_their_own_history(chain):
    case = open_case(chain)
    assert {s.status for s in case.signals.all()} == {Status.IN_PROGRESS}
    for code in ("verrijking", "preweging", "weging"):
        case.refresh_from_db()
        services.change_stage(user=chain.coordinator, case=case,
                              to_stage=Stage.objects.get(code=code), reason="ok",
                              version=case.version)
    for signal in case.signals.all():
        assert signal.status == Status.WEIGHED
        steps = list(signal.history.values_list("to_status", "note"))
        assert (Status.WEIGHED, f"Casus {case.reference}: Weging") in steps


def test_stage_history_is_append_only_down_to_the_database(chain):
    case = open_case(chain)
    change = case.history.get()
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()
    for sql in ("UPDATE cases_stagechange SET reason = 'x' WHERE id = %s",
                "DELETE FROM cases_stagechange WHERE id = %s"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql, [change.pk])
    assert StageChange.objects.filter(pk=change.pk, reason=change.reason).exists()
    Case.objects.filter(pk=case.pk).update(is_synthetic=True)
    with connection.cursor() as cursor:  # synthetic demo cases may be replaced
        cursor.execute("DELETE FROM cases_stagechange WHERE id = %s", [change.pk])
    assert not StageChange.objects.filter(pk=change.pk).exists()


def test_preweigh_versions_stay_readable_after_freezing(client, chain):
    case = open_case(chain)
    client.force_login(chain.analist)
    page = client.get(f"/casussen/{case.reference}/preweegdocument/")
    assert chain.signals[0].reference in page.content.decode()  # drafted from the signals
    assert client.post(f"/casussen/{case.reference}/preweegdocument/",
                       {"content": "Versie een"}).status_code == 302
    assert client.post(f"/casussen/{case.reference}/preweegdocument/",
                       {"action": "freeze"}).status_code == 302
    assert client.post(f"/casussen/{case.reference}/preweegdocument/",
                       {"content": "Versie twee"}).status_code == 302
    versions = list(case.preweigh_versions.order_by("number"))
    assert [(v.number, v.content, v.frozen_at is not None) for v in versions] == [
        (1, "Versie een", True), (2, "Versie twee", False)]
    old = client.get(f"/casussen/{case.reference}/preweegdocument/1/")
    assert "Versie een" in old.content.decode()
    client.force_login(chain.medewerker)
    assert client.post(f"/casussen/{case.reference}/preweegdocument/",
                       {"content": "mag niet"}).status_code == 400
    assert case.preweigh_versions.count() == 2


def test_opening_a_case_refuses_dates_before_the_signals_and_unknown_forums(chain):
    with pytest.raises(ValidationError, match="laatste signaal"):
        open_case(chain, opened_on=dt.date(2025, 3, 2))
    outsider = member(Role.COORDINATOR, chain.outsider)
    with pytest.raises(PermissionDenied):
        services.open_case(user=outsider, signals=chain.signals, forum=chain.forum,
                           title="x")
    assert not Case.objects.exists()
    assert {s.status for s in chain.signals} == {Status.RECEIVED}
    assert not StatusChange.objects.filter(note__startswith="Casus").exists()


def test_a_case_is_owned_only_through_a_membership_cleared_for_its_signals(chain):
    """Someone who is an analist elsewhere (and so sees an RIEC-level signal there) and a
    medewerker of a forum organisation must not open that signal as a case owned by the
    forum organisation: the medewerker role there is not cleared for RIEC."""
    from knooppunt.cases.models import Case
    from knooppunt.organisations.models import Confidentiality, Membership

    from ..factories import SignalFactory

    person = member(Role.ANALIST, chain.outsider)
    Membership.objects.create(user=person, organisation=chain.gemeente, role=Role.MEDEWERKER)
    secret = SignalFactory(reporting_organisation=chain.outsider,
                           municipality=chain.signals[0].municipality,
                           confidentiality=Confidentiality.RIEC,
                           received_on=dt.date(2025, 3, 1))
    with pytest.raises(PermissionDenied):
        services.open_case(user=person, signals=[secret], forum=chain.forum,
                           title="Geheim", opened_on=dt.date(2025, 3, 5))
    assert not Case.objects.exists()
