"""The write matrix: what a user may *do*, for generated worlds and every combination of
role, kind of organisation, source type and level, against an oracle written here.

The oracle restates the rules of `organisations.permissions` (decision 0027) without
calling it: its own table of which kinds register which sources, its own ceilings. If the
module or the oracle drifts, a test fails. The write paths themselves (services, pages,
API) are driven too, so a rule that exists but is not asked fails as well.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.organisations import permissions
from knooppunt.organisations.models import Confidentiality, OrganisationKind, Role
from knooppunt.organisations.permissions import Action
from knooppunt.signals import services
from knooppunt.signals.models import Status
from knooppunt.taxonomy.models import SourceType, Theme

from .factories import (
    CovenantFactory,
    MembershipFactory,
    OrganisationFactory,
    SignalFactory,
    UserFactory,
    member,
    municipality,
)
from .test_scope_matrix import MUNICIPALITIES, SOURCES, THEMES, WorldSpec, oracle, worlds

pytestmark = pytest.mark.django_db

ROLES = list(Role.values)
KINDS = list(OrganisationKind.values)
LEVELS = list(Confidentiality.values)
CLEARANCE = {"medewerker": 2, "analist": 3, "coordinator": 3}
MAY_REGISTER_ROLES = {"medewerker", "analist", "coordinator"}

# The oracle's own table (not imported): government registers every source, a partner
# only what it finds itself.
GOV = {"gemeente", "politie", "om", "riec", "belastingdienst"}
PARTNERS = {"netbeheerder", "woningcorporatie", "waterbedrijf", "zorg", "overig"}
PARTNER_OWN = {
    "netbeheerder": {"netbeheerder"},
    "woningcorporatie": {"woningcorporatie", "bewoner"},
    "waterbedrijf": {"waterbedrijf"},
    "zorg": {"overig"},
    "overig": {"overig"},
}
SOURCE_CODES = ["politie", "netbeheerder", "woningcorporatie", "waterbedrijf", "mma",
                "bewoner", "gemeente", "belastingdienst", "om", "riec", "overig"]
CEILING = {**{k: 3 for k in GOV}, **{k: 2 for k in PARTNERS}}


def oracle_register(kind: str, role: str, source: str, level: int) -> bool:
    registers = kind in GOV or source in PARTNER_OWN[kind]
    return (role in MAY_REGISTER_ROLES and registers
            and level <= min(CLEARANCE[role], CEILING[kind]))


# ---------------------------------------------------------------- registering


def test_every_kind_role_source_and_level_against_the_oracle():
    """10 kinds x 5 roles x 11 sources x 3 levels = 1,650 combinations, all decided."""
    sources = {s.code: s for s in SourceType.objects.all()}
    assert set(sources) == set(SOURCE_CODES), "a new source type needs a look at the oracle"
    orgs = {kind: OrganisationFactory(kind=kind) for kind in KINDS}
    users = {(kind, role): member(role, orgs[kind]) for kind in KINDS for role in ROLES}
    checked = 0
    for (kind, role), user in users.items():
        for code, level in itertools.product(SOURCE_CODES, LEVELS):
            expected = oracle_register(kind, role, code, level)
            got = permissions.may(user, Action.SIGNAL_CREATE, organisation=orgs[kind],
                                  source_type=sources[code], confidentiality=level)
            assert got == expected, (kind, role, code, level)
            checked += 1
    assert checked == 1650


def _create(user, organisation, source, level, theme="hennepteelt"):
    location = services.Location(municipality("GM0153"), None, None, None, None)
    return services.create_signal(
        user=user, reporting_organisation=organisation, theme=Theme.objects.get(code=theme),
        source_type=SourceType.objects.get(code=source), received_on=dt.date(2025, 3, 1),
        location=location, description="x", confidentiality=level)


@pytest.mark.parametrize("kind", KINDS)
def test_the_registration_service_refuses_what_the_oracle_refuses(kind):
    organisation = OrganisationFactory(kind=kind)
    user = member(Role.ANALIST, organisation)  # clearance RIEC: only the kind limits
    for code, level in itertools.product(SOURCE_CODES, LEVELS):
        allowed = oracle_register(kind, "analist", code, level)
        with transaction.atomic():
            if allowed:
                assert _create(user, organisation, code, level).pk
            else:
                with pytest.raises((ValidationError, PermissionDenied)):
                    _create(user, organisation, code, level)
            transaction.set_rollback(True)


# ---------------------------------------------------------------- changing signals


@st.composite
def action_worlds(draw):
    spec = draw(worlds())
    # One wide covenant (every party and theme, up to RIEC, some sources) so that reading
    # another organisation's signal without the right to change it happens often.
    wide = (frozenset(range(len(spec.orgs))), frozenset({0, 1, 2}), 3, True,
            draw(st.frozensets(st.integers(0, 2), min_size=1, max_size=3)))
    spec = WorldSpec(spec.orgs, spec.memberships, [*spec.covenants, wide], spec.signals)
    kinds = draw(st.lists(st.sampled_from(["gemeente", "politie", "netbeheerder",
                                           "woningcorporatie"]),
                          min_size=len(spec.orgs), max_size=len(spec.orgs)))
    return spec, kinds


def _build(spec: WorldSpec, kinds: list[str]):
    """The world of `test_scope_matrix.build`, with a kind per organisation."""
    municipalities = [municipality(code) for code in MUNICIPALITIES]
    themes = [Theme.objects.get(code=code) for code in THEMES]
    sources = [SourceType.objects.get(code=code) for code in SOURCES]
    orgs = [OrganisationFactory(kind=kinds[i], municipalities=[municipalities[m]
                                                               for m in served])
            for i, served in enumerate(spec.orgs)]
    users = []
    for pairs in spec.memberships:
        user = UserFactory()
        for org, role in set(pairs):
            MembershipFactory(user=user, organisation=orgs[org], role=role)
        users.append(user)
    for parties, theme_idx, level, valid, source_idx in spec.covenants:
        CovenantFactory(parties=[orgs[i] for i in parties],
                        themes=[themes[i] for i in theme_idx],
                        source_types=[sources[i] for i in source_idx],
                        max_confidentiality=level,
                        valid_until=None if valid else dt.date.today() - dt.timedelta(days=1))
    signals = []
    for reporter, involved, theme, muni, level, source in spec.signals:
        signal = SignalFactory(reporting_organisation=orgs[reporter], theme=themes[theme],
                               source_type=sources[source],
                               municipality=municipalities[muni], confidentiality=level)
        signal.involved_organisations.set([orgs[i] for i in involved])
        signals.append(signal)
    return users, signals


def oracle_change(spec: WorldSpec, kinds: list[str], u: int, i: int) -> bool:
    """Readable, and an own record (reported or involved) or the gemeente's own territory."""
    if not oracle(spec, u, i):
        return False
    reporter, involved, _theme, muni, level, _source = spec.signals[i]
    return any(
        role in MAY_REGISTER_ROLES and level <= CLEARANCE[role]
        and (org == reporter or org in involved
             or (kinds[org] == "gemeente" and muni in spec.orgs[org]))
        for org, role in spec.memberships[u])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=action_worlds())
def test_changing_a_signal_matches_the_oracle_for_every_user_and_signal(world):
    spec, kinds = world
    with transaction.atomic():
        users, signals = _build(spec, kinds)
        for (u, user), (i, signal) in itertools.product(enumerate(users), enumerate(signals)):
            expected = oracle_change(spec, kinds, u, i)
            for action in (Action.SIGNAL_CHANGE_STATUS, Action.SIGNAL_CORRECT_ADDRESS,
                           Action.SIGNAL_RELATE):
                assert permissions.may(user, action, signal) == expected, (u, i, action)
            # The service underneath the page and the API asks the same rule.
            with transaction.atomic():
                if expected:
                    services.change_status(user=user, signal=signal,
                                           to_status=Status.IN_PROGRESS, note="matrix")
                else:
                    with pytest.raises(PermissionDenied):
                        services.change_status(user=user, signal=signal,
                                               to_status=Status.IN_PROGRESS, note="matrix")
                transaction.set_rollback(True)
        changeable = set(permissions.changeable_signals(users[0]).values_list("pk", flat=True))
        assert changeable == {s.pk for i, s in enumerate(signals)
                              if oracle_change(spec, kinds, 0, i)}
        transaction.set_rollback(True)


# ---------------------------------------------------------------- cases

CASE_ACTIONS = [Action.CASE_MOVE, Action.CASE_DECIDE, Action.CASE_ASSIGN_INTERVENTION,
                Action.CASE_LINK_SIGNALS, Action.CASE_EDIT_PREWEIGH, Action.CASE_ADD_SUBJECT,
                Action.MEETING_CHAIR, Action.INTERVENTION_REPORT]
SEATS = ["owner", "member", "partner_assigned", "partner", "outsider"]


def oracle_case(action: str, seat: str, role: str, level: int) -> bool:
    """Seat at the table (owner or forum member) with clearance; coordinators decide and
    chair; editors (analist, coordinator) assign and write; the assigned organisation
    reports on its intervention."""
    cleared = role in CLEARANCE and level <= CLEARANCE[role]
    at_table = seat in ("owner", "member") and cleared
    if action == Action.INTERVENTION_REPORT:
        return seat == "partner_assigned" and cleared
    if action == Action.MEETING_CHAIR:
        return seat in ("owner", "member") and role == "coordinator"
    if action == Action.CASE_DECIDE:
        return at_table and role == "coordinator"
    if action in (Action.CASE_ASSIGN_INTERVENTION, Action.CASE_EDIT_PREWEIGH):
        return at_table and role in ("analist", "coordinator")
    return at_table


@pytest.mark.parametrize("level", LEVELS)
def test_case_actions_for_every_seat_and_role_against_the_oracle(level):
    from .cases.factories import CaseFactory, ForumFactory, InterventionFactory

    orgs = {seat: OrganisationFactory() for seat in SEATS}
    forum = ForumFactory(members=[orgs["owner"], orgs["member"]])
    forum.partners.set([orgs["partner_assigned"], orgs["partner"]])
    case = CaseFactory(forum=forum, owner=orgs["owner"], confidentiality=level)
    intervention = InterventionFactory(case=case, organisation=orgs["partner_assigned"])
    for seat, role in itertools.product(SEATS, ROLES):
        user = member(role, orgs[seat])
        for action in CASE_ACTIONS:
            obj = {Action.MEETING_CHAIR: forum,
                   Action.INTERVENTION_REPORT: intervention}.get(action, case)
            assert permissions.may(user, action, obj) == oracle_case(
                action, seat, role, level), (seat, role, action, level)


# ---------------------------------------------------------------- alerts


def _alert(level: str, code: str):
    from knooppunt.monitoring.models import Alert, Indicator

    indicator = Indicator.objects.filter(theme__isnull=False).first() or \
        Indicator.objects.first()
    return Alert.objects.create(
        indicator=indicator, area_level=level, area_code=code, period_type="maand",
        period_start=dt.date(2025, 1, 1), method="poisson", observed=20, expected=5,
        statistic=0.0001, threshold=0.01, history_periods=12, reason="Twintig, niet vijf.")


def test_reviewing_alerts_for_every_role_and_area_against_the_oracle():
    from knooppunt.geo.models import District, Municipality

    twente = list(Municipality.objects.filter(safety_region__code="VR05"))
    enschede, almelo = municipality("GM0153"), municipality("GM0141")
    served = {"enschede": [enschede], "almelo": [almelo], "twente": twente}
    orgs = {name: OrganisationFactory(kind=OrganisationKind.GEMEENTE if name != "twente"
                                      else OrganisationKind.RIEC, municipalities=munis)
            for name, munis in served.items()}
    wijk = District.objects.filter(municipality=enschede).first()
    areas = {"gemeente": ("gemeente", "GM0153", {enschede.code}),
             "wijk": ("wijk", wijk.code, {enschede.code}),
             "regio": ("veiligheidsregio", "VR05", {m.code for m in twente})}
    alerts = {name: _alert(level, code) for name, (level, code, _m) in areas.items()}
    for (org_name, org), role in itertools.product(orgs.items(), ROLES):
        user = member(role, org)
        codes = {m.code for m in served[org_name]}
        for name, alert in alerts.items():
            expected = role in ("analist", "coordinator") and areas[name][2] <= codes
            assert permissions.may(user, Action.ALERT_REVIEW, alert) == expected, (
                org_name, role, name)
