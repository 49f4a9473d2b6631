"""Quick-strike cases must be decided within 3 months: overdue ones stand out on the
overview page, in the case list and in the daily digest (printed and mailed)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.cases import deadlines, services
from knooppunt.cases.models import DecisionKind, ForumKind

from ..factories import SignalFactory
from .factories import ForumFactory

pytestmark = pytest.mark.django_db


@given(day=st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)), months=st.integers(0, 36))
def test_add_months_stays_in_the_target_month(day, months):
    result = deadlines.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or result.day < day.day  # clipped at month end only
    assert deadlines.add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


def _pob_case(chain, opened_on):
    pob = ForumFactory(kind=ForumKind.objects.get(code="pob"), name="POB test",
                       members=[chain.gemeente, chain.politie])
    signal = SignalFactory(reporting_organisation=chain.gemeente, received_on=opened_on,
                           theme=chain.signals[0].theme)
    return services.open_case(user=chain.coordinator, signals=[signal], forum=pob,
                              title="Onverklaarbaar bezit", opened_on=opened_on)


def test_a_quick_strike_case_turns_overdue_after_three_months(client, chain):
    from django.utils import timezone

    today = timezone.localdate()
    opened = deadlines.add_months(today, -3) - dt.timedelta(days=1)
    case = _pob_case(chain, opened)
    assert case.decision_due_on == deadlines.add_months(opened, 3) < today
    assert case.is_overdue(today) and not case.is_overdue(case.decision_due_on)
    client.force_login(chain.coordinator)
    home = client.get("/").content.decode()
    assert "Beslistermijn verlopen" in home and case.reference in home
    listing = client.get("/casussen/", {"termijn": "verlopen"}).content.decode()
    assert case.reference in listing
    out = io.StringIO()
    chain.coordinator.email = "coordinator@example.invalid"
    chain.coordinator.save()
    call_command("case_digest", "--send", stdout=out)
    assert case.reference in out.getvalue()
    assert len(mail.outbox) == 1 and case.reference in mail.outbox[0].body
    exports = ProcessingLogEntry.objects.filter(action="export", object_type="cases.case")
    assert any(str(case.pk) in entry.object_ids for entry in exports)
    # a decision stops the clock
    services.change_stage(user=chain.coordinator, case=case,
                          to_stage=case.stage.exits.get(to_stage__code="verrijking").to_stage,
                          reason="verrijken", version=case.version)
    case.refresh_from_db()
    services.decide(user=chain.coordinator, case=case,
                    kind=DecisionKind.objects.get(code="geen-actie"), reason="niets gevonden",
                    decided_on=today, version=case.version)
    case.refresh_from_db()
    assert not case.is_overdue(today)
    out = io.StringIO()
    call_command("case_digest", stdout=out)
    assert case.reference not in out.getvalue()


def test_digest_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        call_command("case_digest", "--date", "25-11-2026")


def test_a_newly_overdue_case_is_findable_behind_many_older_ones(client, chain):
    from django.utils import timezone

    from .factories import CaseFactory

    today = timezone.localdate()
    pob = ForumFactory(kind=ForumKind.objects.get(code="pob"), name="POB oud",
                       members=[chain.gemeente])
    old = [CaseFactory(owner=chain.gemeente, forum=pob, opened_on=dt.date(2024, 1, 1) + dt.
                       timedelta(days=n), decision_due_on=dt.date(2024, 4, 1)
                       + dt.timedelta(days=n)) for n in range(12)]
    new = _pob_case(chain, deadlines.add_months(today, -3) - dt.timedelta(days=1))
    client.force_login(chain.coordinator)
    home = client.get("/").content.decode()
    assert new.reference in home
    assert sum(c.reference in home for c in old) == 9  # ten shown, newest first
    assert "Alle 13 casussen over de termijn, nieuwste eerst" in home
    listing = client.get("/casussen/", {"termijn": "verlopen"}).content.decode()
    positions = [listing.index(c.reference) for c in [new, *reversed(old)]
                 if c.reference in listing]
    assert positions == sorted(positions) and listing.index(new.reference) == positions[0]
