"""Signal pages: list with filters, detail with history, registration, status, export.

Every queryset starts from `scope.signals_for`; every page that shows signals writes
to the processing log.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from knooppunt.audit.log import PURPOSE_EXPORT, PURPOSE_SIGNAL_HANDLING, Action, record
from knooppunt.audit.shown import CASE, SIGNAL, Shown
from knooppunt.geo.models import Municipality
from knooppunt.organisations import permissions, scope
from knooppunt.organisations.permissions import Action as Do

from . import address_fix, relations, services
from .filters import SignalFilterForm
from .forms import AddressCorrectionForm, AddressQueueFilterForm, SignalForm, StatusChangeForm
from .models import AddressStatus, Signal, SignalRelation, StatusChange

PAGE_SIZE = 25
EXPORT_LIMIT = 50_000


def _require_personal_access(user) -> None:
    if not scope.sees_personal_data(user):
        raise PermissionDenied(
            _("Uw rol geeft alleen toegang tot geaggregeerde cijfers, niet tot signalen.")
        )


def _scoped(user):
    return scope.signals_for(user).select_related(
        "theme", "source_type", "municipality", "reporting_organisation", "district",
        "neighbourhood",
    )


def _get_visible(user, reference: str) -> Signal:
    signal = _scoped(user).filter(reference=reference).first()
    if signal is None:
        # Same answer for "does not exist" and "not yours": no existence oracle.
        raise Http404(_("Signaal niet gevonden."))
    return signal


def _logged_page(request, queryset, detail: str):
    """One page of signals, written to the processing log as a list view."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    record(
        user=request.user,
        action=Action.LIST,
        object_type="signals.signal",
        object_ids=[s.pk for s in page.object_list],
        purpose=PURPOSE_SIGNAL_HANDLING,
        detail=detail[:500],
    )
    return page


def _filtered(request):
    """The filter form from the URL and the user's scoped signals narrowed by it."""
    form = SignalFilterForm(
        request.GET or None, municipalities=scope.municipalities_for(request.user)
    )
    queryset = _scoped(request.user)
    if request.GET:
        queryset = form.apply(queryset)
    return form, queryset


@login_required
@permissions.read_only
def signal_list(request):
    _require_personal_access(request.user)
    form, queryset = _filtered(request)
    page = _logged_page(request, queryset, request.GET.urlencode())
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    partial = request.htmx and not request.htmx.history_restore_request
    template = "signals/_table.html" if partial else "signals/list.html"
    return render(request, template, context)


def _render_detail(request, signal: Signal, address_form: AddressCorrectionForm | None = None,
                   status: int = 200):
    record(user=request.user, action=Action.VIEW, obj=signal, purpose=PURPOSE_SIGNAL_HANDLING)
    cases = list(scope.cases_of_signal(request.user, signal))
    if cases:
        record(user=request.user, action=Action.LIST, object_type="cases.case",
               object_ids=[c.pk for c in cases], purpose=PURPOSE_SIGNAL_HANDLING,
               detail=f"casussen van signaal {signal.reference}")
    prefetch_related_objects(
        [signal], Prefetch("history", queryset=StatusChange.objects.select_related("changed_by")))
    history = signal.status_history
    linked = relations.visible_relations(request.user, signal)
    shown = Shown()  # beside the signal: linked signals, cases its status notes name
    shown.add(SIGNAL, [other.pk for _relation, other in linked])
    shown.add_named(h.note for h in history)
    shown.record(user=request.user, purpose=PURPOSE_SIGNAL_HANDLING,
                 detail=f"gekoppeld aan of genoemd bij signaal {signal.reference}",
                 leave_out={SIGNAL: [signal.pk], CASE: [c.pk for c in cases]})
    may_change = permissions.may(request.user, Do.SIGNAL_CHANGE_STATUS, signal)
    # A page offers only what the user may do: no status form, no address correction and
    # no merge/unlink buttons on another organisation's signal.
    status_form = StatusChangeForm(current_status=signal.status) if may_change else None
    if not may_change:
        address_form = None
    elif address_form is None and signal.address_status == AddressStatus.UNRESOLVED:
        address_form = AddressCorrectionForm(initial={
            "postcode": signal.postcode,
            "house_number": signal.house_number,
            "house_letter": signal.house_letter,
            "house_number_addition": signal.house_number_addition,
            "street": signal.street,
            "city": signal.city,
        })
    return render(
        request,
        "signals/detail.html",
        {"signal": signal, "history": history, "status_form": status_form,
         "address_form": address_form, "may_change": may_change,
         "relations": [
             (relation, other, may_change and permissions.may(
                 request.user, Do.SIGNAL_RELATE, signal, other=other))
             for relation, other in linked],
         "cases": cases},
        status=status,
    )


@login_required
@permissions.read_only
def signal_detail(request, reference: str):
    _require_personal_access(request.user)
    signal = _get_visible(request.user, reference)
    return _render_detail(request, signal)


@login_required
@permissions.read_only
def address_queue(request):
    """Adressen controleren: visible signals whose address the register did not find."""
    _require_personal_access(request.user)
    unresolved = address_fix.unresolved_for(request.user)
    municipalities = Municipality.objects.filter(
        pk__in=unresolved.values("municipality_id")
    ).order_by("name")
    form = AddressQueueFilterForm(request.GET or None, municipalities=municipalities)
    chosen = None
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data.get("gemeente")
    queryset = address_fix.unresolved_for(request.user, chosen)
    page = _logged_page(
        request, queryset, f"adressen controleren; {request.GET.urlencode()}"
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "signals/addresses.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_POST
@permissions.guards(Do.SIGNAL_CORRECT_ADDRESS)
def signal_address(request, reference: str):
    """Correct the address of an unresolved signal and look it up again."""
    _require_personal_access(request.user)
    signal = _get_visible(request.user, reference)
    form = AddressCorrectionForm(request.POST)
    if form.is_valid():
        try:
            result = address_fix.correct_address(
                user=request.user, signal=signal, correction=form.correction()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if result.resolved:
                messages.success(request, _(
                    "Het adres is gevonden in de adresregistratie. Straat, woonplaats, "
                    "locatie, wijk en buurt zijn bijgewerkt."
                ))
            else:
                messages.warning(request, _(
                    "Het gecorrigeerde adres is opgeslagen, maar staat niet in de "
                    "adresregistratie. Het adres blijft gemarkeerd als niet gevonden."
                ))
            return redirect("signals:detail", reference=signal.reference)
    return _render_detail(request, signal, address_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.SIGNAL_CREATE)
def signal_create(request):
    if not permissions.may(request.user, Do.SIGNAL_CREATE):
        raise PermissionDenied(_("Uw rol mag geen signalen registreren."))
    form = SignalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            signal = form.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Signaal %(ref)s is geregistreerd.") % {"ref": signal.reference}
            )
            return redirect("signals:detail", reference=signal.reference)
    status = 400 if request.method == "POST" else 200
    return render(request, "signals/form.html", {"form": form}, status=status)


@login_required
@require_POST
@permissions.guards(Do.SIGNAL_CHANGE_STATUS)
def signal_status(request, reference: str):
    _require_personal_access(request.user)
    signal = _get_visible(request.user, reference)
    form = StatusChangeForm(request.POST, current_status=signal.status)
    if form.is_valid():
        try:
            services.change_status(
                user=request.user,
                signal=signal,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status gewijzigd."))
    else:
        errors = [str(e) for errs in form.errors.values() for e in errs]
        messages.error(request, _("Status niet gewijzigd: %(err)s") % {"err": " ".join(errors)})
    return redirect("signals:detail", reference=signal.reference)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> str:
    """Stop spreadsheet programs from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@login_required
@permissions.read_only
def signal_export(request):
    _require_personal_access(request.user)
    form, queryset = _filtered(request)
    rows = list(queryset[:EXPORT_LIMIT])
    record(
        user=request.user,
        action=Action.EXPORT,
        object_type="signals.signal",
        object_ids=[s.pk for s in rows],
        purpose=PURPOSE_EXPORT,
        detail=f"csv; filters: {request.GET.urlencode()}"[:500],
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="signalen.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM.
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("kenmerk"), _("ontvangen"), _("thema"), _("bron"), _("gemeente"), _("adres"),
         _("status"), _("vertrouwelijkheid"), _("meldende organisatie"), _("omschrijving")]
    )
    for s in rows:
        writer.writerow(
            [neutralise_cell(v) for v in (
                s.reference, s.received_on.isoformat(), s.theme.name, s.source_type.name,
                s.municipality.name, s.address_line, s.get_status_display(),
                s.get_confidentiality_display(), s.reporting_organisation.name, s.description,
            )]
        )
    return response


@login_required
@require_POST
@permissions.guards(Do.SIGNAL_RELATE)
def signal_relation(request, reference: str, relation_id: int):
    """Merge or unlink a linked signal, with a reason."""
    _require_personal_access(request.user)
    signal = _get_visible(request.user, reference)
    relation = SignalRelation.objects.filter(pk=relation_id).filter(
        Q(from_signal=signal) | Q(to_signal=signal)
    ).first()
    if relation is None:
        raise Http404(_("Koppeling niet gevonden."))
    action = request.POST.get("action")
    note = request.POST.get("note", "")
    try:
        if action == "merge":
            relations.merge(user=request.user, relation=relation, note=note)
            messages.success(request, _("Signalen samengevoegd."))
        elif action == "unlink":
            relations.unlink(user=request.user, relation=relation, note=note)
            messages.success(request, _("Koppeling verwijderd."))
        else:
            messages.error(request, _("Onbekende handeling."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("signals:detail", reference=signal.reference)
