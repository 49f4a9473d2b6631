"""Pages under /rapportages/: choose and make a report, read it, download the PDF.

A report the user may not read answers 404, like one that does not exist; a user
whose role makes no reports at all gets 403 on the page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .forms import ReportForm


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The form and the list of reports the user may read."""
    form = ReportForm(request.POST if request.method == "POST" else None, user=request.user)
    if not form.builders:
        raise PermissionDenied(_("Uw rol maakt geen rapportages."))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            report = services.generate(request.user, data["builder"].code,
                                       data["subject"].code, data["period"].code,
                                       language=get_language() or "nl")
            return redirect("reports:detail", pk=report.pk)
        status = 400
    return render(request, "reports/index.html", {
        "form": form, "reports": services.readable(request.user)}, status=status)


def _open(request: HttpRequest, pk: int, *, download: bool = False):
    try:
        return services.open_report(request.user, pk, download=download)
    except LookupError as error:
        raise Http404(_("Rapportage niet gevonden.")) from error


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored report in the site layout, with its download and print links."""
    report = _open(request, pk)
    return render(request, "reports/detail.html", {"report": report})


@login_required
@require_GET
def printable(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored report on its own page, for printing from the browser."""
    report = _open(request, pk)
    return render(request, "reports/printable.html", {"report": report})


@login_required
@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _open(request, pk, download=True)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = ["detail", "index", "pdf", "printable"]
