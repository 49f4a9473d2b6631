"""The case access matrix: for generated worlds of organisations, roles, forums (members
and partners), cases and interventions, `scope.cases_for`, `scope.interventions_for` and
`scope.interventions_to_update_for` return exactly what the rules allow.

`scope.subjects_for` (persons are personal data) is checked in the same worlds. The oracle
restates the rules of `organisations.case_scope` without the ORM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.cases.models import CaseSubject
from knooppunt.organisations import scope
from knooppunt.organisations.models import Confidentiality, Role
from knooppunt.subjects.models import Subject, SubjectKind

from ..factories import MembershipFactory, OrganisationFactory, UserFactory
from .factories import CaseFactory, ForumFactory, InterventionFactory

pytestmark = pytest.mark.django_db

ROLES = list(Role.values)
LEVELS = list(Confidentiality.values)
CLEARANCE = {"medewerker": 2, "analist": 3, "coordinator": 3}


@dataclass(frozen=True)
class CaseWorld:
    n_orgs: int
    memberships: list[list[tuple[int, str]]]  # per user: (org, role)
    forums: list[tuple[frozenset[int], frozenset[int]]]  # members, partners
    cases: list[tuple[int, int, int]]  # forum, owner, level
    interventions: list[tuple[int, int]]  # case, assigned organisation
    subjects: list[tuple[int, int, int]] = ()  # case it is linked to, supplier, level


@st.composite
def case_worlds(draw) -> CaseWorld:
    n_orgs = draw(st.integers(1, 4))
    org = st.integers(0, n_orgs - 1)
    memberships = draw(st.lists(st.lists(st.tuples(org, st.sampled_from(ROLES)), min_size=1,
                                         max_size=2), min_size=1, max_size=4))
    forums = draw(st.lists(st.tuples(st.frozensets(org, max_size=3),
                                     st.frozensets(org, max_size=2)), min_size=1, max_size=2))
    forum = st.integers(0, len(forums) - 1)
    cases = draw(st.lists(st.tuples(forum, org, st.sampled_from(LEVELS)), min_size=1,
                          max_size=5))
    interventions = draw(st.lists(st.tuples(st.integers(0, len(cases) - 1), org),
                                  max_size=5))
    subjects = draw(st.lists(st.tuples(st.integers(0, len(cases) - 1), org,
                                       st.sampled_from(LEVELS)), max_size=4))
    return CaseWorld(n_orgs, memberships, forums, cases, interventions, subjects)


def case_visible(world: CaseWorld, user: int, case: int) -> bool:
    forum, owner, level = world.cases[case]
    members, _partners = world.forums[forum]
    for org, role in world.memberships[user]:
        clearance = CLEARANCE.get(role)
        if clearance is not None and level <= clearance and (org == owner or org in members):
            return True
    return False


def intervention_updatable(world: CaseWorld, user: int, index: int) -> bool:
    case, assigned = world.interventions[index]
    level = world.cases[case][2]
    return any(org == assigned and CLEARANCE.get(role, 0) >= level
               for org, role in world.memberships[user])


def subject_visible(world: CaseWorld, user: int, index: int) -> bool:
    """Supplied by the user's organisation, linked to a case the user sees, or what an
    intervention assigned to the user's organisation is about; never above clearance.
    (Each intervention is about the first subject of its case, if any.)"""
    case, supplier, level = world.subjects[index]
    first_of_case = next(i for i, s in enumerate(world.subjects) if s[0] == case)
    for org, role in world.memberships[user]:
        clearance = CLEARANCE.get(role)
        if clearance is None or level > clearance:
            continue
        if org == supplier or case_visible(world, user, case):
            return True
        if index == first_of_case and any(c == case and o == org
                                          for c, o in world.interventions):
            return True
    return False


def build(world: CaseWorld):
    orgs = [OrganisationFactory() for _ in range(world.n_orgs)]
    users = []
    for pairs in world.memberships:
        user = UserFactory()
        for org, role in set(pairs):
            MembershipFactory(user=user, organisation=orgs[org], role=role)
        users.append(user)
    forums = []
    for members, partners in world.forums:
        forum = ForumFactory(members=[orgs[i] for i in members])
        forum.partners.set([orgs[i] for i in partners])
        forums.append(forum)
    cases = [CaseFactory(forum=forums[f], owner=orgs[o], confidentiality=level)
             for f, o, level in world.cases]
    subjects = []
    for c, supplier, level in world.subjects:
        subject = Subject.objects.create(kind=SubjectKind.PERSON, name="P",
                                         supplied_by=orgs[supplier],
                                         supplied_on=dt.date(2025, 3, 1), confidentiality=level)
        CaseSubject.objects.create(case=cases[c], subject=subject, valid_from=dt.date(2025, 3, 1),
                                   supplied_by=orgs[supplier])
        subjects.append(subject)
    first = {}
    for (c, _o, _l), subject in zip(world.subjects, subjects, strict=True):
        first.setdefault(c, subject)
    interventions = [InterventionFactory(case=cases[c], organisation=orgs[o],
                                         subject=first.get(c))
                     for c, o in world.interventions]
    return users, cases, interventions, subjects


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=case_worlds())
def test_case_and_intervention_scope_match_the_rules(world: CaseWorld):
    with transaction.atomic():
        users, cases, interventions, subjects = build(world)
        for u, user in enumerate(users):
            expected_cases = {c.pk for i, c in enumerate(cases) if case_visible(world, u, i)}
            assert set(scope.cases_for(user).values_list("pk", flat=True)) == expected_cases
            updatable = {x.pk for i, x in enumerate(interventions)
                         if intervention_updatable(world, u, i)}
            visible = {x.pk for i, x in enumerate(interventions)
                       if case_visible(world, u, world.interventions[i][0])} | updatable
            assert set(scope.interventions_for(user).values_list("pk", flat=True)) == visible
            assert set(scope.interventions_to_update_for(user).values_list("pk", flat=True)) \
                == updatable
            expected_subjects = {x.pk for i, x in enumerate(subjects)
                                 if subject_visible(world, u, i)}
            assert set(scope.subjects_for(user).values_list("pk", flat=True)) \
                == expected_subjects
            for i, intervention in enumerate(interventions):
                if intervention.pk in visible:
                    assert scope.may_see_whole_case(user, intervention) == case_visible(
                        world, u, world.interventions[i][0])
        transaction.set_rollback(True)


def test_a_partner_sees_only_its_own_interventions_not_the_case():
    gemeente, corporatie, netbeheerder = (OrganisationFactory() for _ in range(3))
    forum = ForumFactory(members=[gemeente])
    forum.partners.set([corporatie, netbeheerder])
    case = CaseFactory(forum=forum, owner=gemeente)
    own = InterventionFactory(case=case, organisation=corporatie)
    other = InterventionFactory(case=case, organisation=netbeheerder)
    user = UserFactory()
    MembershipFactory(user=user, organisation=corporatie, role=Role.MEDEWERKER)
    assert not scope.cases_for(user).exists()
    assert list(scope.interventions_for(user)) == [own]
    assert other not in scope.interventions_to_update_for(user)
