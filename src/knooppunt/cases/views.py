"""Case pages: list, open, detail with stage, decisions, interventions, subjects and
preweegdocument; partner interventions; meetings and printable minutes; follow-up.

Every queryset starts from `scope`; every page that shows cases, subjects or
interventions writes to the processing log; every write goes through `services`.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case as CaseWhen
from django.db.models import Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from knooppunt.audit.log import Action, record
from knooppunt.audit.shown import CASE, SIGNAL, SUBJECT, Shown
from knooppunt.entities import need_to_know
from knooppunt.entities.querysets import may_read_entities
from knooppunt.entities.subjects_bridge import subject_entity_id
from knooppunt.organisations import permissions, scope
from knooppunt.organisations.permissions import Action as Do

from . import deadlines, followup, forms, preweigh, services
from .models import Case, Meeting, Stage

PAGE_SIZE = 25


def _require_personal_access(user) -> None:
    if not scope.sees_personal_data(user):
        raise PermissionDenied(
            _("Uw rol geeft alleen toegang tot geaggregeerde cijfers, niet tot casussen.")
        )


def _visible_case(user, reference: str) -> Case:
    case = (scope.cases_for(user).select_related("theme", "municipality", "forum__kind",
                                                  "stage", "owner")
            .filter(reference=reference[:20]).first())
    if case is None:
        raise Http404(_("Casus niet gevonden."))
    return case


def _signals_of(user, references: list[str]):
    found = list(scope.signals_for(user).filter(reference__in=references))
    missing = set(references) - {s.reference for s in found}
    if missing:
        raise ValidationError(_("Signaal %(ref)s bestaat niet of u mag het niet zien.")
                              % {"ref": sorted(missing)[0]}, code="unknown_signal")
    return found


@login_required
@permissions.read_only
def case_list(request):
    _require_personal_access(request.user)
    today = timezone.localdate()
    queryset = scope.cases_for(request.user).select_related("stage", "forum", "municipality",
                                                            "theme")
    stage = request.GET.get("fase", "")
    if stage:
        queryset = queryset.filter(stage__code=stage[:40])
    if request.GET.get("termijn") == "verlopen":  # most recently overdue first
        queryset = deadlines.overdue(queryset, today).order_by("-decision_due_on", "-pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    record(user=request.user, action=Action.LIST, object_type="cases.case",
           object_ids=[c.pk for c in page.object_list], purpose=services.PURPOSE_CASE,
           detail=request.GET.urlencode()[:500])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/list.html", {
        "page": page, "today": today, "stages": Stage.objects.all(), "stage": stage,
        "overdue_only": request.GET.get("termijn") == "verlopen", "query": query.urlencode(),
    })


@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.CASE_OPEN, Do.MEETING_CHAIR)
def case_create(request):
    _require_personal_access(request.user)
    initial = {"signals": " ".join(request.GET.getlist("signaal"))[:400],
               "meeting": request.GET.get("overleg", "")[:10],
               "forum": request.GET.get("forum", "")[:10]}
    form = forms.CaseForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                user=request.user, signals=_signals_of(request.user, data["signals"]),
                forum=data["forum"], title=data["title"], opened_on=data["opened_on"])
            if data["meeting"] is not None:
                services.put_on_agenda(user=request.user, meeting=data["meeting"], case=case)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Casus %(ref)s is geopend.") % {"ref": case.reference})
            if data["meeting"] is not None:
                return redirect("cases:meeting", pk=data["meeting"].pk)
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/form.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


def _render_case(request, case: Case, status: int = 200, **bound):
    user = request.user
    roles = scope.roles_for_case(user, case)
    signals = list(scope.signals_for(user).filter(case_links__case=case)
                   .select_related("theme", "source_type"))
    hidden_signals = case.signal_links.count() - len(signals)
    subjects = list(scope.subjects_for(user).filter(case_links__case=case).select_related(
        "supplied_by"))
    if need_to_know.works_on(user, case):
        # Each subject links to its entity page, by name through the case. Only for a user
        # the case gives the need to know: for anyone else that page answers a real id as
        # an unknown one (decision 0054); the names here are the case's own data.
        for subject in subjects:
            subject.entity_id = subject_entity_id(subject)
    interventions = scope.interventions_for(user).filter(case=case).select_related(
        "type", "organisation", "subject")
    record(user=user, action=Action.VIEW, obj=case, purpose=services.PURPOSE_CASE)
    if signals:
        record(user=user, action=Action.LIST, object_type=SIGNAL,
               object_ids=[s.pk for s in signals], purpose=services.PURPOSE_CASE,
               detail=f"signalen van casus {case.reference}")
    if subjects:
        record(user=user, action=Action.LIST, object_type="subjects.subject",
               object_ids=[s.pk for s in subjects], purpose=services.PURPOSE_CASE,
               detail=f"casus {case.reference}")
    context = {
        "case": case, "roles": roles, "signals": signals, "hidden_signals": hidden_signals,
        "subjects": subjects, "interventions": interventions,
        "history": case.history.select_related("from_stage", "to_stage", "changed_by"),
        "decisions": case.decisions.select_related("kind", "decided_by", "recorded_by", "forum",
                                                "meeting"),
        "versions": case.preweigh_versions.all(),
        "overdue": case.is_overdue(timezone.localdate()),
        "can_decide": bool(roles & services.CHAIR_ROLES),
        "can_edit": bool(roles & services.EDITOR_ROLES),
        "stage_form": bound.get("stage_form") or forms.StageForm(case=case, roles=roles),
        "decision_form": bound.get("decision_form") or forms.DecisionForm(case=case),
        "intervention_form": bound.get("intervention_form")
        or forms.InterventionForm(case=case, user=user),
        "link_form": bound.get("link_form")
        or forms.LinkSignalsForm(initial={"version": case.version}),
        "subject_form": bound.get("subject_form") or forms.SubjectForm(),
        "may_read_entities": may_read_entities(user),
    }
    return render(request, "cases/detail.html", context, status=status)


@login_required
@permissions.read_only
def case_detail(request, reference: str):
    _require_personal_access(request.user)
    return _render_case(request, _visible_case(request.user, reference))


def _error(form, exc: Exception) -> None:
    if isinstance(exc, services.StaleVersion):
        form.stale = True
        form.add_error(None, exc.message)
    else:
        form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))


@login_required
@require_POST
@permissions.guards(Do.CASE_MOVE)
def case_stage(request, reference: str):
    _require_personal_access(request.user)
    case = _visible_case(request.user, reference)
    form = forms.StageForm(request.POST, case=case, roles=scope.roles_for_case(request.user,
                                                                                case))
    if form.is_valid():
        try:
            services.change_stage(user=request.user, case=case,
                                  to_stage=form.cleaned_data["to_stage"],
                                  reason=form.cleaned_data["reason"],
                                  version=form.cleaned_data["version"])
        except (ValidationError, PermissionDenied, services.StaleVersion) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("De casus staat nu in fase %(stage)s.")
                             % {"stage": form.cleaned_data["to_stage"].name})
            return redirect("cases:detail", reference=case.reference)
    return _render_case(request, case, 409 if _stale(form) else 400, stage_form=form)


def _stale(form) -> bool:
    return getattr(form, "stale", False)


@login_required
@require_POST
@permissions.guards(Do.CASE_DECIDE)
def case_decide(request, reference: str):
    _require_personal_access(request.user)
    case = _visible_case(request.user, reference)
    prefix = request.POST.get("prefix", "")
    form = forms.DecisionForm(request.POST, case=case,
                              prefix=prefix if re.fullmatch(r"d\d{1,9}", prefix) else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(user=request.user, case=case, kind=data["kind"],
                            reason=data["reason"], decided_on=data["decided_on"],
                            version=data["version"], meeting=data["meeting"],
                            decided_by=data["decided_by"])
        except (ValidationError, PermissionDenied, services.StaleVersion) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Het besluit is vastgelegd."))
            if data["meeting"] is not None:
                return redirect("cases:meeting", pk=data["meeting"].pk)
            return redirect("cases:detail", reference=case.reference)
    return _render_case(request, case, 409 if _stale(form) else 400, decision_form=form)


@login_required
@require_POST
@permissions.guards(Do.CASE_ASSIGN_INTERVENTION)
def case_intervention(request, reference: str):
    _require_personal_access(request.user)
    case = _visible_case(request.user, reference)
    form = forms.InterventionForm(request.POST, case=case, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_intervention(
                user=request.user, case=case, intervention_type=data["intervention_type"],
                organisation=data["organisation"], planned_on=data["planned_on"],
                subject=data["subject"], duration_months=data["duration_months"],
                decision=case.decisions.order_by("-decided_on", "-pk").first())
        except (ValidationError, PermissionDenied) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("De interventie is toegewezen."))
            return redirect("cases:detail", reference=case.reference)
    return _render_case(request, case, 400, intervention_form=form)


@login_required
@require_POST
@permissions.guards(Do.CASE_LINK_SIGNALS)
def case_link(request, reference: str):
    _require_personal_access(request.user)
    case = _visible_case(request.user, reference)
    form = forms.LinkSignalsForm(request.POST)
    if form.is_valid():
        try:
            count = services.link_signals(
                user=request.user, case=case,
                signals=_signals_of(request.user, form.cleaned_data["signals"]),
                version=form.cleaned_data["version"])
        except (ValidationError, PermissionDenied, services.StaleVersion) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("%(n)s signaal/signalen gekoppeld.") % {"n": count})
            return redirect("cases:detail", reference=case.reference)
    return _render_case(request, case, 409 if _stale(form) else 400, link_form=form)


@login_required
@require_POST
@permissions.guards(Do.CASE_ADD_SUBJECT)
def case_subject(request, reference: str):
    _require_personal_access(request.user)
    case = _visible_case(request.user, reference)
    form = forms.SubjectForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_subject(user=request.user, case=case, kind=data["kind"],
                                 name=data["name"], role=data["role"],
                                 valid_from=data["valid_from"], kvk_number=data["kvk_number"],
                                 address_register_id=data["address_register_id"],
                                 licence_plate=data["licence_plate"])
        except (ValidationError, PermissionDenied) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Het subject is vastgelegd."))
            return redirect("cases:detail", reference=case.reference)
    return _render_case(request, case, 400, subject_form=form)


@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.CASE_EDIT_PREWEIGH)
def case_preweigh(request, reference: str):
    """Edit the preweegdocument (each save is a new version) or freeze the latest."""
    _require_personal_access(request.user)
    case = _visible_case(request.user, reference)
    latest = case.preweigh_versions.order_by("-number").first()
    if request.method == "POST" and request.POST.get("action") == "freeze":
        try:
            document = services.freeze_preweigh(user=request.user, case=case)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Versie %(n)s is vastgesteld.") % {"n": document.number})
        return redirect("cases:preweigh", reference=case.reference)
    content = preweigh.draft(request.user, case) if latest is None else latest.content
    form = forms.PreweighForm(request.POST or None, initial={"content": content})
    if request.method == "POST" and form.is_valid():
        try:
            document = services.save_preweigh(user=request.user, case=case,
                                              content=form.cleaned_data["content"])
        except (ValidationError, PermissionDenied) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Versie %(n)s is opgeslagen.") % {"n": document.number})
            return redirect("cases:preweigh", reference=case.reference)
    record(user=request.user, action=Action.VIEW, obj=case, purpose=services.PURPOSE_CASE,
           detail="preweegdocument")
    return render(request, "cases/preweigh.html", {
        "case": case, "form": form, "latest": latest, "versions": case.preweigh_versions.all(),
        "can_edit": bool(scope.roles_for_case(request.user, case) & services.EDITOR_ROLES),
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
@permissions.read_only
def case_preweigh_version(request, reference: str, number: int):
    _require_personal_access(request.user)
    case = _visible_case(request.user, reference)
    document = case.preweigh_versions.filter(number=number).first()
    if document is None:
        raise Http404(_("Versie niet gevonden."))
    record(user=request.user, action=Action.VIEW, obj=case, purpose=services.PURPOSE_CASE,
           detail=f"preweegdocument versie {number}")
    return render(request, "cases/preweigh_version.html", {"case": case, "document": document})


@login_required
@permissions.read_only
def intervention_list(request):
    """'Mijn interventies': what is assigned to the user's organisations."""
    _require_personal_access(request.user)
    queryset = (scope.interventions_to_update_for(request.user)
                .select_related("type", "organisation", "case__municipality", "case__theme")
                .annotate(done=CaseWhen(When(status__in=["afgerond", "gestopt"], then=Value(1)),
                                    default=Value(0)))
                .order_by("done", "-planned_on", "-pk"))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    record(user=request.user, action=Action.LIST, object_type="cases.intervention",
           object_ids=[i.pk for i in page.object_list], purpose=services.PURPOSE_INTERVENTION)
    shown = Shown()  # each row names its case
    shown.add(CASE, [i.case_id for i in page.object_list])
    shown.record(user=request.user, purpose=services.PURPOSE_INTERVENTION,
                 detail="casussen van mijn interventies")
    return render(request, "cases/interventions.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.INTERVENTION_REPORT)
def intervention_detail(request, pk: int):
    _require_personal_access(request.user)
    intervention = (scope.interventions_for(request.user)
                    .select_related("type", "organisation", "subject", "case__municipality",
                                    "case__theme", "case__forum", "case__stage")
                    .filter(pk=pk).first())
    if intervention is None:
        raise Http404(_("Interventie niet gevonden."))
    may_update = scope.interventions_to_update_for(request.user).filter(pk=pk).exists()
    initial = {f: getattr(intervention, f) for f in (
        "status", "started_on", "ended_on", "duration_months", "amount_recovered",
        "hours_spent", "result", "version")}
    form = forms.InterventionReportForm(request.POST or None, initial=initial,
                                        intervention=intervention)
    status = 200
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied(_("Deze interventie is niet aan uw organisatie toegewezen."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_intervention(
                    user=request.user, intervention=intervention, version=data["version"],
                    status=data["status"], started_on=data["started_on"],
                    ended_on=data["ended_on"], duration_months=data.get("duration_months"),
                    amount_recovered=data.get("amount_recovered"),
                    hours_spent=data["hours_spent"], result=data["result"])
            except (ValidationError, services.StaleVersion) as exc:
                _error(form, exc)
            else:
                messages.success(request, _("De terugkoppeling is opgeslagen."))
                return redirect("cases:intervention", pk=pk)
        status = 409 if _stale(form) else 400
    record(user=request.user, action=Action.VIEW, obj=intervention,
           purpose=services.PURPOSE_INTERVENTION)
    shown = Shown()  # the case header, and the subject it is about
    shown.add(CASE, [intervention.case_id])
    shown.add(SUBJECT, [intervention.subject_id])
    shown.record(user=request.user, purpose=services.PURPOSE_INTERVENTION,
                 detail=f"casus en subject van interventie {intervention.pk}")
    return render(request, "cases/intervention.html", {
        "intervention": intervention, "form": form, "may_update": may_update,
        "whole_case": scope.may_see_whole_case(request.user, intervention),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.MEETING_CHAIR)
def meeting_list(request):
    _require_personal_access(request.user)
    form = forms.MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.plan_meeting(user=request.user, forum=data["forum"],
                                            held_on=data["held_on"],
                                            attendees=data["attendees"])
        except (ValidationError, PermissionDenied) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Het overleg is gepland."))
            return redirect("cases:meeting", pk=meeting.pk)
    meetings = scope.meetings_for(request.user).select_related("forum")[:100]
    return render(request, "cases/meetings.html", {"form": form, "meetings": meetings},
                  status=400 if form.is_bound and form.errors else 200)


def _visible_meeting(user, pk: int) -> Meeting:
    meeting = scope.meetings_for(user).select_related("forum__kind").filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("Overleg niet gevonden."))
    return meeting


def _agenda(user, meeting: Meeting):
    visible = scope.cases_for(user).values("pk")
    return (meeting.items.filter(case__in=visible)
            .select_related("case__stage", "case__theme", "case__municipality"))


@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.MEETING_CHAIR)
def meeting_detail(request, pk: int):
    """Prepare the meeting: incoming signals to open cases from, the agenda, decisions."""
    _require_personal_access(request.user)
    meeting = _visible_meeting(request.user, pk)
    form = forms.AgendaForm(request.POST or None, user=request.user, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.put_on_agenda(user=request.user, meeting=meeting,
                                   case=form.cleaned_data["case"])
        except (ValidationError, PermissionDenied) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("De casus staat op de agenda."))
            return redirect("cases:meeting", pk=pk)
    items = list(_agenda(request.user, meeting))
    incoming = (scope.signals_for(request.user)
                .filter(municipality__in=meeting.forum.municipalities.all(),
                        status__in=["ontvangen", "in_behandeling"], case_links__isnull=True)
                .select_related("theme", "source_type").order_by("-received_on")[:30])
    incoming = list(incoming)
    record(user=request.user, action=Action.VIEW, obj=meeting, purpose=services.PURPOSE_CASE,
           detail=f"agenda {[i.case.reference for i in items]}"[:500])
    if incoming:
        record(user=request.user, action=Action.LIST, object_type="signals.signal",
               object_ids=[s.pk for s in incoming], purpose=services.PURPOSE_CASE,
               detail=f"binnengekomen signalen voor overleg {meeting.pk}")
    decision_forms = {item.case_id: forms.DecisionForm(
        case=item.case, prefix=f"d{item.pk}",
        initial={"meeting": meeting.pk, "decided_on": min(meeting.held_on, timezone.localdate()),
                 "decided_by": meeting.chair_id})
        for item in items}
    return _render_meeting(request, meeting, form=form, items=items, incoming=incoming,
                           decision_forms=decision_forms)


def _render_meeting(request, meeting: Meeting, *, form, items, incoming, decision_forms,
                    attendance_form=None, status: int | None = None):
    is_chair = services.may_chair(request.user, meeting.forum)
    attendance_form = attendance_form or forms.AttendanceForm(meeting=meeting)
    decisions = list(meeting.decisions.filter(case__in=scope.cases_for(request.user))
                     .select_related("kind", "case", "decided_by"))
    shown = Shown()  # the agenda, the cases the agenda form offers, the decisions' cases
    shown.add(CASE, [i.case_id for i in items])
    if is_chair:  # only the chair is offered the agenda form
        shown.add(CASE, form.fields["case"].queryset.values_list("pk", flat=True))
    shown.add(CASE, [d.case_id for d in decisions])
    shown.record(user=request.user, purpose=services.PURPOSE_CASE,
                 detail=f"casussen bij overleg {meeting.pk}")
    return render(request, "cases/meeting.html", {
        "meeting": meeting, "items": [(i, decision_forms[i.case_id]) for i in items],
        "is_chair": is_chair, "attendance_form": attendance_form,
        "attendance": meeting.attendance.select_related("person", "organisation"),
        "decided_meeting_cases": set(meeting.decisions.values_list("case_id", flat=True)),
        "form": form, "incoming": incoming,
        "decisions": decisions,
    }, status=status or (400 if form.is_bound and form.errors else 200))


@login_required
@require_POST
@permissions.guards(Do.MEETING_CHAIR)
def meeting_attendance(request, pk: int):
    """Record the members present, the chair and guests (optimistic locking on the meeting)."""
    _require_personal_access(request.user)
    meeting = _visible_meeting(request.user, pk)
    form = forms.AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_attendance(user=request.user, meeting=meeting,
                                    people=list(data["present"]), chair=data["chair"],
                                    guests=data["guests"], version=data["version"])
        except (ValidationError, services.StaleVersion) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("De aanwezigheid is vastgelegd."))
            return redirect("cases:meeting", pk=pk)
    items = list(_agenda(request.user, meeting))
    decision_forms = {item.case_id: forms.DecisionForm(case=item.case, prefix=f"d{item.pk}")
                      for item in items}
    record(user=request.user, action=Action.VIEW, obj=meeting, purpose=services.PURPOSE_CASE,
           detail="aanwezigheid (geweigerd)")
    return _render_meeting(request, meeting, form=forms.AgendaForm(user=request.user,
                                                                   meeting=meeting),
                           items=items, incoming=[], decision_forms=decision_forms,
                           attendance_form=form, status=409 if _stale(form) else 400)


@login_required
@require_POST
@permissions.guards(Do.MEETING_CHAIR)
def meeting_unlist(request, pk: int, reference: str):
    """Take a case off the agenda (not once the meeting decided on it)."""
    _require_personal_access(request.user)
    meeting = _visible_meeting(request.user, pk)
    case = _visible_case(request.user, reference)
    try:
        services.remove_from_agenda(user=request.user, meeting=meeting, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De casus is van de agenda gehaald."))
    return redirect("cases:meeting", pk=pk)


@login_required
@permissions.read_only
def meeting_minutes(request, pk: int):
    """Printable minutes (print CSS): attendees, agenda, decisions with reasons."""
    _require_personal_access(request.user)
    meeting = _visible_meeting(request.user, pk)
    items = list(_agenda(request.user, meeting))
    decisions = (meeting.decisions.filter(case__in=scope.cases_for(request.user))
                 .select_related("kind", "case", "decided_by", "recorded_by"))
    record(user=request.user, action=Action.VIEW, obj=meeting, purpose=services.PURPOSE_CASE,
           detail="notulen")
    shown = Shown()
    shown.add(CASE, [i.case_id for i in items])
    shown.add(CASE, [d.case_id for d in decisions])
    shown.record(user=request.user, purpose=services.PURPOSE_CASE,
                 detail=f"casussen in de notulen van overleg {meeting.pk}")
    return render(request, "cases/minutes.html", {
        "meeting": meeting, "items": items, "decisions": decisions,
        "attendance": meeting.attendance.select_related("person", "organisation")})


@login_required
@permissions.read_only
def follow_up(request):
    """Per municipality and period: what happened to the signals and police notices."""
    data = request.GET or None
    if data is None:
        # A user who serves one municipality sees its follow-up at once (default period).
        own = list(scope.municipalities_for(request.user).values_list("code", flat=True)[:2])
        if len(own) == 1:
            data = {"gemeente": own[0]}
    form = forms.FollowUpForm(data, user=request.user)
    result = notice_rows = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            start, end = form.cleaned_data["van"], form.cleaned_data["tot"]
            municipality = form.cleaned_data["gemeente"]
            result = followup.build(request.user, municipality, start, end)
            if scope.sees_personal_data(request.user):
                notices = list(followup.notices(request.user, municipality, start, end)[:500])
                record(user=request.user, action=Action.LIST, object_type="signals.signal",
                       object_ids=[s.pk for s in notices], purpose=services.PURPOSE_CASE,
                       detail=f"opvolging hennepberichten {municipality.code} {start}/{end}")
                notice_rows = [(s, followup.case_rows_for_notice(request.user, s))
                               for s in notices]
                case_ids = sorted({r["case"].pk for _s, rows in notice_rows for r in rows})
                if case_ids:  # their stage, decisions and interventions are shown too
                    record(user=request.user, action=Action.LIST, object_type="cases.case",
                           object_ids=case_ids, purpose=services.PURPOSE_CASE,
                           detail=f"opvolging hennepberichten {municipality.code} "
                                  f"{start}/{end}: casussen")
        else:
            status = 400
    return render(request, "cases/follow_up.html",
                  {"form": form, "result": result, "notice_rows": notice_rows},
                  status=status)
