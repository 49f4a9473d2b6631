"""The access layer's predicates as they were before the subquery rewrite: the oracle.

`scope.signals_for`, `cases_for`, `interventions_for` and `subjects_for` once wrote their
joins to other tables as correlated `EXISTS` subqueries. They now use `pk IN (uncorrelated
subquery)`, which SQLite builds once instead of probing per row. (`events_for` joins its
dataset and was not slow: it stays as it was.) `tests/test_scope_rewrite.py` checks, over
generated worlds, that both give every user the same ids; `benchmarks/scope_benchmark.py`
times both.
Kept here, outside `src`, so nothing in the application can call the old forms.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from knooppunt.organisations import scope
from knooppunt.organisations.case_scope import _personal_memberships


def _on_case_q(grant) -> Q:
    from knooppunt.cases.models import CaseSignal

    organisation_id = grant.organisation_id
    seat = CaseSignal.objects.filter(signal_id=OuterRef("pk")).filter(
        Q(case__owner_id=organisation_id)
        | Q(case__forum__members=organisation_id)
        | Q(case__interventions__organisation_id=organisation_id)
    )
    return Q(Exists(seat), municipality_id__in=grant.served_municipality_ids)


def _signal_q(grant) -> Q:
    from knooppunt.signals.models import Signal

    involved = Signal.involved_organisations.through.objects.filter(
        signal_id=OuterRef("pk"), organisation_id=grant.organisation_id
    )
    own = Q(reporting_organisation_id=grant.organisation_id) | Q(Exists(involved))
    shared = Q(pk__in=[])
    for parties, themes, source_types, max_level in grant.covenants:
        if not (themes and source_types):
            continue
        shared |= Q(
            reporting_organisation_id__in=parties,
            theme_id__in=themes,
            source_type_id__in=source_types,
            confidentiality__lte=max_level,
            municipality_id__in=grant.served_municipality_ids,
        )
    return Q(confidentiality__lte=grant.clearance) & (own | _on_case_q(grant) | shared)


def signals_for(user, queryset: QuerySet | None = None) -> QuerySet:
    from knooppunt.signals.models import Signal

    qs = Signal.objects.all() if queryset is None else queryset
    grants = scope.grants_for(user)
    if not grants:
        return qs.none()
    condition = Q(pk__in=[])
    for grant in grants:
        condition |= _signal_q(grant)
    return qs.filter(condition)


def _case_q(org_id: int, clearance: int, prefix: str = "") -> Q:
    from knooppunt.cases.models import Forum

    member = Forum.members.through.objects.filter(
        forum_id=OuterRef(f"{prefix}forum_id"), organisation_id=org_id
    )
    return Q(**{f"{prefix}confidentiality__lte": clearance}) & (
        Q(**{f"{prefix}owner_id": org_id}) | Q(Exists(member))
    )


def cases_for(user, queryset: QuerySet | None = None) -> QuerySet:
    from knooppunt.cases.models import Case

    qs = Case.objects.all() if queryset is None else queryset
    grants = _personal_memberships(user)
    if not grants:
        return qs.none()
    condition = Q(pk__in=[])
    for org_id, clearance, _role in grants:
        condition |= _case_q(org_id, clearance)
    return qs.filter(condition)


def interventions_for(user, queryset: QuerySet | None = None) -> QuerySet:
    from knooppunt.cases.models import Intervention

    qs = Intervention.objects.all() if queryset is None else queryset
    grants = _personal_memberships(user)
    if not grants:
        return qs.none()
    condition = Q(pk__in=[])
    for org_id, clearance, _role in grants:
        condition |= _case_q(org_id, clearance, "case__")
        condition |= Q(organisation_id=org_id, case__confidentiality__lte=clearance)
    return qs.filter(condition)


def subjects_for(user, queryset: QuerySet | None = None) -> QuerySet:
    from knooppunt.cases.models import Case, Intervention
    from knooppunt.subjects.models import Subject

    qs = Subject.objects.all() if queryset is None else queryset
    grants = _personal_memberships(user)
    if not grants:
        return qs.none()
    visible_cases = cases_for(user, Case.objects.all()).values("pk")
    condition = Q(pk__in=[])
    for org_id, clearance, _role in grants:
        assigned = Intervention.objects.filter(subject_id=OuterRef("pk"), organisation_id=org_id)
        condition |= Q(confidentiality__lte=clearance) & (
            Q(supplied_by_id=org_id) | Q(case_links__case__in=visible_cases)
            | Q(Exists(assigned))
        )
    return qs.filter(condition).distinct()
