"""The one place that decides what a user may *do*; `scope` decides what they may read.

Every write path asks `may(user, action, obj, **context)` (or `require`, which raises
`PermissionDenied`): web views (which also hide a button or form the user may not use),
API views and viewsets, the admin and the services underneath them. Each write view
declares its actions (`guards`, or `write_actions` on API classes) and a test walks the
URL resolver and fails for a write path without a rule here (decision 0027).

The rules, per membership (organisation O of kind K, role R, clearance C from `scope`):

* **register a signal** (`signal.create`, also every row of a delivery): R is medewerker,
  analist or coordinator; the source type is one that K may register (government bodies
  any source; a partner only its own, `PARTNER_SOURCES` — never "Meld Misdaad Anoniem"
  or a police notice); the confidentiality is at most C and at most K's ceiling
  (`KIND_CEILING`: partners up to *vertrouwelijk*, never *RIEC*).
* **change a signal** (status, address correction, merge/unlink with another signal):
  the signal is readable (`scope.signals_for`), its confidentiality is at most C, R may
  register, and O reported it or is recorded as involved, or O is the gemeente of the
  signal's municipality (the municipality directs what happens in its territory).
  Partners change only their own records.
* **cases** (open, move, decide, assign and report interventions, link signals, add
  subjects, preweegdocument, meetings): the forum rules of `case_scope` — a seat at the
  table, editors (analist, coordinator) assign and write, coordinators decide and chair,
  only the assigned organisation reports on an intervention.
* **deliver** a file for a profile: `signal.create` for the profile's source type and
  default confidentiality, and the profile is for K (or for every kind); a profile of
  police incidents only for the organisation that holds its dataset (decision 0037).
* **see delivery error values**: the person who delivered, or a colleague of that
  organisation cleared up to RIEC.
* **make / schedule reports**: `reports.access` (role and figure scope); scheduling is
  for coordinators.
* **review an alert**: coordinator or analist of an organisation that serves every
  municipality of the alert's area. Reading an alert is not enough.
* **record a visit at a vulnerable place** (`place.visit`): coordinator or analist of a
  gemeente that serves the place's municipality (`place_scope`).
* **reveal a name behind a pseudonym** (`entity.reveal`): analist or coordinator of an
  organisation that reads entities, who may see the entity; an analist only for a case
  they work on, with a reason (`entities.need_to_know`, decision 0054).
* **review a candidate match** (`match.review`): analist or coordinator of an
  organisation that reads entities, who may see both entities (`matches.querysets`).
* **manage** (the admin, issuing API keys): beheerder (or superuser); a beheerder never
  reads signals.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext as _

from .models import Confidentiality, Membership, OrganisationKind, Role


class Action:
    """Every action a user can take, by name. A write path declares one or more."""

    SIGNAL_CREATE = "signal.create"
    SIGNAL_CHANGE_STATUS = "signal.change_status"
    SIGNAL_CORRECT_ADDRESS = "signal.correct_address"
    SIGNAL_RELATE = "signal.relate"  # merge or unlink two linked signals
    CASE_OPEN = "case.open"
    CASE_MOVE = "case.move"
    CASE_DECIDE = "case.decide"
    CASE_ASSIGN_INTERVENTION = "case.assign_intervention"
    CASE_LINK_SIGNALS = "case.link_signals"
    CASE_ADD_SUBJECT = "case.add_subject"
    CASE_EDIT_PREWEIGH = "case.edit_preweigh"
    ENTITY_IMPORT = "entity.import"  # FtM file of entities and links into a case
    ENTITY_REVEAL = "entity.reveal"  # show the name behind a pseudonym, with a reason
    MATCH_REVIEW = "match.review"  # confirm, reject or undo a candidate match
    INTERVENTION_REPORT = "intervention.report"
    MEETING_CHAIR = "meeting.chair"  # plan, agenda, attendance
    DELIVERY_SUBMIT = "delivery.submit"
    DELIVERY_ERROR_VALUES = "delivery.error_values"
    REPORT_MAKE = "report.make"
    REPORT_SCHEDULE = "report.schedule"
    ALERT_REVIEW = "alert.review"
    PLACE_VISIT = "place.visit"  # plan or record a visit at a vulnerable place
    FORECAST_DECIDE = "forecast.decide"  # record what was decided on a place forecast
    MANAGE = "manage"  # /beheer/: organisations, memberships, covenants, API keys
    SESSION = "session"  # log in/out, language, own second factor or password: no case data


CREATE_ROLES = frozenset({Role.MEDEWERKER, Role.ANALIST, Role.COORDINATOR})
EDITOR_ROLES = frozenset({Role.ANALIST, Role.COORDINATOR})
CHAIR_ROLES = frozenset({Role.COORDINATOR})
REVIEW_ROLES = frozenset({Role.ANALIST, Role.COORDINATOR})

GOVERNMENT = frozenset({OrganisationKind.GEMEENTE, OrganisationKind.POLITIE,
                        OrganisationKind.OM, OrganisationKind.RIEC,
                        OrganisationKind.BELASTINGDIENST})
K = OrganisationKind
# Which source types a partner (a kind outside government) may register, by code. Government
# bodies receive information from every source (a police notice by mail, an MMA tip passed
# on) and register any source type; a partner registers its own findings only — never an
# MMA tip or a police notice. A source type a beheerder adds later is for government only
# until it is listed here.
PARTNER_SOURCES: dict[str, frozenset[str]] = {
    K.NETBEHEERDER: frozenset({"netbeheerder"}),
    K.WONINGCORPORATIE: frozenset({"woningcorporatie", "bewoner"}),
    K.WATERBEDRIJF: frozenset({"waterbedrijf"}),
    K.ZORG: frozenset({"overig"}),
    K.OTHER: frozenset({"overig"}),
}
# The highest confidentiality an organisation of a kind may give a signal it registers.
KIND_CEILING: dict[str, int] = {
    **{kind: Confidentiality.RIEC for kind in GOVERNMENT},
    K.NETBEHEERDER: Confidentiality.VERTROUWELIJK,
    K.WONINGCORPORATIE: Confidentiality.VERTROUWELIJK,
    K.WATERBEDRIJF: Confidentiality.VERTROUWELIJK,
    K.ZORG: Confidentiality.VERTROUWELIJK,
    K.OTHER: Confidentiality.VERTROUWELIJK,
}


def _memberships(user) -> list[Membership]:
    from . import scope

    return scope._memberships(user)


def _clearance(role: str) -> int:
    from . import scope

    return scope.CLEARANCE.get(role, 0)


def kind_registers(kind: str, source_code: str) -> bool:
    """May an organisation of `kind` register signals of the source type `source_code`?"""
    if kind in GOVERNMENT:
        return True
    return source_code in PARTNER_SOURCES.get(kind, frozenset())


# ---------------------------------------------------------------- signals


def may_register(user, organisation, source_type, confidentiality: int) -> bool:
    """May `user` register, for `organisation`, a signal of this source and level?"""
    kind = organisation.kind
    if not kind_registers(kind, source_type.code):
        return False
    ceiling = KIND_CEILING.get(kind, Confidentiality.NORMAAL)
    return any(
        m.organisation_id == organisation.pk and m.role in CREATE_ROLES
        and confidentiality <= min(_clearance(m.role), ceiling)
        for m in _memberships(user)
    )


def source_types_for(user, organisation=None):
    """The active source types the user may register (for `organisation`, or any)."""
    from knooppunt.taxonomy.models import SourceType

    kinds = {m.organisation.kind for m in _memberships(user)
             if m.role in CREATE_ROLES
             and (organisation is None or m.organisation_id == organisation.pk)}
    codes = [code for code in SourceType.objects.filter(active=True)
             .values_list("code", flat=True) if any(kind_registers(k, code) for k in kinds)]
    return SourceType.objects.filter(active=True, code__in=codes)


def levels_for(user, organisation=None) -> list[int]:
    """The confidentiality levels the user may give a signal they register."""
    top = 0
    for m in _memberships(user):
        if m.role in CREATE_ROLES and (organisation is None
                                       or m.organisation_id == organisation.pk):
            ceiling = KIND_CEILING.get(m.organisation.kind, Confidentiality.NORMAAL)
            top = max(top, min(_clearance(m.role), ceiling))
    return [level for level in Confidentiality.values if level <= top]


def register_ceiling(user, organisation) -> int:
    """The highest level the user may give a signal registered for `organisation` (0: none)."""
    levels = levels_for(user, organisation)
    return max(levels, default=0)


def source_type_allowed(organisation, source_type) -> bool:
    """May an organisation of this kind register signals of this source type at all?"""
    return kind_registers(organisation.kind, source_type.code)


def registrable_source_ids(organisation) -> set[int]:
    """Ids of the source types the organisation's kind may register."""
    from knooppunt.taxonomy.models import SourceType

    return {pk for pk, code in SourceType.objects.values_list("pk", "code")
            if kind_registers(organisation.kind, code)}


def signal_changers(signal) -> set[int]:
    """Ids of the organisations that may change this signal (before roles and clearance)."""
    ids = {signal.reporting_organisation_id}
    ids |= set(signal.involved_organisations.values_list("pk", flat=True))
    from .models import Organisation

    ids |= set(Organisation.objects.filter(
        kind=OrganisationKind.GEMEENTE, active=True, municipalities=signal.municipality_id
    ).values_list("pk", flat=True))
    return ids


def may_change_signal(user, signal) -> bool:
    """Status, address correction, merge/unlink: own records, or the municipality's own."""
    from . import scope

    changers = signal_changers(signal)
    cleared = any(
        m.organisation_id in changers and m.role in CREATE_ROLES
        and signal.confidentiality <= _clearance(m.role)
        for m in _memberships(user)
    )
    return cleared and scope.can_view_signal(user, signal)


def changeable_signals(user, queryset=None):
    """The readable signals the user may change (for lists of links and queues)."""
    from django.db.models import Q

    from knooppunt.signals.models import Signal

    from . import scope

    qs = scope.signals_for(user, queryset)
    condition = Q(pk__in=[])
    for m in _memberships(user):
        if m.role not in CREATE_ROLES:
            continue
        own = Q(reporting_organisation_id=m.organisation_id) | Q(
            pk__in=Signal.involved_organisations.through.objects.filter(
                organisation_id=m.organisation_id).values("signal_id"))
        if m.organisation.kind == OrganisationKind.GEMEENTE:
            own |= Q(municipality__organisations=m.organisation_id)
        condition |= Q(confidentiality__lte=_clearance(m.role)) & own
    return qs.filter(condition).distinct()


# ---------------------------------------------------------------- cases


def may_open_case(user, forum, level: int) -> bool:
    """A member organisation of an active forum, with a role cleared for the signals."""
    member_ids = set(forum.members.values_list("pk", flat=True))
    return forum.active and any(
        m.organisation_id in member_ids and m.role in CREATE_ROLES
        and _clearance(m.role) >= level for m in _memberships(user))


def case_openers(user, forum, level: int) -> list:
    """The user's organisations that may own a case opened in `forum` at `level`."""
    member_ids = set(forum.members.values_list("pk", flat=True))
    return [m.organisation for m in _memberships(user)
            if m.organisation_id in member_ids and m.role in CREATE_ROLES
            and _clearance(m.role) >= level]


def _case_roles(user, case) -> set[str]:
    from . import scope

    return scope.roles_for_case(user, case)


def may_chair(user, forum) -> bool:
    """A coordinator of one of the forum's member organisations (plans, agenda, attendance)."""
    member_ids = set(forum.members.values_list("pk", flat=True))
    return forum.active and any(m.organisation_id in member_ids and m.role in CHAIR_ROLES
                                for m in _memberships(user))


def case_subject_suppliers(user, case) -> list:
    """The user's organisations at the case's table that may supply a subject."""
    member_ids = set(case.forum.members.values_list("pk", flat=True)) | {case.owner_id}
    return [m.organisation for m in _memberships(user)
            if m.organisation_id in member_ids and m.role in CREATE_ROLES
            and _clearance(m.role) >= case.confidentiality]


def may_review_match(user, match=None) -> bool:
    """Confirm, reject or undo a candidate match: an analyst or coordinator who may see
    both of its entities (`matches.querysets`); without a match, whether any."""
    from knooppunt.matches.querysets import matches_for, may_review_matches

    if match is None:
        return may_review_matches(user)
    return matches_for(user).filter(pk=match.pk).exists()


def may_import_entities(user, case) -> bool:
    """Add entities to a case: a supplier at its table whose organisation reads entities
    (a file's links are checked against what the user may see)."""
    from knooppunt.entities.querysets import may_read_entities

    return may_read_entities(user) and bool(case_subject_suppliers(user, case))


def may_reveal_entity(user, entity_id: str, case=None) -> bool:
    """Show the name behind a pseudonym (rules in `entities.need_to_know.may_reveal`)."""
    from knooppunt.entities.need_to_know import may_reveal

    return may_reveal(user, entity_id, case)


def may_report_intervention(user, intervention) -> bool:
    from . import scope

    return scope.interventions_to_update_for(user).filter(pk=intervention.pk).exists()


# ---------------------------------------------------------------- deliveries


def may_deliver(user, organisation, profile) -> bool:
    """A delivery registers signals: the profile must be for the kind, and its source and
    default level must be ones the user may register for the organisation."""
    if profile.organisation_kind and profile.organisation_kind != organisation.kind:
        return False
    if getattr(profile, "kind", "signalen") == "incidenten":
        # Police incidents go into one dataset: only its holder delivers them (decision 0037).
        dataset = getattr(profile, "event_dataset", None)
        if dataset is None or dataset.organisation_id != organisation.pk:
            return False
    return may_register(user, organisation, profile.source_type,
                        profile.default_confidentiality)


def deliverable_organisations(user):
    """Organisations the user may deliver files for (some profile of their kind)."""
    from . import scope

    return scope.organisations_for_create(user)


def may_see_error_values(user, delivery) -> bool:
    """Cell values in an error report may come from rows of any confidentiality."""
    if delivery.delivered_by_id is not None and delivery.delivered_by_id == user.pk:
        return True
    return any(m.organisation_id == delivery.organisation_id
               and _clearance(m.role) >= Confidentiality.RIEC for m in _memberships(user))


# ---------------------------------------------------------------- alerts, reports, admin


def may_review_alert(user, alert) -> bool:
    """Coordinator or analist of an organisation serving every municipality of the area."""
    from knooppunt.monitoring.areas import municipality_codes_in

    if alert.area_level == "land":  # the whole country: nobody reviews for everyone
        return False
    codes = set(municipality_codes_in(alert.area_level, alert.area_code))
    if not codes:
        return False
    for m in _memberships(user):
        if m.role not in REVIEW_ROLES:
            continue
        served = set(m.organisation.municipalities.values_list("code", flat=True))
        if codes <= served:
            return True
    return False


def may_record_visit(user, municipality=None) -> bool:
    """Coordinator or analist of a gemeente serving the place's municipality
    (`place_scope`); without a municipality: in any municipality."""
    from . import scope

    allowed = scope.place_visit_municipalities(user)
    if municipality is None:
        return allowed.exists()
    return allowed.filter(pk=municipality.pk).exists()


def may_decide_on_forecast(user, area=None) -> bool:
    """Analist or coordinator of an organisation serving every municipality of the area
    (`hotspot_service.Area`); without an area: in any area."""
    from . import scope

    editors = [m for m in _memberships(user) if m.role in EDITOR_ROLES]
    if not editors or not scope.sees_personal_data(user):
        return False
    if area is None:
        return True
    served = set(scope.municipalities_for(user).values_list("pk", flat=True))
    return set(area.municipality_ids) <= served


def may_make_report(user, builder=None) -> bool:
    from knooppunt.reports import access

    if builder is None:
        from knooppunt.reports.builders import all_builders

        return any(access.may_use_kind(user, b) for b in all_builders())
    return access.may_use_kind(user, builder)


def may_schedule_reports(user) -> bool:
    from . import scope

    return Role.COORDINATOR in scope.roles_of(user)


def may_manage(user) -> bool:
    from . import scope

    return scope.is_beheerder(user)


# ---------------------------------------------------------------- the registry

Rule = Callable[..., bool]


def _case_rule(roles: frozenset[str] | None) -> Rule:
    def rule(user, case, **_context) -> bool:
        found = _case_roles(user, case)
        return bool(found & roles) if roles is not None else bool(found)
    return rule


RULES: dict[str, Rule] = {
    Action.SIGNAL_CREATE: lambda user, obj=None, **c: (
        may_register(user, c["organisation"], c["source_type"], c["confidentiality"])
        if c else bool(source_types_for(user).exists())),
    Action.SIGNAL_CHANGE_STATUS: lambda user, obj, **c: may_change_signal(user, obj),
    Action.SIGNAL_CORRECT_ADDRESS: lambda user, obj, **c: may_change_signal(user, obj),
    Action.SIGNAL_RELATE: lambda user, obj, **c: may_change_signal(user, obj) and (
        c.get("other") is None or may_change_signal(user, c["other"])),
    Action.CASE_OPEN: lambda user, obj=None, **c: (
        may_open_case(user, c["forum"], c.get("level", Confidentiality.NORMAAL)) if c
        else any(m.role in CREATE_ROLES for m in _memberships(user))),
    Action.CASE_MOVE: _case_rule(None),
    Action.CASE_DECIDE: _case_rule(CHAIR_ROLES),
    Action.CASE_ASSIGN_INTERVENTION: _case_rule(EDITOR_ROLES),
    Action.CASE_LINK_SIGNALS: _case_rule(None),
    Action.CASE_ADD_SUBJECT: lambda user, obj, **c: bool(case_subject_suppliers(user, obj)),
    Action.CASE_EDIT_PREWEIGH: _case_rule(EDITOR_ROLES),
    Action.ENTITY_IMPORT: lambda user, obj, **c: may_import_entities(user, obj),
    Action.ENTITY_REVEAL: lambda user, obj, **c: may_reveal_entity(user, obj, c.get("case")),
    Action.MATCH_REVIEW: lambda user, obj=None, **c: may_review_match(user, obj),
    Action.INTERVENTION_REPORT: lambda user, obj, **c: may_report_intervention(user, obj),
    Action.MEETING_CHAIR: lambda user, obj, **c: may_chair(user, obj),
    Action.DELIVERY_SUBMIT: lambda user, obj=None, **c: (
        may_deliver(user, c["organisation"], c["profile"]) if c
        else deliverable_organisations(user).exists()),
    Action.DELIVERY_ERROR_VALUES: lambda user, obj, **c: may_see_error_values(user, obj),
    Action.REPORT_MAKE: lambda user, obj=None, **c: may_make_report(user, obj),
    Action.REPORT_SCHEDULE: lambda user, obj=None, **c: may_schedule_reports(user),
    Action.ALERT_REVIEW: lambda user, obj, **c: may_review_alert(user, obj),
    Action.PLACE_VISIT: lambda user, obj=None, **c: may_record_visit(user, obj),
    Action.FORECAST_DECIDE: lambda user, obj=None, **c: may_decide_on_forecast(user, obj),
    Action.MANAGE: lambda user, obj=None, **c: may_manage(user),
    Action.SESSION: lambda user, obj=None, **c: True,
}


def may(user, action: str, obj: Any = None, **context: Any) -> bool:
    """Whether `user` may take `action` (on `obj`, with `context`). Unknown: refused."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return action == Action.SESSION
    rule = RULES.get(action)
    if rule is None:
        return False
    return bool(rule(user, obj, **context))


def require(user, action: str, obj: Any = None, message: str | None = None,
            **context: Any) -> None:
    """Raise `PermissionDenied` (Dutch message) unless `may(...)`."""
    if not may(user, action, obj, **context):
        raise PermissionDenied(message or _("U mag deze handeling niet uitvoeren."))


# ---------------------------------------------------------------- declaring write paths

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def guards(*actions: str) -> Callable:
    """Declare the actions a write view takes (checked by the write-path test)."""
    unknown = [a for a in actions if a not in RULES]
    if unknown:
        raise ValueError(f"no rule for {unknown}")

    def decorate(view: Callable) -> Callable:
        view.knooppunt_actions = tuple(actions)
        return view
    return decorate


def read_only(view: Callable) -> Callable:
    """A view that changes nothing: any other method than GET/HEAD/OPTIONS gets 405."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return HttpResponseNotAllowed(list(SAFE_METHODS))
        return view(request, *args, **kwargs)
    wrapper.knooppunt_actions = ()
    return wrapper
