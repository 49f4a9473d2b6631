"""The form to register a signal by hand and the form to change its status."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knooppunt.geo.models import Municipality
from knooppunt.organisations import permissions, scope
from knooppunt.organisations.models import Confidentiality, Organisation
from knooppunt.taxonomy.models import SourceType, Theme

from . import services
from .models import TRANSITIONS, Status


def house_letter_field() -> forms.RegexField:
    return forms.RegexField(
        label=_("Huisletter"), regex=r"^[A-Za-z]$", required=False, max_length=1,
        error_messages={"invalid": _("Een huisletter is één letter.")},
    )


def house_number_addition_field() -> forms.RegexField:
    return forms.RegexField(
        label=_("Toevoeging"), regex=r"^[A-Za-z0-9]{1,4}$", required=False, max_length=4,
        error_messages={"invalid": _("Een toevoeging is 1 tot 4 letters of cijfers.")},
    )

class SignalForm(forms.Form):
    reporting_organisation = forms.ModelChoiceField(
        Organisation.objects.none(), label=_("Namens organisatie")
    )
    theme = forms.ModelChoiceField(Theme.objects.filter(active=True), label=_("Thema"))
    source_type = forms.ModelChoiceField(
        SourceType.objects.filter(active=True), label=_("Bron"),
        error_messages={"invalid_choice": _(
            "Uw organisatie mag geen signalen uit deze bron registreren.")},
    )
    received_on = forms.DateField(
        label=_("Datum ontvangen"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    municipality = forms.ModelChoiceField(
        Municipality.objects.none(), label=_("Gemeente"), required=False,
        help_text=_("Niet nodig als u een punt of een bekend adres (postcode en huisnummer) "
                    "opgeeft."),
    )
    street = forms.CharField(label=_("Straat"), max_length=120, required=False)
    house_number = forms.IntegerField(
        label=_("Huisnummer"), required=False, min_value=1, max_value=99999
    )
    house_letter = house_letter_field()
    house_number_addition = house_number_addition_field()
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("Woonplaats"), max_length=80, required=False)
    latitude = forms.FloatField(
        label=_("Breedtegraad (WGS84)"), required=False, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        label=_("Lengtegraad (WGS84)"), required=False, min_value=-180, max_value=180
    )
    description = forms.CharField(
        label=_("Omschrijving"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    confidentiality = forms.TypedChoiceField(
        label=_("Vertrouwelijkheid"), choices=Confidentiality.choices, coerce=int,
        initial=Confidentiality.NORMAAL,
        error_messages={"invalid_choice": _(
            "Uw rol of organisatie mag deze vertrouwelijkheid niet geven.")},
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonieme melding (geen gegevens van de melder vastleggen)"), required=False
    )
    reporter_name = forms.CharField(label=_("Naam melder"), max_length=120, required=False)
    reporter_contact = forms.CharField(
        label=_("Contactgegevens melder"), max_length=200, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["reporting_organisation"].queryset = scope.organisations_for_create(user)
        # Offer only the sources and levels the user's kind of organisation may register.
        self.fields["source_type"].queryset = permissions.source_types_for(user)
        levels = permissions.levels_for(user)
        self.fields["confidentiality"].choices = [
            choice for choice in Confidentiality.choices if choice[0] in levels]
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.location: services.Location | None = None

    def clean_postcode(self) -> str:
        return services.normalise_postcode(self.cleaned_data.get("postcode", "").strip())

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value < services.EARLIEST_RECEIVED_ON:
            raise ValidationError(
                _("De datum van ontvangst ligt vóór %(date)s."),
                params={"date": services.EARLIEST_RECEIVED_ON.strftime("%d-%m-%Y")},
            )
        if value > timezone.localdate():
            raise ValidationError(_("De datum van ontvangst ligt in de toekomst."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("is_anonymous") and (data.get("reporter_name") or data.get("reporter_contact")):
            raise ValidationError(
                _("Een anonieme melding mag geen naam of contactgegevens van de melder bevatten.")
            )
        if self.errors:
            return data
        try:
            self.location = services.resolve_location(
                data.get("municipality"),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                postcode=data.get("postcode", ""),
                house_number=data.get("house_number"),
                house_letter=data.get("house_letter", ""),
                house_number_addition=data.get("house_number_addition", ""),
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        return data

    def save(self):
        data = self.cleaned_data
        return services.create_signal(
            user=self.user,
            reporting_organisation=data["reporting_organisation"],
            theme=data["theme"],
            source_type=data["source_type"],
            received_on=data["received_on"],
            location=self.location,
            description=data["description"],
            confidentiality=data["confidentiality"],
            street=data.get("street", ""),
            house_number=data.get("house_number"),
            house_letter=data.get("house_letter", ""),
            house_number_addition=data.get("house_number_addition", ""),
            postcode=data.get("postcode", ""),
            city=data.get("city", ""),
            is_anonymous=data.get("is_anonymous", False),
            reporter_name=data.get("reporter_name", ""),
            reporter_contact=data.get("reporter_contact", ""),
        )


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Nieuwe status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, current_status: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(current_status, set())
        self.fields["to_status"].choices = [c for c in Status.choices if c[0] in allowed]


class AddressCorrectionForm(forms.Form):
    """Correct an address the register did not find; see `address_fix.correct_address`."""

    postcode = forms.CharField(
        label=_("Postcode"), max_length=7, help_text=_("Bijvoorbeeld 7511 AB.")
    )
    house_number = forms.IntegerField(
        label=_("Huisnummer"), min_value=1, max_value=99999,
        error_messages={"invalid": _("Het huisnummer moet een getal zijn.")},
    )
    house_letter = house_letter_field()
    house_number_addition = house_number_addition_field()
    street = forms.CharField(
        label=_("Straat"), max_length=120, required=False,
        help_text=_("Wordt overschreven als de adresregistratie het adres vindt."),
    )
    city = forms.CharField(label=_("Woonplaats"), max_length=80, required=False)

    def clean_postcode(self) -> str:
        from knooppunt.registers.addresses import normalise_postcode

        return normalise_postcode(self.cleaned_data.get("postcode", ""))

    def correction(self):
        from .address_fix import AddressCorrection

        data = self.cleaned_data
        return AddressCorrection(
            postcode=data["postcode"],
            house_number=data["house_number"],
            house_letter=data.get("house_letter", ""),
            house_number_addition=data.get("house_number_addition", ""),
            street=data.get("street", ""),
            city=data.get("city", ""),
        )


class AddressQueueFilterForm(forms.Form):
    """The municipality filter of the page "Adressen controleren"."""

    gemeente = forms.ModelChoiceField(
        Municipality.objects.none(), label=_("Gemeente"), required=False,
        empty_label=_("Alle gemeenten"),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = municipalities
