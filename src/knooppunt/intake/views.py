"""Delivery pages: upload, history (own organisations only) and detail with its error report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from knooppunt.audit.log import PURPOSE_PARTNER_DELIVERY, Action, record
from knooppunt.organisations import permissions, scope
from knooppunt.organisations.permissions import Action as Do

from .forms import DeliveryForm, upload_source
from .models import Delivery
from .submit import submit

ERRORS_SHOWN = 500


def deliveries_for(user):
    """Deliveries of the organisations the user may deliver for."""
    return Delivery.objects.filter(
        organisation__in=scope.organisations_for_create(user)
    ).select_related("profile", "organisation")


def may_see_error_values(user, delivery: Delivery) -> bool:
    """Cell values in an error report may come from rows of any confidentiality: only the
    person who delivered and colleagues cleared up to RIEC see them; others see the line,
    column and reason (rule in `organisations.permissions`)."""
    return permissions.may(user, Do.DELIVERY_ERROR_VALUES, delivery)


def _require_deliverer(user) -> None:
    if not scope.organisations_for_create(user).exists():
        raise PermissionDenied(_("U mag geen aanleveringen doen of inzien."))


@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.DELIVERY_SUBMIT)
def delivery_list(request):
    _require_deliverer(request.user)
    form = DeliveryForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        delivery = submit(
            profile=form.cleaned_data["profile"],
            organisation=form.cleaned_data["organisation"],
            user=request.user, data=upload_source(upload), filename=upload.name, channel="web",
        )
        messages.info(request, _("Uw bestand is ontvangen."))
        return redirect("intake:detail", pk=delivery.pk)
    page = Paginator(deliveries_for(request.user), 25).get_page(request.GET.get("pagina"))
    return render(request, "intake/list.html", {"form": form, "page": page})


def _visible(request, pk: int) -> Delivery:
    _require_deliverer(request.user)
    delivery = deliveries_for(request.user).filter(pk=pk).first()
    if delivery is None:
        raise Http404(_("Aanlevering niet gevonden."))
    return delivery


@login_required
@permissions.read_only
def delivery_detail(request, pk: int):
    delivery = _visible(request, pk)
    errors = list(delivery.errors.all()[:ERRORS_SHOWN])
    record(user=request.user, action=Action.VIEW, obj=delivery,
           purpose=PURPOSE_PARTNER_DELIVERY, detail="foutrapport aanlevering")
    return render(request, "intake/detail.html",
                  {"delivery": delivery, "errors": errors, "errors_shown": ERRORS_SHOWN,
                   "show_values": may_see_error_values(request.user, delivery)})


@login_required
@permissions.read_only
def delivery_progress(request, pk: int):
    """The progress block alone, polled by htmx until the delivery is finished."""
    delivery = _visible(request, pk)
    response = render(request, "intake/_progress.html", {"delivery": delivery})
    if delivery.is_finished and request.htmx:
        response["HX-Refresh"] = "true"  # show the full report once it is done
    return response
