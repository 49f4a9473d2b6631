"""Signal representation in the API (camelCase property names, NLGov API Design Rules)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from knooppunt.geo.models import Municipality
from knooppunt.organisations import scope
from knooppunt.organisations.models import Confidentiality, Organisation
from knooppunt.taxonomy.models import SourceType, Theme

from .. import services
from ..models import Signal, StatusChange

CONFIDENTIALITY_CODES = {c.value: c.name.lower() for c in Confidentiality}
CONFIDENTIALITY_BY_CODE = {v: k for k, v in CONFIDENTIALITY_CODES.items()}


class ConfidentialityField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=list(CONFIDENTIALITY_BY_CODE), **kwargs)

    def to_representation(self, value):
        return CONFIDENTIALITY_CODES.get(value, value)

    def to_internal_value(self, data):
        return CONFIDENTIALITY_BY_CODE[super().to_internal_value(data)]


class StatusChangeSerializer(serializers.ModelSerializer):
    fromStatus = serializers.CharField(source="from_status")
    toStatus = serializers.CharField(source="to_status")
    changedAt = serializers.DateTimeField(source="changed_at")

    class Meta:
        model = StatusChange
        fields = ["fromStatus", "toStatus", "changedAt", "note"]


def _coerce_validation_error(exc: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"location": exc.messages})


class SignalSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text=_("Kenmerk, bijv. KNP-2025-000123"))
    theme = serializers.SlugRelatedField(
        slug_field="code", queryset=Theme.objects.filter(active=True),
        help_text=_("Themacode, bijv. hennepteelt"),
    )
    sourceType = serializers.SlugRelatedField(
        source="source_type", slug_field="code", queryset=SourceType.objects.filter(active=True),
        help_text=_("Brontype, bijv. politie"),
    )
    receivedOn = serializers.DateField(source="received_on")
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), required=False,
        help_text=_("CBS-gemeentecode, bijv. GM0153. Niet nodig als een punt is opgegeven."),
    )
    municipalityName = serializers.CharField(source="municipality.name", read_only=True)
    street = serializers.CharField(required=False, allow_blank=True, max_length=120)
    houseNumber = serializers.IntegerField(
        source="house_number", required=False, allow_null=True, min_value=1, max_value=99999
    )
    houseLetter = serializers.RegexField(
        r"^[A-Za-z]?$", source="house_letter", required=False, allow_blank=True, max_length=1
    )
    houseNumberAddition = serializers.RegexField(
        r"^[A-Za-z0-9]{0,4}$", source="house_number_addition", required=False, allow_blank=True
    )
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=7)
    city = serializers.CharField(required=False, allow_blank=True, max_length=80)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    description = serializers.CharField(max_length=10000)
    confidentiality = ConfidentialityField(required=False, default="normaal")
    reportingOrganisation = serializers.PrimaryKeyRelatedField(
        source="reporting_organisation", queryset=Organisation.objects.all(), required=False,
        help_text=_("Id van de meldende organisatie; standaard de organisatie van de sleutel."),
    )
    reportingOrganisationName = serializers.CharField(
        source="reporting_organisation.name", read_only=True
    )
    isAnonymous = serializers.BooleanField(source="is_anonymous", required=False, default=False)
    reporterName = serializers.CharField(
        source="reporter_name", required=False, allow_blank=True, max_length=120,
        write_only=True,
    )
    reporterContact = serializers.CharField(
        source="reporter_contact", required=False, allow_blank=True, max_length=200,
        write_only=True,
    )
    status = serializers.CharField(read_only=True)
    history = StatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Signal
        fields = [
            "reference", "theme", "sourceType", "receivedOn", "municipality",
            "municipalityName", "street", "houseNumber", "houseLetter", "houseNumberAddition",
            "postcode", "city", "latitude", "longitude", "description", "confidentiality",
            "reportingOrganisation", "reportingOrganisationName", "isAnonymous",
            "reporterName", "reporterContact", "status", "history",
        ]

    def validate_postcode(self, value: str) -> str:
        try:
            return services.normalise_postcode(value.strip())
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate_receivedOn(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("De datum van ontvangst ligt in de toekomst."))
        return value

    def validate(self, attrs):
        user = self.context["request"].user
        allowed = scope.organisations_for_create(user)
        organisation = attrs.get("reporting_organisation")
        if organisation is None:
            if allowed.count() != 1:
                raise serializers.ValidationError(
                    {"reportingOrganisation": _("Kies de organisatie namens wie u meldt.")}
                )
            attrs["reporting_organisation"] = allowed.get()
        elif not allowed.filter(pk=organisation.pk).exists():
            raise serializers.ValidationError(
                {"reportingOrganisation": _("U mag niet melden namens deze organisatie.")}
            )
        if attrs.get("is_anonymous") and (
            attrs.get("reporter_name") or attrs.get("reporter_contact")
        ):
            raise serializers.ValidationError(
                {"isAnonymous": _("Een anonieme melding mag geen gegevens van de melder bevatten.")}
            )
        try:
            attrs["location"] = services.resolve_location(
                attrs.pop("municipality", None),
                latitude=attrs.pop("latitude", None),
                longitude=attrs.pop("longitude", None),
            )
        except DjangoValidationError as exc:
            raise _coerce_validation_error(exc) from exc
        return attrs

    def create(self, validated_data):
        try:
            return services.create_signal(user=self.context["request"].user, **validated_data)
        except DjangoValidationError as exc:
            raise _coerce_validation_error(exc) from exc
