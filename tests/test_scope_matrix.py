"""The access matrix: for generated worlds of organisations, roles, covenants and signals,
`scope.signals_for` returns exactly what the rules allow — no more, no less.

The oracle below restates the rules from the module docstring independently of the
queryset code; if either drifts, the test fails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.organisations import scope
from knooppunt.organisations.models import Confidentiality, Role
from knooppunt.taxonomy.models import SourceType, Theme

from .factories import (
    CovenantFactory,
    MembershipFactory,
    OrganisationFactory,
    SignalFactory,
    UserFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

MUNICIPALITIES = ["GM0153", "GM0164", "GM0363"]  # Enschede, Hengelo, Amsterdam
THEMES = ["hennepteelt", "drugsdump", "mensenhandel"]
SOURCES = ["politie", "mma", "netbeheerder"]
ROLES = list(Role.values)
LEVELS = list(Confidentiality.values)
TODAY = dt.date.today()


@dataclass(frozen=True)
class WorldSpec:
    orgs: list[frozenset[int]]  # served municipality indexes per organisation
    memberships: list[list[tuple[int, str]]]  # per user: (org index, role)
    # per covenant: parties, themes, max level, valid today, source types it names
    covenants: list[tuple[frozenset[int], frozenset[int], int, bool, frozenset[int]]]
    # per signal: reporter, involved organisations, theme, municipality, level, source
    signals: list[tuple[int, frozenset[int], int, int, int, int]]


@st.composite
def worlds(draw) -> WorldSpec:
    n_orgs = draw(st.integers(1, 4))
    org_idx = st.integers(0, n_orgs - 1)
    orgs = [draw(st.frozensets(st.integers(0, 2), max_size=3)) for _ in range(n_orgs)]
    memberships = draw(
        st.lists(
            st.lists(st.tuples(org_idx, st.sampled_from(ROLES)), min_size=1, max_size=2),
            min_size=1,
            max_size=4,
        )
    )
    covenants = draw(
        st.lists(
            st.tuples(
                st.frozensets(org_idx, min_size=1, max_size=n_orgs),
                st.frozensets(st.integers(0, 2), min_size=1, max_size=3),
                st.sampled_from(LEVELS),
                st.booleans(),
                st.frozensets(st.integers(0, 2), max_size=3),
            ),
            max_size=3,
        )
    )
    signals = draw(
        st.lists(
            st.tuples(
                org_idx,
                st.frozensets(org_idx, max_size=2),
                st.integers(0, 2),
                st.integers(0, 2),
                st.sampled_from(LEVELS),
                st.integers(0, 2),
            ),
            min_size=1,
            max_size=8,
        )
    )
    return WorldSpec(orgs, memberships, covenants, signals)


CLEARANCE = {"medewerker": 2, "analist": 3, "coordinator": 3}


def oracle(spec: WorldSpec, user_index: int, signal_index: int) -> bool:
    """The rules, restated without the ORM."""
    reporter, involved, theme, muni, level, source = spec.signals[signal_index]
    for org, role in spec.memberships[user_index]:
        clearance = CLEARANCE.get(role)
        if clearance is None or level > clearance:
            continue
        if org == reporter or org in involved:
            return True
        for parties, themes, max_level, valid, sources in spec.covenants:
            if (
                valid
                and org in parties
                and reporter in parties
                and theme in themes
                and source in sources
                and level <= max_level
                and muni in spec.orgs[org]
            ):
                return True
    return False


def build(spec: WorldSpec):
    municipalities = [municipality(code) for code in MUNICIPALITIES]
    themes = [Theme.objects.get(code=code) for code in THEMES]
    sources = [SourceType.objects.get(code=code) for code in SOURCES]
    orgs = [
        OrganisationFactory(municipalities=[municipalities[i] for i in served])
        for served in spec.orgs
    ]
    users = []
    for pairs in spec.memberships:
        user = UserFactory()
        for org, role in set(pairs):
            MembershipFactory(user=user, organisation=orgs[org], role=role)
        users.append(user)
    for parties, theme_idx, level, valid, source_idx in spec.covenants:
        CovenantFactory(
            parties=[orgs[i] for i in parties],
            themes=[themes[i] for i in theme_idx],
            source_types=[sources[i] for i in source_idx],
            max_confidentiality=level,
            valid_from=dt.date(2020, 1, 1),
            valid_until=None if valid else TODAY - dt.timedelta(days=1),
        )
    signals = []
    for reporter, involved, theme, muni, level, source in spec.signals:
        signal = SignalFactory(
            reporting_organisation=orgs[reporter],
            theme=themes[theme],
            source_type=sources[source],
            municipality=municipalities[muni],
            confidentiality=level,
        )
        signal.involved_organisations.set([orgs[i] for i in involved])
        signals.append(signal)
    return users, signals


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=worlds())
def test_scope_matches_rules_for_every_user_and_signal(spec: WorldSpec):
    with transaction.atomic():
        users, signals = build(spec)
        for u, user in enumerate(users):
            visible = set(scope.signals_for(user).values_list("pk", flat=True))
            expected = {s.pk for i, s in enumerate(signals) if oracle(spec, u, i)}
            assert visible == expected, (u, spec)
            for signal in signals:
                assert scope.can_view_signal(user, signal) == (signal.pk in expected)
        transaction.set_rollback(True)


def test_anonymous_and_inactive_users_see_nothing(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    signal = SignalFactory()
    user = UserFactory(is_active=False)
    MembershipFactory(user=user, organisation=signal.reporting_organisation, role=Role.ANALIST)
    assert not scope.signals_for(AnonymousUser()).exists()
    assert not scope.signals_for(user).exists()


def test_superuser_without_membership_sees_no_signals():
    SignalFactory()
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert not scope.signals_for(admin).exists()


def test_small_aggregate_counts_are_suppressed_for_every_role(settings):
    settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD = 5
    org = OrganisationFactory(municipalities=[municipality()])
    mayor = UserFactory()
    MembershipFactory(user=mayor, organisation=org, role=Role.BESTUURDER)
    # A bestuurder who is also a case worker elsewhere is still suppressed here.
    MembershipFactory(user=mayor, organisation=OrganisationFactory(), role=Role.MEDEWERKER)
    analyst = UserFactory()
    MembershipFactory(user=analyst, organisation=org, role=Role.ANALIST)
    for user in (mayor, analyst):
        assert scope.suppress_small(user, 4) is None
        assert scope.suppress_small(user, 5) == 5
        assert scope.suppress_small(user, 0) == 0


@settings(max_examples=300, deadline=None)
@given(counts=st.lists(st.integers(0, 30), min_size=1, max_size=8))
def test_no_hidden_cell_can_be_derived_from_the_total(counts):
    from django.conf import settings as django_settings

    threshold = django_settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD
    shown = scope.suppress_breakdown(None, counts)
    hidden = [c for c, s in zip(counts, shown, strict=True) if s is None]
    # Every small non-zero cell is hidden; shown cells are exact.
    for count, value in zip(counts, shown, strict=True):
        if 0 < count < threshold:
            assert value is None
        if value is not None:
            assert value == count
    if hidden:
        # total - shown = sum(hidden): one hidden cell alone, or a small hidden sum, would leak.
        assert len(hidden) >= 2 or len(hidden) == len([c for c in counts if c])
        assert sum(hidden) >= threshold or len(hidden) == len([c for c in counts if c])
