"""The only code that writes cases: open, move, decide, intervene, report, document.

Web pages and the API call these functions, so both get the same rules: the transition
table (data), the roles, the forum's members, dates not before the signals arrived, a
reason for every move and decision, optimistic locking on the case and intervention
`version`, one transaction per action and a processing-log row for each.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from knooppunt.audit.log import Action, record
from knooppunt.entities.services import record_case_subjects
from knooppunt.organisations import permissions, scope
from knooppunt.organisations.models import Organisation
from knooppunt.organisations.permissions import Action as Do
from knooppunt.signals.models import Signal
from knooppunt.subjects.models import Subject

from . import attendance, deadlines
from .models import (
    AgendaItem,
    Case,
    CaseSignal,
    CaseSubject,
    Decision,
    DecisionKind,
    Forum,
    Intervention,
    InterventionStatus,
    InterventionType,
    Meeting,
    MeetingAttendee,
    PreweighDocument,
    Stage,
    StageChange,
    Transition,
)
from .signal_sync import sync_signals

PURPOSE_CASE = "Behandeling casus integrale aanpak"
PURPOSE_INTERVENTION = "Uitvoering en terugkoppeling interventie"
# Who may do what is decided in `organisations.permissions`; these stay for the pages.
CHAIR_ROLES = set(permissions.CHAIR_ROLES)
EDITOR_ROLES = set(permissions.EDITOR_ROLES)


class StaleVersion(Exception):
    """Someone else changed the object since it was read: nothing was changed."""

    def __init__(self, what: str = "casus") -> None:
        self.message = _(
            "Deze %(what)s is intussen door iemand anders gewijzigd. Uw wijziging is niet "
            "opgeslagen. Laad de pagina opnieuw, bekijk de wijziging en probeer het nog eens."
        ) % {"what": what}
        super().__init__(self.message)


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message, code="no_reason")
    return reason


def _not_future(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("%(label)s ligt in de toekomst.") % {"label": label},
                              code="future_date")


def _not_before_signals(case: Case, day: date, label: str) -> None:
    latest = case.signals.aggregate(latest=Max("received_on"))["latest"]
    floor = max(d for d in (latest, case.opened_on) if d is not None)
    if day < floor:
        raise ValidationError(
            _("%(label)s (%(day)s) ligt vóór %(floor)s: de casus of het signaal bestond toen "
              "nog niet.") % {"label": label, "day": day.strftime("%d-%m-%Y"),
                             "floor": floor.strftime("%d-%m-%Y")},
            code="date_before_signal",
        )


def _locked_case(user, case: Case, version: int | None) -> Case:
    """The case row, locked for this transaction, if the user may see it and it is current."""
    locked = scope.cases_for(user).select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise PermissionDenied(_("U heeft geen toegang tot deze casus."))
    if version is not None and locked.version != version:
        raise StaleVersion(_("casus"))
    return locked


def _bump(case: Case, **fields) -> None:
    """Write fields and the next version, only if nobody else did in between."""
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if updated != 1:  # pragma: no cover - the row lock makes this unreachable
        raise StaleVersion(_("casus"))
    for name, value in fields.items():
        setattr(case, name, value)
    case.version += 1


def _move(user, case: Case, to_stage: Stage, reason: str, *, roles: set[str]) -> StageChange:
    rule = (Transition.objects.filter(from_stage=case.stage, to_stage=to_stage)
            .prefetch_related("forum_kinds").first())
    if rule is None or (rule.forum_kinds.exists()
                        and not rule.forum_kinds.filter(pk=case.forum.kind_id).exists()):
        raise ValidationError(
            _("Van fase '%(from)s' naar '%(to)s' is niet toegestaan.")
            % {"from": case.stage.name, "to": to_stage.name},
            code="transition_not_allowed",
        )
    if not roles & set(rule.roles):
        raise PermissionDenied(
            _("Uw rol mag een casus niet van '%(from)s' naar '%(to)s' zetten.")
            % {"from": case.stage.name, "to": to_stage.name}
        )
    change = StageChange.objects.create(case=case, from_stage=case.stage, to_stage=to_stage,
                                        changed_at=timezone.now(), changed_by=user,
                                        reason=reason)
    fields = {"stage": to_stage}
    if to_stage.is_closed:
        fields["closed_on"] = timezone.localdate()
    elif case.closed_on is not None:
        fields["closed_on"] = None
    _bump(case, **fields)
    sync_signals(case, to_stage, user=user)
    return change


@transaction.atomic
def open_case(*, user, signals: list[Signal], forum: Forum, title: str,
              opened_on: date | None = None, reason: str = "") -> Case:
    """A new case from one or more signals the user may see, in a forum they take part in."""
    if not signals:
        raise ValidationError(_("Kies ten minste één signaal."), code="no_signals")
    visible = scope.signals_for(user).filter(pk__in=[s.pk for s in signals])
    if visible.count() != len({s.pk for s in signals}):
        raise PermissionDenied(_("U heeft geen toegang tot een van de gekozen signalen."))
    title = _require_reason(title, _("Geef de casus een titel."))
    signals = list(visible.select_related("municipality", "theme"))
    level = max(s.confidentiality for s in signals)
    # The owning membership itself must be cleared for the signals: a signal seen through
    # another membership (say, as analist elsewhere) does not travel into this forum.
    owners = permissions.case_openers(user, forum, level)
    if not owners or not permissions.may(user, Do.CASE_OPEN, forum=forum, level=level):
        raise PermissionDenied(_("Uw organisatie neemt niet deel aan %(forum)s, of uw rol "
                                 "daar mag deze signalen niet behandelen.")
                               % {"forum": forum.name})
    first = min(signals, key=lambda s: (s.received_on, s.pk))
    if not forum.municipalities.filter(pk=first.municipality_id).exists():
        raise ValidationError(
            _("%(forum)s behandelt geen casussen in %(municipality)s.")
            % {"forum": forum.name, "municipality": first.municipality.name},
            code="forum_not_for_municipality",
        )
    opened_on = opened_on or timezone.localdate()
    _not_future(opened_on, _("De datum van openen"))
    latest = max(s.received_on for s in signals)
    if opened_on < latest:
        raise ValidationError(
            _("De casus kan niet geopend zijn vóór het laatste signaal binnenkwam (%(day)s).")
            % {"day": latest.strftime("%d-%m-%Y")}, code="date_before_signal")
    stage = Stage.objects.filter(is_initial=True).order_by("order").first()
    case = Case.objects.create(
        reference=f"TMP-{uuid.uuid4().hex[:14]}", title=title, theme=first.theme,
        municipality=first.municipality, forum=forum, stage=stage, owner=owners[0],
        confidentiality=level, opened_on=opened_on,
        decision_due_on=deadlines.due_date(opened_on, forum.deadline_months), created_by=user,
    )
    case.reference = f"CAS-{opened_on.year}-{case.pk:06d}"
    Case.objects.filter(pk=case.pk).update(reference=case.reference)
    now = timezone.now()
    CaseSignal.objects.bulk_create(
        [CaseSignal(case=case, signal=s, linked_at=now, linked_by=user) for s in signals]
    )
    StageChange.objects.create(case=case, from_stage=None, to_stage=stage, changed_at=now,
                               changed_by=user, reason=reason.strip() or _("Casus geopend"))
    sync_signals(case, stage, user=user)
    record(user=user, action=Action.CREATE, obj=case, purpose=PURPOSE_CASE,
           detail=f"signalen {', '.join(s.reference for s in signals)}")
    return case


@transaction.atomic
def change_stage(*, user, case: Case, to_stage: Stage, reason: str,
                 version: int | None) -> StageChange:
    """Move a case along an allowed transition, with a reason; refused when stale."""
    locked = _locked_case(user, case, version)
    permissions.require(user, Do.CASE_MOVE, locked, _("U heeft geen toegang tot deze casus."))
    reason = _require_reason(reason, _("Geef een reden voor de nieuwe fase."))
    change = _move(user, locked, to_stage, reason, roles=scope.roles_for_case(user, locked))
    record(user=user, action=Action.UPDATE, obj=locked, purpose=PURPOSE_CASE,
           detail=f"fase {change.from_stage.code} -> {to_stage.code}")
    case.version, case.stage = locked.version, locked.stage
    return change


def _target_forum(case: Case, kind) -> Forum:
    forum = (Forum.objects.filter(kind=kind, active=True, municipalities=case.municipality_id)
             .order_by("name").first())
    if forum is None:
        raise ValidationError(
            _("Er is geen actief overleg '%(kind)s' voor %(municipality)s. Leg het vast in "
              "het beheer.") % {"kind": kind.name, "municipality": case.municipality.name},
            code="no_forum",
        )
    return forum


@transaction.atomic
def decide(*, user, case: Case, kind: DecisionKind, reason: str, decided_on: date,
           version: int | None, meeting: Meeting | None = None,
           decided_by=None) -> Decision:
    """Record a forum's decision: a named person, a date and a reason.

    `decided_by` is the person who decided (e.g. the chair); it must be a member of one of
    the forum's organisations (or of the case owner) and defaults to the recorder.
    """
    locked = _locked_case(user, case, version)
    roles = scope.roles_for_case(user, locked)
    if not permissions.may(user, Do.CASE_DECIDE, locked):
        raise PermissionDenied(_("Alleen een coördinator van een deelnemende organisatie legt "
                                 "besluiten vast."))
    reason = _require_reason(reason, _("Een besluit heeft altijd een reden. Vul de reden in."))
    if not kind.active:
        raise ValidationError(_("Dit soort besluit wordt niet meer gebruikt."), code="inactive")
    _not_future(decided_on, _("De datum van het besluit"))
    _not_before_signals(locked, decided_on, _("De datum van het besluit"))
    if meeting is not None and meeting.forum_id != locked.forum_id:
        raise ValidationError(_("Dit overleg behandelt deze casus niet."), code="wrong_meeting")
    if meeting is not None and not may_chair(user, meeting.forum):
        # In a meeting, its forum's coordinators record what the meeting decided.
        raise PermissionDenied(_("Alleen een coördinator van een deelnemende organisatie legt "
                                 "besluiten vast."))
    decider = decided_by or user
    if attendance.organisation_for(locked.forum, decider, (locked.owner_id,)) is None:
        raise ValidationError(
            _("%(person)s is geen lid van een organisatie die aan %(forum)s deelneemt en kan "
              "dus niet als besluitnemer worden genoemd.")
            % {"person": attendance.display_name(decider), "forum": locked.forum.name},
            code="decider_not_in_forum")
    decision = Decision.objects.create(case=locked, forum=locked.forum, meeting=meeting,
                                       kind=kind, decided_on=decided_on, reason=reason,
                                       decided_by=decider, recorded_by=user)
    note = _("Besluit: %(kind)s. %(reason)s") % {"kind": kind.name, "reason": reason}
    if kind.next_stage_id and kind.next_stage_id != locked.stage_id:
        _move(user, locked, kind.next_stage, note, roles=roles)
    fields: dict[str, object] = {}
    if kind.next_forum_kind_id and kind.next_forum_kind_id != locked.forum.kind_id:
        forum = _target_forum(locked, kind.next_forum_kind)
        fields.update(forum=forum, decided_on=None,
                      decision_due_on=deadlines.due_date(decided_on, forum.deadline_months))
    elif locked.decided_on is None:
        fields["decided_on"] = decided_on
    if fields:
        _bump(locked, **fields)
    record(user=user, action=Action.UPDATE, obj=locked, purpose=PURPOSE_CASE,
           detail=f"besluit {kind.code} door {decider.get_username()}")
    case.version = locked.version
    return decision


def _check_intervention_values(intervention_type: InterventionType, *, duration_months,
                               amount_recovered) -> None:
    if duration_months is not None and not intervention_type.has_duration:
        raise ValidationError(_("Een duur hoort niet bij '%(type)s'.")
                              % {"type": intervention_type.name}, code="no_duration")
    if amount_recovered is not None and not intervention_type.has_amount:
        raise ValidationError(_("Een bedrag hoort niet bij '%(type)s'.")
                              % {"type": intervention_type.name}, code="no_amount")
    if amount_recovered is not None and Decimal(amount_recovered) < 0:
        raise ValidationError(_("Het bedrag kan niet negatief zijn."), code="negative")


@transaction.atomic
def add_intervention(*, user, case: Case, intervention_type: InterventionType,
                     organisation: Organisation, planned_on: date,
                     subject: Subject | None = None, decision: Decision | None = None,
                     duration_months: int | None = None) -> Intervention:
    """Assign an intervention to an organisation that takes part in the case's forum."""
    locked = _locked_case(user, case, None)
    if not permissions.may(user, Do.CASE_ASSIGN_INTERVENTION, locked):
        raise PermissionDenied(_("Uw rol mag geen interventies toewijzen."))
    if locked.closed_on is not None:
        raise ValidationError(_("De casus is afgesloten."), code="closed")
    if not intervention_type.active:
        raise ValidationError(_("Deze soort interventie wordt niet meer gebruikt."),
                              code="inactive")
    allowed = {locked.owner_id, *locked.forum.members.values_list("pk", flat=True),
               *locked.forum.partners.values_list("pk", flat=True)}
    if organisation.pk not in allowed:
        raise ValidationError(
            _("%(org)s neemt niet deel aan %(forum)s; wijs de interventie toe aan een "
              "deelnemende organisatie.") % {"org": organisation.name, "forum": locked.forum.name},
            code="organisation_not_in_forum",
        )
    _not_before_signals(locked, planned_on, _("De geplande datum"))
    if subject is not None and not locked.subject_links.filter(subject=subject).exists():
        raise ValidationError(_("Dit subject hoort niet bij de casus."), code="wrong_subject")
    if decision is not None and decision.case_id != locked.pk:
        raise ValidationError(_("Dit besluit hoort niet bij de casus."), code="wrong_decision")
    _check_intervention_values(intervention_type, duration_months=duration_months,
                               amount_recovered=None)
    intervention = Intervention.objects.create(
        case=locked, decision=decision, type=intervention_type, organisation=organisation,
        subject=subject, planned_on=planned_on, duration_months=duration_months,
        updated_by=user,
    )
    record(user=user, action=Action.CREATE, obj=intervention, purpose=PURPOSE_INTERVENTION,
           detail=f"casus {locked.reference}; {intervention_type.code} -> {organisation.name}")
    return intervention


@transaction.atomic
def report_intervention(*, user, intervention: Intervention, version: int | None,
                        status: str, started_on: date | None = None,
                        ended_on: date | None = None, duration_months: int | None = None,
                        amount_recovered: Decimal | None = None,
                        hours_spent: Decimal | None = None, result: str = "") -> Intervention:
    """The assigned organisation reports status, dates, result, money and hours."""
    locked = (scope.interventions_to_update_for(user).select_for_update()
              .select_related("case", "type").filter(pk=intervention.pk).first())
    if locked is None:
        raise PermissionDenied(_("Deze interventie is niet aan uw organisatie toegewezen."))
    if version is not None and locked.version != version:
        raise StaleVersion(_("interventie"))
    if status not in InterventionStatus.values:
        raise ValidationError(_("Onbekende status '%(status)s'.") % {"status": status[:20]},
                              code="invalid_status")
    _check_intervention_values(locked.type, duration_months=duration_months,
                               amount_recovered=amount_recovered)
    for day, label in ((started_on, _("De startdatum")), (ended_on, _("De einddatum"))):
        if day is not None:
            _not_future(day, label)
            _not_before_signals(locked.case, day, label)
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError(_("De einddatum ligt vóór de startdatum."), code="end_before_start")
    if status in (InterventionStatus.DONE, InterventionStatus.STOPPED) and ended_on is None:
        raise ValidationError(_("Vul de einddatum in bij een afgeronde of gestopte "
                                "interventie."), code="no_end_date")
    if status == InterventionStatus.DONE and not (result or "").strip():
        raise ValidationError(_("Beschrijf het resultaat van de afgeronde interventie."),
                              code="no_result")
    if hours_spent is not None and Decimal(hours_spent) < 0:
        raise ValidationError(_("Het aantal uren kan niet negatief zijn."), code="negative")
    fields = {
        "status": status, "started_on": started_on, "ended_on": ended_on,
        "duration_months": duration_months, "amount_recovered": amount_recovered,
        "hours_spent": hours_spent if hours_spent is not None else locked.hours_spent,
        "result": (result or "").strip(), "updated_by": user,
    }
    updated = Intervention.objects.filter(pk=locked.pk, version=locked.version).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if updated != 1:  # pragma: no cover - the row lock makes this unreachable
        raise StaleVersion(_("interventie"))
    locked.refresh_from_db()
    record(user=user, action=Action.UPDATE, obj=locked, purpose=PURPOSE_INTERVENTION,
           detail=f"status {status}")
    return locked


@transaction.atomic
def link_signals(*, user, case: Case, signals: list[Signal], version: int | None) -> int:
    """Add visible signals to a case; they take the status that belongs to its stage."""
    locked = _locked_case(user, case, version)
    if not permissions.may(user, Do.CASE_LINK_SIGNALS, locked):
        raise PermissionDenied(_("U heeft geen toegang tot deze casus."))
    visible = list(scope.signals_for(user).filter(pk__in=[s.pk for s in signals]))
    if len(visible) != len({s.pk for s in signals}):
        raise PermissionDenied(_("U heeft geen toegang tot een van de gekozen signalen."))
    new = [s for s in visible if not locked.signal_links.filter(signal=s).exists()]
    if not new:
        raise ValidationError(_("Deze signalen horen al bij de casus."), code="already_linked")
    now = timezone.now()
    CaseSignal.objects.bulk_create(
        [CaseSignal(case=locked, signal=s, linked_at=now, linked_by=user) for s in new]
    )
    sync_signals(locked, locked.stage, user=user, signals=new)
    _bump(locked)
    record(user=user, action=Action.UPDATE, obj=locked, purpose=PURPOSE_CASE,
           detail=f"signalen gekoppeld: {', '.join(s.reference for s in new)}")
    case.version = locked.version
    return len(new)


@transaction.atomic
def add_subject(*, user, case: Case, kind: str, name: str, role: str = "",
                valid_from: date | None = None, kvk_number: str = "",
                address_register_id: str = "", licence_plate: str = "",
                date_of_birth: date | None = None) -> CaseSubject:
    """Record a subject supplied by the user's organisation and link it to the case."""
    locked = _locked_case(user, case, None)
    orgs = permissions.case_subject_suppliers(user, locked)
    if not orgs:
        raise PermissionDenied(_("U heeft geen toegang tot deze casus."))
    name = _require_reason(name, _("Vul de naam in."))
    valid_from = valid_from or timezone.localdate()
    _not_future(valid_from, _("De datum 'vanaf'"))
    subject = Subject.objects.create(
        kind=kind, name=name, kvk_number=kvk_number, address_register_id=address_register_id,
        licence_plate=licence_plate.upper(), date_of_birth=date_of_birth,
        confidentiality=locked.confidentiality, supplied_by=orgs[0],
        supplied_on=timezone.localdate(), created_by=user,
    )
    link = CaseSubject.objects.create(case=locked, subject=subject, role=role,
                                      valid_from=valid_from, supplied_by=orgs[0])
    record_case_subjects([link], user)  # the subject as an entity, with its provenance
    record(user=user, action=Action.CREATE, obj=subject, purpose=PURPOSE_CASE,
           detail=f"gekoppeld aan casus {locked.reference}")
    return link


@transaction.atomic
def save_preweigh(*, user, case: Case, content: str) -> PreweighDocument:
    """A new version of the preweegdocument (earlier versions stay as they are)."""
    locked = _locked_case(user, case, None)
    if not permissions.may(user, Do.CASE_EDIT_PREWEIGH, locked):
        raise PermissionDenied(_("Alleen een analist of coördinator bewerkt het "
                                 "preweegdocument."))
    content = _require_reason(content, _("Het preweegdocument is leeg."))
    number = (locked.preweigh_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    document = PreweighDocument.objects.create(case=locked, number=number, content=content,
                                               created_at=timezone.now(), created_by=user)
    record(user=user, action=Action.UPDATE, obj=locked, purpose=PURPOSE_CASE,
           detail=f"preweegdocument versie {number}")
    return document


@transaction.atomic
def freeze_preweigh(*, user, case: Case) -> PreweighDocument:
    """Fix the latest version as presented; a later edit starts a new version."""
    locked = _locked_case(user, case, None)
    if not permissions.may(user, Do.CASE_EDIT_PREWEIGH, locked):
        raise PermissionDenied(_("Alleen een analist of coördinator stelt het "
                                 "preweegdocument vast."))
    latest = locked.preweigh_versions.order_by("-number").first()
    if latest is None:
        raise ValidationError(_("Er is nog geen preweegdocument."), code="no_document")
    if latest.frozen_at is not None:
        raise ValidationError(_("Deze versie is al vastgesteld."), code="already_frozen")
    PreweighDocument.objects.filter(pk=latest.pk, frozen_at__isnull=True).update(
        frozen_at=timezone.now(), frozen_by=user)
    latest.refresh_from_db()
    record(user=user, action=Action.UPDATE, obj=locked, purpose=PURPOSE_CASE,
           detail=f"preweegdocument versie {latest.number} vastgesteld")
    return latest


@transaction.atomic
def plan_meeting(*, user, forum: Forum, held_on: date, attendees: str = "") -> Meeting:
    if not may_chair(user, forum):
        raise PermissionDenied(_("Alleen een coördinator van een deelnemende organisatie plant "
                                 "een overleg."))
    _not_before = date(2000, 1, 1)
    if held_on < _not_before:
        raise ValidationError(_("De datum van het overleg is ongeldig."), code="date_too_early")
    meeting = Meeting.objects.create(forum=forum, held_on=held_on, attendees=attendees.strip(),
                                     created_by=user)
    record(user=user, action=Action.CREATE, obj=meeting, purpose=PURPOSE_CASE)
    return meeting


@transaction.atomic
def put_on_agenda(*, user, meeting: Meeting, case: Case) -> AgendaItem:
    if not may_chair(user, meeting.forum):
        raise PermissionDenied(_("Alleen een coördinator zet casussen op de agenda."))
    locked = _locked_case(user, case, None)
    if not permissions.may(user, Do.CASE_DECIDE, locked):
        raise PermissionDenied(_("Alleen een coördinator zet casussen op de agenda."))
    if locked.forum_id != meeting.forum_id:
        raise ValidationError(_("Deze casus hoort bij %(forum)s, niet bij dit overleg.")
                              % {"forum": locked.forum.name}, code="wrong_forum")
    order = (meeting.items.aggregate(n=Max("order"))["n"] or 0) + 1
    item, _created = AgendaItem.objects.get_or_create(meeting=meeting, case=locked,
                                                      defaults={"order": order})
    record(user=user, action=Action.UPDATE, obj=meeting, purpose=PURPOSE_CASE,
           detail=f"agenda: casus {locked.reference}")
    return item


def may_chair(user, forum: Forum) -> bool:
    """A coordinator of one of the forum's member organisations (plans, sets attendance)."""
    return permissions.may(user, Do.MEETING_CHAIR, forum)


@transaction.atomic
def remove_from_agenda(*, user, meeting: Meeting, case: Case) -> None:
    """Take a case off the agenda, unless the meeting already decided on it."""
    # The meeting's forum decides who may change its agenda, as for attendance; being
    # coordinator of the case's owner is not enough.
    if not may_chair(user, meeting.forum):
        raise PermissionDenied(_("Alleen een coördinator haalt casussen van de agenda."))
    locked = _locked_case(user, case, None)
    if not permissions.may(user, Do.CASE_DECIDE, locked):
        raise PermissionDenied(_("Alleen een coördinator haalt casussen van de agenda."))
    if meeting.decisions.filter(case=locked).exists():
        raise ValidationError(_("Over deze casus is in deze vergadering al besloten; het "
                                "agendapunt blijft staan."), code="decided")
    deleted, _rows = AgendaItem.objects.filter(meeting=meeting, case=locked).delete()
    if not deleted:
        raise ValidationError(_("Deze casus staat niet op de agenda."), code="not_on_agenda")
    record(user=user, action=Action.UPDATE, obj=meeting, purpose=PURPOSE_CASE,
           detail=f"van de agenda: casus {locked.reference}")


@transaction.atomic
def set_attendance(*, user, meeting: Meeting, people: list, chair=None, guests: str = "",
                   version: int | None) -> Meeting:
    """Record who was present (members of forum organisations), who chaired, and guests."""
    locked = Meeting.objects.select_for_update().select_related("forum").get(pk=meeting.pk)
    if not may_chair(user, locked.forum):
        raise PermissionDenied(_("Alleen een coördinator van een deelnemende organisatie legt "
                                 "de aanwezigheid vast."))
    if version is not None and locked.version != version:
        raise StaleVersion(_("vergadering"))
    memberships = {}
    for membership in attendance.eligible_memberships(locked.forum):
        memberships.setdefault(membership.user_id, membership)
    people = list({p.pk: p for p in people}.values())
    outsiders = [attendance.display_name(p) for p in people if p.pk not in memberships]
    if outsiders:
        raise ValidationError(
            _("%(people)s hoort niet bij een deelnemende organisatie; noteer gasten bij "
              "'Gasten'.") % {"people": ", ".join(outsiders)}, code="not_a_member")
    if chair is not None and chair.pk not in {p.pk for p in people}:
        raise ValidationError(_("De voorzitter moet bij de aanwezigen staan."),
                              code="chair_not_present")
    locked.attendance.all().delete()
    MeetingAttendee.objects.bulk_create([
        MeetingAttendee(meeting=locked, person=p, organisation=memberships[p.pk].organisation)
        for p in people])
    Meeting.objects.filter(pk=locked.pk).update(
        chair=chair, attendees=(guests or "").strip(), version=F("version") + 1)
    locked.refresh_from_db()
    record(user=user, action=Action.UPDATE, obj=locked, purpose=PURPOSE_CASE,
           detail=f"aanwezigheid: {len(people)} leden, voorzitter "
                  f"{chair.get_username() if chair else '-'}")
    meeting.version = locked.version
    return locked
