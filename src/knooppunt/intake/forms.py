"""The upload form: which profile, on behalf of which organisation, which file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from knooppunt.organisations import scope

from .models import DeliveryProfile

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class DeliveryForm(forms.Form):
    profile = forms.ModelChoiceField(
        DeliveryProfile.objects.filter(active=True), label=_("Soort aanlevering"),
        help_text=_("Bepaalt welke kolommen Knooppunt in uw bestand verwacht."),
    )
    organisation = forms.ModelChoiceField(
        queryset=None, label=_("Namens organisatie"),
    )
    file = forms.FileField(
        label=_("Bestand"), help_text=_("CSV (elk scheidingsteken, UTF-8 of Windows-1252) of "
                                        "Excel (XLSX)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = scope.organisations_for_create(user)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 200 MB."))
        if upload.size == 0:
            raise forms.ValidationError(_("Het bestand is leeg."))
        return upload

    def clean(self):
        data = super().clean()
        profile, organisation = data.get("profile"), data.get("organisation")
        if profile and organisation and not profile_allows(profile, organisation):
            raise forms.ValidationError(
                _("Dit soort aanlevering is niet voor uw soort organisatie."),
                code="profile_not_for_organisation",
            )
        return data


def profile_allows(profile, organisation) -> bool:
    """A profile tied to a kind of organisation (e.g. netbeheerder) is only for that kind."""
    return not profile.organisation_kind or profile.organisation_kind == organisation.kind
