"""The filters of the incident list page (/incidenten/): dataset, code, period, area, order.

The form only narrows a queryset the caller took from `organisations.scope` (rows for a
reader, `events_for_aggregates` for a bestuurder); it never widens one. The area is typed
by name with the dashboards' area picker (region, municipality or wijk).
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from knooppunt.dashboards import area_picker
from knooppunt.dashboards.area_picker import AreaPickerInput

from .models import EventDataset, OffenceCode

ORDERINGS = {
    "nieuwste": ("-occurred_on", "-hour", "-id"),
    "oudste": ("occurred_on", "hour", "id"),
    "code": ("offence__code", "-occurred_on", "-id"),
    "gemeente": ("municipality__name", "-occurred_on", "-id"),
}


class EventFilterForm(forms.Form):
    dataset = forms.ModelChoiceField(EventDataset.objects.none(), label=_("Incidentenbestand"),
                                     required=False, to_field_name="code",
                                     empty_label=_("Alle bestanden"))
    code = forms.ChoiceField(label=_("Delict- of incidentcode"), required=False)
    gebied = forms.CharField(label=_("Gebied"), required=False, max_length=200,
                             widget=AreaPickerInput,
                             help_text=_("Veiligheidsregio, gemeente of wijk: typ de naam."))
    van = forms.DateField(label=_("Gepleegd vanaf"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    tot = forms.DateField(label=_("Gepleegd tot en met"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sorteer = forms.ChoiceField(label=_("Volgorde"), required=False, choices=[
        ("nieuwste", _("Nieuwste eerst")), ("oudste", _("Oudste eerst")),
        ("code", _("Op code")), ("gemeente", _("Op gemeente"))])

    def __init__(self, *args, user, datasets: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets
        codes = (OffenceCode.objects.filter(code_list__in=datasets.values("code_list_id"))
                 .order_by("code").values_list("code", "label").distinct())
        self.fields["code"].choices = [("", _("Alle codes"))] + [
            (code, f"{code} {label}" if code != label else label) for code, label in codes]
        self.area_options = area_picker.place_options(user)
        self.fields["gebied"].widget.options = self.area_options

    def clean_gebied(self) -> str:
        return area_picker.clean_place(self.cleaned_data.get("gebied") or "",
                                       self.area_options)

    def clean(self):
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        if start and end and start > end:
            self.add_error("tot", _("Het einde van de periode ligt voor het begin."))
        return data

    def apply(self, queryset: QuerySet) -> QuerySet:
        """Narrow an already scoped queryset (nothing when the form is invalid)."""
        if not self.is_bound:
            return queryset.order_by(*ORDERINGS["nieuwste"])
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data.get("dataset"):
            queryset = queryset.filter(dataset=data["dataset"])
        if data.get("code"):
            queryset = queryset.filter(offence__code=data["code"])
        area = data.get("gebied") or ""
        if area.startswith("WK"):
            queryset = queryset.filter(district__code=area)
        elif area.startswith("GM"):
            queryset = queryset.filter(municipality__code=area)
        elif area.startswith("VR"):
            queryset = queryset.filter(municipality__safety_region__code=area)
        if data.get("van"):
            queryset = queryset.filter(occurred_on__gte=data["van"])
        if data.get("tot"):
            queryset = queryset.filter(occurred_on__lte=data["tot"])
        return queryset.order_by(*ORDERINGS[data.get("sorteer") or "nieuwste"])
