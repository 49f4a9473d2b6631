"""/dashboard/hotspots/: the analyst's hotspot map (server-rendered SVG, method under it).

A GET form (area, theme, source, period, cell size, kernel, optional time step) feeds
`analytics.hotspot_service.compute`, the same service as `/api/v1/hotspots`; the map shows
the Gi* classes, a table the number of cells per class (and per emerging category), and
the method text. The interactive map takes the API's GeoJSON as a layer.
"""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from knooppunt.analytics import hotspot_request
from knooppunt.analytics import hotspot_service as service
from knooppunt.analytics.hotspots import CELL_SIZES, GAUSSIAN, QUARTIC
from knooppunt.charts.hotspot_map import CLASS_FILLS, class_labels, hotspot_map_svg
from knooppunt.organisations import permissions, scope
from knooppunt.taxonomy.models import SourceType, Theme

from . import area_picker
from .area_picker import AreaPickerInput


def area_choices(user) -> list[tuple[str, str]]:
    """The user's municipalities, and the safety regions they serve entirely."""
    from knooppunt.geo.models import Municipality

    served = list(scope.municipalities_for(user).exclude(boundary__isnull=True)
                  .select_related("safety_region").order_by("name"))
    per_region: dict[int, int] = {}
    for m in served:
        if m.safety_region_id:
            per_region[m.safety_region_id] = per_region.get(m.safety_region_id, 0) + 1
    totals = dict(Municipality.objects.filter(safety_region_id__in=per_region)
                  .values("safety_region_id").annotate(n=Count("pk"))
                  .values_list("safety_region_id", "n"))
    regions = {m.safety_region.code: m.safety_region.name for m in served
               if m.safety_region_id and per_region[m.safety_region_id] == totals.get(
                   m.safety_region_id)}
    return ([(code, name) for code, name in sorted(regions.items(), key=lambda i: i[1])]
            + [(m.code, m.name) for m in served])


def place_options(user) -> list[area_picker.Option]:
    """The hotspot page's area picker: `area_choices` and the wijken (with a boundary) of
    the user's municipalities, each by name."""
    from knooppunt.geo.models import District

    choices = [area_picker.Option(code, name) for code, name in area_choices(user)]
    wijken = (District.objects.filter(municipality__in=scope.municipalities_for(user))
              .exclude(boundary__isnull=True).order_by("name", "code")
              .values_list("code", "name", "municipality__name"))
    return choices + [area_picker.Option(code, f"{name} ({municipality})")
                      for code, name, municipality in wijken]


def event_datasets(user):
    """The incident datasets in RD New the user may take hotspots of: those they read one
    by one, or for a bestuurder who counts events those with events in their area."""
    from knooppunt.events.models import EventDataset

    if scope.sees_personal_data(user):
        found = scope.event_datasets_for(user)
    elif scope.counts_events(user):
        found = EventDataset.objects.filter(
            pk__in=scope.events_for_aggregates(user).values("dataset_id"))
    else:
        return EventDataset.objects.none()
    return found.filter(crs=RD_NEW).select_related("code_list").order_by("name")


RD_NEW = 28992
SIGNALS, EVENTS = hotspot_request.PAGE_POINTS["signals"], hotspot_request.PAGE_POINTS["events"]


class HotspotForm(forms.Form):
    gebied = forms.CharField(label=gettext_lazy("Gebied"), max_length=200,
                             widget=AreaPickerInput,
                             help_text=gettext_lazy("Veiligheidsregio, gemeente of wijk: "
                                                    "typ de naam en kies uit de lijst."))
    punten = forms.ChoiceField(label=gettext_lazy("Gegevens"), required=False,
                               choices=[(SIGNALS, gettext_lazy("Signalen"))])
    thema = forms.ChoiceField(label=gettext_lazy("Thema (signalen)"), required=False)
    bron = forms.ChoiceField(label=gettext_lazy("Bron (signalen)"), required=False)
    dataset = forms.ChoiceField(label=gettext_lazy("Incidentenbestand"), required=False)
    code = forms.ChoiceField(label=gettext_lazy("Delict- of incidentcode"), required=False)
    van = forms.DateField(label=gettext_lazy("Van"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label=gettext_lazy("Tot en met"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    cel = forms.TypedChoiceField(label=gettext_lazy("Celgrootte"), coerce=int,
                                 choices=[(s, f"{s} m") for s in CELL_SIZES], initial=250,
                                 required=False)
    kern = forms.ChoiceField(label=gettext_lazy("Kern (dichtheid)"), required=False,
                             choices=[(QUARTIC, gettext_lazy("quartisch")),
                                      (GAUSSIAN, gettext_lazy("Gauss"))])
    stap = forms.ChoiceField(label=gettext_lazy("Opkomende hotspots per"), required=False,
                             choices=[("", gettext_lazy("(niet berekenen)")),
                                      ("month", gettext_lazy("maand")),
                                      ("quarter", gettext_lazy("kwartaal")),
                                      ("year", gettext_lazy("jaar"))])

    def __init__(self, *args, user, **kwargs) -> None:
        from knooppunt.events.models import OffenceCode

        super().__init__(*args, **kwargs)
        self.area_options = place_options(user)
        self.fields["gebied"].widget.options = self.area_options
        everything = [("", _("alle"))]
        self.fields["thema"].choices = everything + [(t.code, str(t)) for t in
                                                     Theme.objects.order_by("code")]
        self.fields["bron"].choices = everything + [(s.code, str(s)) for s in
                                                    SourceType.objects.order_by("code")]
        datasets = list(event_datasets(user))
        # Blank first: a form sent with points = signals must not carry a dataset.
        self.fields["dataset"].choices = [("", _("(bij politie-incidenten)"))] + [
            (d.code, d.name) for d in datasets]
        if datasets:
            self.fields["punten"].choices += [(EVENTS, _("Politie-incidenten"))]
            codes = (OffenceCode.objects.filter(code_list__in=[d.code_list_id for d in datasets])
                     .order_by("code").values_list("code", "label").distinct())
            self.fields["code"].choices = everything + [
                (code, f"{code} {label}" if code != label else label) for code, label in codes]
        else:
            for name in ("dataset", "code"):
                del self.fields[name]

    def clean_gebied(self) -> str:
        code = area_picker.clean_place(self.cleaned_data.get("gebied") or "",
                                       self.area_options)
        if code not in {o.code for o in self.area_options}:
            raise forms.ValidationError(_("Kies een gebied uit de lijst: een "
                                          "veiligheidsregio, gemeente of wijk van uw "
                                          "organisatie."))
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("Het einde van de periode ligt voor het begin."))
        if data.get("punten") == EVENTS:
            if not data.get("dataset"):
                self.add_error("dataset", _("Kies het incidentenbestand."))
            for name in ("thema", "bron"):
                if data.get(name):
                    self.add_error(name, _("Thema en bron gelden alleen voor signalen."))
        elif data.get("dataset") or data.get("code"):
            self.add_error("punten", _("Kies Politie-incidenten om een incidentenbestand of "
                                       "code te gebruiken."))
        return data


@login_required
@require_GET
@permissions.read_only
def hotspots(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = _form(request, user)
    context: dict[str, object] = {"form": form}
    if not form.is_bound:
        return render(request, "dashboards/hotspots.html", context)
    if not form.is_valid():
        return render(request, "dashboards/hotspots.html", context, status=400)
    data = form.cleaned_data
    query = hotspot_request.from_page(data, service.default_period(timezone.localdate()))
    try:
        answer = service.compute(user, query)
    except service.HotspotError as error:
        context["error"] = str(error)
        return render(request, "dashboards/hotspots.html", context, status=error.status)
    result = answer.result
    x, y = result.grid.corners()
    title = _("Hotspots in %(area)s, %(start)s – %(end)s") % {
        "area": answer.area.name, "start": query.start.strftime("%d-%m-%Y"),
        "end": query.end.strftime("%d-%m-%Y")}
    context.update({
        "answer": answer,
        "title": title,
        "map": mark_safe(hotspot_map_svg(  # noqa: S308 - escaped inside
            answer.area.geometry, x, y, result.grid.cell_size, result.gi.classes,
            title=title, description=answer.method_text)),
        "class_rows": [(label, CLASS_FILLS.get(value, ""), int((result.gi.classes == value)
                                                                .sum()))
                       for value, label in class_labels()],
        "categories": _category_rows(result),
        # The map's hotspot layer with the same request (its form reads these back).
        "map_query": urlencode({"hotspots": "1", **hotspot_request.page_params(query)}),
    })
    return render(request, "dashboards/hotspots.html", context)


def _form(request: HttpRequest, user) -> HotspotForm:
    """The page's form: sent (its `gebied` field is in every sending, also empty), or
    opened by a link that only presets choices (the incidents list's "Hotspots van
    incidenten": `?punten=incidenten`, with the list's dataset and code when it had them).
    Such a link gets the form with those choices and nothing marked wrong, where a bound
    form would refuse the area nobody asked for yet; a user who reads one incidents
    dataset finds it chosen."""
    params = request.GET
    if not params or "gebied" in params:
        return HotspotForm(params or None, user=user)
    form = HotspotForm(user=user)
    initial = {name: value for name, value in params.items() if name in form.fields}
    datasets = ([code for code, _label in form.fields["dataset"].choices if code]
                if "dataset" in form.fields else [])
    if initial.get("punten") == EVENTS and not initial.get("dataset") and len(datasets) == 1:
        initial["dataset"] = datasets[0]
    form.initial = initial
    return form


def _category_rows(result) -> list[tuple[str, int]]:
    if result.emerging is None:
        return []
    names, counts = np.unique(result.emerging.category, return_counts=True)
    return [(str(n), int(c)) for n, c in zip(names, counts, strict=True) if n != "none"]
