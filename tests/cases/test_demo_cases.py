"""The demo gets forums, meetings, cases, decisions and interventions that hang together
and can be rebuilt. Rebuilding after people made cases: test_demo_rebuild.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Count, Min

from knooppunt.cases.models import Case, Decision, Intervention, Meeting, StageChange
from knooppunt.demo.builder import build_demo
from knooppunt.subjects.models import Subject, SubjectKind

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


def _counts():
    return (Case.objects.count(), Decision.objects.count(), Intervention.objects.count(),
            Meeting.objects.count(), StageChange.objects.count())


def test_demo_cases_are_consistent_and_rebuildable():
    result = build_demo("VR05", scale=0.3, years=1.5, today=TODAY)
    summary = result.cases
    assert summary.cases > 50 and summary.decisions > 30 and summary.interventions > 30
    assert summary.overdue >= 1 and summary.recovered > 0
    for case in Case.objects.prefetch_related("history", "signals", "decisions"):
        signal_day = min(s.received_on for s in case.signals.all())
        assert case.opened_on >= signal_day
        assert all(d.decided_on >= case.opened_on for d in case.decisions.all())
        moments = [h.changed_at for h in case.history.all()]
        assert moments == sorted(moments)
        assert case.history.first().to_stage.code == "intake"
    assert not Decision.objects.filter(reason="").exists()
    assert Meeting.objects.annotate(n=Count("items")).filter(n=0).count() == 0
    # Each municipality's decisions are taken by a person of that municipality, who chaired
    # the meeting and was present for the gemeente.
    deciders = set()
    for decision in Decision.objects.select_related("case__owner", "meeting"):
        organisations = set(decision.decided_by.memberships.values_list("organisation_id",
                                                                         flat=True))
        assert decision.case.owner_id in organisations
        assert decision.meeting.chair_id == decision.decided_by_id
        assert decision.meeting.attendance.filter(person=decision.decided_by,
                                                  organisation=decision.case.owner).exists()
        deciders.add(decision.decided_by_id)
    municipalities = Case.objects.filter(decisions__isnull=False).values("municipality")
    assert len(deciders) == municipalities.distinct().count() > 1
    subjects = Subject.objects.filter(case_links__case__is_synthetic=True)
    for kind in (SubjectKind.PERSON, SubjectKind.COMPANY):
        made_up = subjects.filter(kind=kind)
        assert made_up.exists(), kind
        assert not made_up.exclude(is_synthetic=True).exists()
        assert not made_up.exclude(name__endswith="(fictief)").exists()
    first = Intervention.objects.aggregate(first=Min("planned_on"))["first"]
    assert first is not None
    before = _counts()
    build_demo("VR05", scale=0.3, years=1.5, today=TODAY)
    assert _counts() == before
