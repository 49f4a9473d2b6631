"""Filters shared by the signal list page, the CSV export and the API list."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from knooppunt.geo.models import Municipality
from knooppunt.organisations.models import Confidentiality
from knooppunt.taxonomy.models import SourceType, Theme

from .models import Status


class SignalFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    theme = forms.ModelChoiceField(
        Theme.objects.filter(active=True), label=_("Thema"), required=False,
        to_field_name="code", empty_label=_("Alle thema's"),
    )
    source_type = forms.ModelChoiceField(
        SourceType.objects.filter(active=True), label=_("Bron"), required=False,
        to_field_name="code", empty_label=_("Alle bronnen"),
    )
    municipality = forms.ModelChoiceField(
        Municipality.objects.none(), label=_("Gemeente"), required=False, to_field_name="code",
        empty_label=_("Alle gemeenten"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle"))] + Status.choices
    )
    confidentiality = forms.TypedChoiceField(
        label=_("Vertrouwelijkheid"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Alle"))] + Confidentiality.choices,
    )
    received_from = forms.DateField(
        label=_("Ontvangen vanaf"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_until = forms.DateField(
        label=_("Ontvangen tot en met"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, municipalities: QuerySet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities

    def clean(self):
        data = super().clean()
        start: date | None = data.get("received_from")
        end: date | None = data.get("received_until")
        if start and end and start > end:
            raise forms.ValidationError(
                _("De begindatum ligt na de einddatum."), code="invalid_period"
            )
        return data

    def apply(self, queryset: QuerySet) -> QuerySet:
        """Narrow an already scoped queryset; never widens it."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data.get("q"):
            term = data["q"]
            queryset = queryset.filter(
                Q(reference__icontains=term)
                | Q(description__icontains=term)
                | Q(street__icontains=term)
                | Q(postcode__icontains=term.replace(" ", ""))
            )
        if data.get("theme"):
            queryset = queryset.filter(theme=data["theme"])
        if data.get("source_type"):
            queryset = queryset.filter(source_type=data["source_type"])
        if data.get("municipality"):
            queryset = queryset.filter(municipality=data["municipality"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("confidentiality"):
            queryset = queryset.filter(confidentiality=data["confidentiality"])
        if data.get("received_from"):
            queryset = queryset.filter(received_on__gte=data["received_from"])
        if data.get("received_until"):
            queryset = queryset.filter(received_on__lte=data["received_until"])
        return queryset
