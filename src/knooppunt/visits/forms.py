"""The form that records a visit step on the vulnerable-places page (Dutch messages)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Outcome, Step


class VisitForm(forms.Form):
    place = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62,
                               error_messages={"required": _("Kies een plek."),
                                               "invalid": _("Kies een plek.")})
    step = forms.ChoiceField(label=_("Stap"), choices=Step.choices,
                             error_messages={"required": _("Kies een stap."),
                                             "invalid_choice": _("Kies een stap uit de "
                                                                 "lijst.")})
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=Outcome.choices, required=False,
                                error_messages={"invalid_choice": _("Kies een uitkomst uit "
                                                                    "de lijst.")})
    on = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}),
                         error_messages={"required": _("Geef de datum."),
                                         "invalid": _("Geef een geldige datum "
                                                      "(JJJJ-MM-DD).")})
