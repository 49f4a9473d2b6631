"""The vulnerable-places page (`/kwetsbare-plekken/`, seed 001 module 5).

A list reader (`scope.vulnerable_place_municipalities`: coordinator or analist of the
municipality or the RIEC) gets the places of one municipality's buitengebied ranked by
their score, each with its factors and their contributions, the validation table beside
the list and, where they may record visits, a form per place (POST, CSRF) that appends a
step to the place's history. Every other user gets the counts per municipality of
`vulnerability_service.aggregates`, no address. The list shown is logged (LIST).
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from knooppunt.analytics import vulnerability_service as service
from knooppunt.analytics.vulnerability.validation import KDE, METHODS, MODEL, PRIOR, SHARES
from knooppunt.organisations import permissions, scope
from knooppunt.visits import services as visits
from knooppunt.visits.forms import VisitForm
from knooppunt.visits.models import Outcome, Step

LIST_LENGTH = 50


def _method_label(method: str) -> str:
    return {MODEL: _("Model (Poisson met straf)"), PRIOR: _("Eerdere aantallen"),
            KDE: _("Kerndichtheid")}[method]


def _english() -> bool:
    return (translation.get_language() or "nl").startswith("en")


def validation_rows(validation) -> list[dict]:
    rows = []
    for method in METHODS:
        cells = [validation.score(method, share) for share in SHARES]
        rows.append({"method": _method_label(method), "is_model": method == MODEL,
                     "cells": cells})
    return rows


def factor_rows(model) -> list[dict]:
    english = _english()
    return [{"label": f.label_en if english else f.label_nl,
             "unit": f.unit_en if english else f.unit_nl, "rr": rr}
            for f, rr in model.relative_risks()]


# How the model's transformed factor values (log2 of the floor area, log2(1 + count),
# 0/1 flags, km) read for a person: back in the units of the place itself.
YES_NO = ("storage_use", "vacant", "energy_anomaly", "visited_no_findings")
COUNTS = ("signals_nearby", "events_nearby", "companies", "earlier_findings")


def shown_value(key: str, value: float) -> str:
    """A factor's value as the place has it: "ja"/"nee", a count, m² or km."""
    from django.utils.formats import number_format

    if key in YES_NO:
        return _("ja") if value >= 0.5 else _("nee")
    if key in COUNTS:
        return number_format(round(2 ** value - 1))
    if key == "size":
        return f"{number_format(round(2 ** value))} m²"
    if key == "lab_dump_distance":
        return f"{number_format(value, 1)} km"
    return number_format(value, 2)


def place_rows(analysis, indices: list[int], latest: dict) -> list[dict]:
    english = _english()
    rows = []
    for rank, index in enumerate(indices, start=1):
        place = analysis.places[index]
        explained = analysis.explain(index)
        reasons = sorted(
            ({"label": f.label_en if english else f.label_nl, "value": value,
              "shown": shown_value(f.key, value), "times": times}
             for f, value, times in explained.contributions
             if abs(math.log(times)) >= math.log(1.1)),
            key=lambda r: -abs(math.log(r["times"])))
        rows.append({"rank": rank, "place": place, "score": explained.score,
                     "reasons": reasons, "visit": latest.get(place.address_id)})
    return rows


def _render_list(request: HttpRequest, municipality, form=None, status: int = 200,
                 focus: int | None = None) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    analysis = service.analyse(user, municipality, today)
    indices = analysis.ranked()[:LIST_LENGTH]
    if focus is not None and focus not in [analysis.places[i].address_id for i in indices]:
        indices += [i for i, p in enumerate(analysis.places) if p.address_id == focus]
    latest = service.latest_visits(municipality, [analysis.places[i].address_id
                                                  for i in indices])
    if indices:
        service.log_list(user, analysis, indices)
    context = {
        "municipality": municipality,
        "choices": scope.vulnerable_place_municipalities(user).order_by("name"),
        "analysis": analysis,
        "rows": place_rows(analysis, indices, latest),
        "validation": analysis.validation,
        "validation_rows": validation_rows(analysis.validation) if analysis.validation
        else [],
        "factors": factor_rows(analysis.model) if analysis.model else [],
        "shares": [round(s * 100) for s in SHARES],
        "may_visit": permissions.may(user, permissions.Action.PLACE_VISIT, municipality),
        "steps": Step.choices, "outcomes": Outcome.choices, "today": today,
        "form": form, "focus": focus,
    }
    return render(request, "web/vulnerable_places.html", context, status=status)


@login_required
@permissions.guards(permissions.Action.PLACE_VISIT)
def vulnerable_places(request: HttpRequest) -> HttpResponse:
    user = request.user
    readable = scope.vulnerable_place_municipalities(user).order_by("name")
    if request.method == "POST":
        return _record(request)
    if request.method not in ("GET", "HEAD"):
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not readable.exists():
        return render(request, "web/vulnerable_places_aggregates.html",
                      {"figures": service.aggregates(user, timezone.localdate())})
    code = request.GET.get("gemeente", "").strip()[:6].upper()
    municipality = readable.filter(code=code).first() if code else readable.first()
    if municipality is None:
        return render(request, "web/vulnerable_places.html", {
            "choices": readable, "error": _("U kunt de lijst van deze gemeente niet "
                                            "inzien.")}, status=403)
    return _render_list(request, municipality)


def _record(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = VisitForm(request.POST)
    today = timezone.localdate()
    if not form.is_valid():
        municipality = scope.vulnerable_place_municipalities(user).order_by("name").first()
        if municipality is None:
            return render(request, "web/error.html", {"message": _(
                "U mag geen bezoeken vastleggen.")}, status=403)
        return _render_list(request, municipality, form=form, status=400)
    data = form.cleaned_data
    try:
        visit = visits.record_visit(user, address_id=data["place"], step=data["step"],
                                    outcome=data["outcome"] or "", on=data["on"],
                                    today=today, score=service.score_of(user, data["place"], today))
    except visits.VisitRefused as refused:
        municipality = scope.vulnerable_place_municipalities(user).order_by("name").first()
        if municipality is None or refused.status == 403:
            return render(request, "web/error.html", {"message": refused.message},
                          status=refused.status)
        form.add_error(None, refused.message)
        return _render_list(request, municipality, form=form, status=refused.status)
    messages.success(request, _("Vastgelegd: %(step)s op %(date)s.") % {
        "step": visit.get_step_display(), "date": visit.on.strftime("%d-%m-%Y")})
    return redirect(f"{reverse('web:vulnerable_places')}?gemeente={visit.municipality.code}"
                    f"#plek-{visit.address_id}")

