"""Pages under /rapportages/: choose and make a report, read it, download the PDF.

A report the user may not read answers 404, like one that does not exist; a user
whose role makes no reports at all gets 403 on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knooppunt.organisations import permissions
from knooppunt.organisations.permissions import Action as Do

from . import access, services
from . import schedules as schedule_services
from .forms import ReportForm, ScheduleForm


@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.REPORT_MAKE)
def index(request: HttpRequest) -> HttpResponse:
    """The form and the list of reports the user may read."""
    # A link such as the area scan's "print" (…?soort=gebiedsscan&gebied=WK…) chooses the
    # kind and the area in advance; the person still picks the period and presses the button.
    initial = {key: request.GET[key][:40] for key in ("soort", "gebied") if key in request.GET}
    form = ReportForm(request.POST if request.method == "POST" else None, user=request.user,
                      initial=initial)
    if not form.builders:
        raise PermissionDenied(_("Uw rol maakt geen rapportages."))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            report = services.generate(request.user, data["builder"].code,
                                       data["subject"].code, data["period"].code,
                                       language=get_language() or "nl", theme=data["theme"],
                                       texts=data["texts"])
            return redirect("reports:detail", pk=report.pk)
        status = 400
    reports = services.readable(request.user)
    services.log_listed(request.user, reports)
    return render(request, "reports/index.html", {
        "form": form, "reports": reports,
        "may_schedule": permissions.may(request.user, Do.REPORT_SCHEDULE)}, status=status)


def _open(request: HttpRequest, pk: int, *, download: bool = False):
    try:
        return services.open_report(request.user, pk, download=download)
    except LookupError as error:
        raise Http404(_("Rapportage niet gevonden.")) from error


@login_required
@require_GET
@permissions.read_only
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored report in the site layout, with its download and print links."""
    report = _open(request, pk)
    return render(request, "reports/detail.html", {"report": report})


@login_required
@require_GET
@permissions.read_only
def printable(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored report on its own page, for printing from the browser."""
    report = _open(request, pk)
    return render(request, "reports/printable.html", {"report": report})


@login_required
@require_GET
@permissions.read_only
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _open(request, pk, download=True)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
@permissions.guards(Do.REPORT_MAKE)
def for_signal(request: HttpRequest, pk: int) -> HttpResponse:
    """"Bestuurlijke rapportage maken" on a signal's page: the running year's state of
    affairs, for a coordinator or case worker of its municipality (404 for anyone else,
    403 for a role that never makes it, as in the API)."""
    from .builders.brl import CODE
    from .periods import PeriodKind, ReportPeriod

    period = ReportPeriod(PeriodKind.YEAR, timezone.localdate().year, 1)
    try:
        report = services.generate(request.user, CODE, str(pk), period.code,
                                   language=get_language() or "nl")
    except access.NoAccess as error:
        raise PermissionDenied(_("Uw rol maakt geen bestuurlijke rapportage.")) from error
    except access.UnknownSubject as error:
        raise Http404(_("Signaal niet gevonden.")) from error
    return redirect("reports:detail", pk=report.pk)


def _coordinator(request: HttpRequest) -> None:
    if not permissions.may(request.user, Do.REPORT_SCHEDULE):
        raise PermissionDenied(_("Alleen een coördinator plant rapportages in."))


@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.REPORT_SCHEDULE)
def schedules(request: HttpRequest) -> HttpResponse:
    """The coordinator's own schedules and the form for a new one."""
    _coordinator(request)
    form = ScheduleForm(request.POST if request.method == "POST" else None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            schedule_services.create(request.user, form.cleaned_data)
            messages.success(request, _("De rapportage is ingepland."))
            return redirect("reports:schedules")
        status = 400
    return render(request, "reports/schedules.html", {
        "form": form, "schedules": schedule_services.owned(request.user)}, status=status)


@login_required
@require_POST
@permissions.guards(Do.REPORT_SCHEDULE)
def schedule_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause, resume or remove one of the user's own schedules."""
    _coordinator(request)
    action = request.POST.get("actie", "")
    if action not in ("pauzeren", "hervatten", "verwijderen"):
        return HttpResponse(_("Onbekende actie."), status=400)
    if not schedule_services.change(request.user, pk, action):
        raise Http404(_("Planning niet gevonden."))
    return redirect("reports:schedules")


__all__ = ["detail", "for_signal", "index", "pdf", "printable", "schedule_change", "schedules"]
