"""Who may see and change cases, interventions, subjects and meetings.

`scope` re-exports these functions; views and the API call them through `scope`.

Rules (per membership with organisation O and a role that sees personal data, clearance C;
bestuurders and beheerders see no cases, only the aggregates of the follow-up figures):

* a case is visible when its confidentiality is at most C and O owns it (regievoerder) or
  O is a member of the case's forum (sits at the table). A forum's *partners* (e.g. a
  housing corporation or grid operator that carries out measures) are not members: they
  see only the interventions assigned to them. Reporting a linked signal is not enough
  either: the reporter sees its signal's status change, not the case file;
* an intervention is visible when its case is visible, or when it is assigned to O and its
  case's confidentiality is at most C: a partner sees its own interventions with the minimal
  case header, nothing else of the case;
* an intervention can be updated only by members of the organisation it is assigned to;
* a subject is visible when its confidentiality is at most C and O supplied it, or it is
  linked to a visible case, or it is what an intervention assigned to O is about;
* meetings are visible to member organisations of their forum.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from . import scope as _base


def _personal_memberships(user) -> list[tuple[int, int, str]]:
    """(organisation id, clearance, role) for every membership that sees personal data."""
    return [
        (m.organisation_id, _base.CLEARANCE[m.role], m.role)
        for m in _base._memberships(user) if m.role in _base.CLEARANCE
    ]


def _case_q(org_id: int, clearance: int, prefix: str = "") -> Q:
    from knooppunt.cases.models import Forum

    # The forums O sits in, as an uncorrelated subquery (`forum_id IN (...)`): built once
    # by the database, where a correlated EXISTS would be probed per case row. Same rows:
    # `forum_id` is never NULL.
    member_forums = Forum.members.through.objects.filter(
        organisation_id=org_id).values("forum_id")
    return Q(**{f"{prefix}confidentiality__lte": clearance}) & (
        Q(**{f"{prefix}owner_id": org_id}) | Q(**{f"{prefix}forum_id__in": member_forums})
    )


def cases_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The cases `user` may open."""
    from knooppunt.cases.models import Case

    qs = Case.objects.all() if queryset is None else queryset
    grants = _personal_memberships(user)
    if not grants:
        return qs.none()
    condition = Q(pk__in=[])
    for org_id, clearance, _role in grants:
        condition |= _case_q(org_id, clearance)
    return qs.filter(condition)


def cases_of_signal(user, signal) -> QuerySet:
    """The cases `signal` belongs to that `user` may open (for the signal page and API)."""
    return (cases_for(user).filter(signal_links__signal=signal)
            .select_related("stage", "forum").order_by("opened_on", "pk"))


def interventions_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Interventions of visible cases plus those assigned to the user's organisations."""
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


def interventions_to_update_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Interventions the user may report on: assigned to one of their organisations."""
    from knooppunt.cases.models import Intervention

    qs = Intervention.objects.all() if queryset is None else queryset
    grants = _personal_memberships(user)
    if not grants:
        return qs.none()
    condition = Q(pk__in=[])
    for org_id, clearance, _role in grants:
        condition |= Q(organisation_id=org_id, case__confidentiality__lte=clearance)
    return qs.filter(condition)


def may_see_whole_case(user, intervention) -> bool:
    """False when the user sees the intervention only because it is assigned to them."""
    return cases_for(user).filter(pk=intervention.case_id).exists()


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
        # Not NULL: `pk IN (..., NULL)` would be unknown instead of false for the others.
        assigned = Intervention.objects.filter(
            organisation_id=org_id, subject_id__isnull=False).values("subject_id")
        condition |= Q(confidentiality__lte=clearance) & (
            Q(supplied_by_id=org_id) | Q(case_links__case__in=visible_cases)
            | Q(pk__in=assigned)
        )
    return qs.filter(condition).distinct()


def forums_for(user) -> QuerySet:
    """Forums the user's organisations take part in (roles that see personal data)."""
    from knooppunt.cases.models import Forum

    org_ids = [org_id for org_id, _c, _r in _personal_memberships(user)]
    return Forum.objects.filter(members__in=org_ids, active=True).distinct()


def meetings_for(user) -> QuerySet:
    from knooppunt.cases.models import Meeting

    return Meeting.objects.filter(forum__in=forums_for(user))


def roles_for_case(user, case) -> set[str]:
    """The roles with which the user acts in this case's forum (owner or member, cleared)."""
    from knooppunt.cases.models import Forum

    member_ids = set(
        Forum.members.through.objects.filter(forum_id=case.forum_id)
        .values_list("organisation_id", flat=True)
    )
    return {
        role for org_id, clearance, role in _personal_memberships(user)
        if clearance >= case.confidentiality and (org_id == case.owner_id or org_id in member_ids)
    }
