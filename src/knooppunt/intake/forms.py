"""The upload form: which profile, on behalf of which organisation, which file."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunt.organisations import permissions, scope

from .models import DeliveryProfile


def max_upload_bytes() -> int:
    """The configured cap (setting KNOOPPUNT_MAX_UPLOAD_BYTES, 200 MB by default)."""
    return int(getattr(settings, "KNOOPPUNT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))


def too_large_message() -> str:
    return _("Het bestand is groter dan %(mb)s MB.") % {
        "mb": f"{max_upload_bytes() / (1024 * 1024):g}"}


def upload_source(upload) -> bytes | str:
    """What `submit` reads: the temporary file Django streamed a large upload to (never
    read whole into memory), or the bytes of a small upload held in memory."""
    if hasattr(upload, "temporary_file_path"):
        return upload.temporary_file_path()
    upload.seek(0)
    return upload.read()


class DeliveryForm(forms.Form):
    profile = forms.ModelChoiceField(
        DeliveryProfile.objects.filter(active=True), label=gettext_lazy("Soort aanlevering"),
        error_messages={"invalid_choice": gettext_lazy(
            "Dit soort aanlevering is niet voor uw soort organisatie.")},
        help_text=gettext_lazy("Bepaalt welke kolommen Knooppunt in uw bestand verwacht."),
    )
    organisation = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Namens organisatie"),
    )
    file = forms.FileField(
        label=gettext_lazy("Bestand"),
        help_text=gettext_lazy("CSV (elk scheidingsteken, UTF-8 of Windows-1252) of "
                               "Excel (XLSX)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = scope.organisations_for_create(user)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.user = user
        # Offer only the profiles whose source and level the user may register.
        self.fields["profile"].queryset = DeliveryProfile.objects.filter(active=True, pk__in=[
            p.pk for p in DeliveryProfile.objects.filter(active=True).select_related(
                "source_type")
            if any(permissions.may_deliver(user, org, p) for org in organisations)])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(too_large_message())
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
        if profile and organisation and not permissions.may_deliver(self.user, organisation,
                                                                    profile):
            raise forms.ValidationError(
                _("U mag dit soort bestand niet aanleveren namens deze organisatie."),
                code="profile_not_allowed",
            )
        return data


def profile_allows(profile, organisation) -> bool:
    """A profile tied to a kind of organisation (e.g. netbeheerder) is only for that kind."""
    return not profile.organisation_kind or profile.organisation_kind == organisation.kind
