"""Signal representation in the API (camelCase property names, NLGov API Design Rules).

Input is checked field by field with Dutch messages; the checks that need the database
or the map (organisation, location, dates) reuse `signals.services`, so the API and the
web form accept and refuse the same signals. Unknown and read-only properties in a
request are refused rather than silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from knooppunt.api.strict import non_text_values
from knooppunt.geo.models import Municipality
from knooppunt.organisations import scope
from knooppunt.organisations.models import Confidentiality, Organisation
from knooppunt.taxonomy.models import SourceType, Theme

from .. import services
from ..models import Signal, StatusChange
from .enrichment_serializers import EnrichmentSerializer
from .fields import CodeField, ConfidentialityField, OptionalTextField, OrganisationField

# Which request property a location error from `services.resolve_location` is about.
SERVICE_ERROR_FIELDS = {
    "confidentiality_above_clearance": "confidentiality",
    "source_type_not_allowed": "sourceType",
    "future_date": "receivedOn",
    "date_too_early": "receivedOn",
}
LOCATION_ERROR_FIELDS: dict[str, tuple[str, ...]] = {
    "outside_nl": ("latitude", "longitude"),
    "point_not_in_municipality": ("municipality",),
    "no_location": ("municipality",),
}


class StatusChangeSerializer(serializers.ModelSerializer):
    fromStatus = serializers.CharField(
        source="from_status",
        read_only=True,
        help_text="Status vóór de wijziging; leeg bij registratie.",
    )
    toStatus = serializers.CharField(
        source="to_status", read_only=True, help_text="Status na de wijziging."
    )
    changedAt = serializers.DateTimeField(
        source="changed_at",
        read_only=True,
        help_text="Tijdstip van de wijziging (ISO 8601, met tijdzone).",
    )
    note = serializers.CharField(read_only=True, help_text="Toelichting bij de wijziging.")

    class Meta:
        model = StatusChange
        fields = ["fromStatus", "toStatus", "changedAt", "note"]


class SignalSerializer(serializers.ModelSerializer):
    rejects_unknown_fields = True  # the OpenAPI document says so (api.schema)

    reference = serializers.CharField(
        read_only=True, help_text="Kenmerk dat Knooppunt toekent, bijv. KNP-2025-000123."
    )
    theme = CodeField(
        queryset=Theme.objects.filter(active=True),
        example="hennepteelt",
        list_valid_codes=True,
        help_text="Themacode, bijv. `hennepteelt` of `drugslab`.",
    )
    sourceType = CodeField(
        source="source_type",
        queryset=SourceType.objects.filter(active=True),
        example="politie",
        list_valid_codes=True,
        help_text="Code van het soort bron, bijv. `politie` of `netbeheerder`. Signalen van "
        "een anonieme bron (`mma`) zijn altijd anoniem.",
    )
    receivedOn = serializers.DateField(
        source="received_on",
        help_text="Datum waarop het signaal binnenkwam (JJJJ-MM-DD); niet in de toekomst.",
    )
    municipality = CodeField(
        queryset=Municipality.objects.all(),
        example="GM0153",
        normalise=str.upper,
        required=False,
        allow_null=True,
        help_text="CBS-gemeentecode, bijv. GM0153. Niet nodig als een punt is opgegeven; "
        "bij beide moet het punt in deze gemeente liggen.",
    )
    municipalityName = serializers.CharField(
        source="municipality.name", read_only=True, help_text="Naam van de gemeente."
    )
    district = serializers.SlugRelatedField(
        slug_field="code", read_only=True,
        help_text="CBS-code van de wijk (bijv. WK015300), uit het adresregister of, als dat "
        "geen wijk geeft, de wijk waarvan de grens het punt omvat; leeg zonder beide.",
    )
    districtName = serializers.CharField(
        source="district.name", read_only=True, allow_null=True, default=None,
        help_text="Naam van de wijk (CBS 2024), bijv. Wijk 00 Binnensingelgebied.",
    )
    neighbourhood = serializers.SlugRelatedField(
        slug_field="code", read_only=True,
        help_text="CBS-code van de buurt (bijv. BU01530000), uit het adresregister; leeg als "
        "het adres niet is gevonden.",
    )
    street = OptionalTextField(max_length=120, help_text="Straatnaam van het adres.")
    houseNumber = serializers.IntegerField(
        source="house_number",
        required=False,
        allow_null=True,
        min_value=1,
        max_value=99999,
        help_text="Huisnummer (1 tot en met 99999).",
    )
    houseLetter = OptionalTextField(
        source="house_letter",
        max_length=1,
        validators=[RegexValidator(r"^[A-Za-z]$", "Een huisletter is één letter (A-Z).")],
        help_text="Huisletter, één letter.",
    )
    houseNumberAddition = OptionalTextField(
        source="house_number_addition",
        max_length=4,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9]{1,4}$", "Een toevoeging is 1 tot 4 letters of cijfers."
            )
        ],
        help_text="Huisnummertoevoeging, 1 tot 4 letters of cijfers.",
    )
    postcode = OptionalTextField(
        max_length=10,
        help_text="Nederlandse postcode, bijv. 7511 AB; wordt opgeslagen als 7511AB.",
    )
    city = OptionalTextField(max_length=80, help_text="Woonplaats van het adres.")
    latitude = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=-90,
        max_value=90,
        help_text="Breedtegraad (WGS84) van de plek, bijv. 52.2215. Alleen samen met "
        "longitude; het punt moet in een Nederlandse gemeente liggen.",
    )
    longitude = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=-180,
        max_value=180,
        help_text="Lengtegraad (WGS84) van de plek, bijv. 6.8937. Alleen samen met latitude.",
    )
    description = serializers.CharField(
        max_length=10000,
        help_text="Omschrijving van het signaal (platte tekst, hoogstens 10.000 tekens). "
        "Wordt als tekst opgeslagen en teruggegeven, nooit als HTML uitgevoerd.",
    )
    confidentiality = ConfidentialityField(
        required=False,
        help_text="Vertrouwelijkheid: `normaal` (standaard), `vertrouwelijk` of `riec`. "
        "Bepaalt met de convenanten wie het signaal mag zien.",
    )
    reportingOrganisation = OrganisationField(
        source="reporting_organisation",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id van de organisatie namens wie wordt gemeld. Mag ontbreken als de "
        "sleutel bij precies één organisatie hoort.",
    )
    reportingOrganisationName = serializers.CharField(
        source="reporting_organisation.name",
        read_only=True,
        help_text="Naam van de meldende organisatie.",
    )
    isAnonymous = serializers.BooleanField(
        source="is_anonymous",
        required=False,
        default=False,
        help_text="Anonieme melding: dan zijn reporterName en reporterContact niet "
        "toegestaan en wordt niets over de melder bewaard.",
    )
    reporterName = OptionalTextField(
        source="reporter_name",
        max_length=120,
        write_only=True,
        help_text="Naam van de melder (niet bij een anonieme melding). Wordt nooit "
        "teruggegeven.",
    )
    reporterContact = OptionalTextField(
        source="reporter_contact",
        max_length=200,
        write_only=True,
        help_text="Contactgegevens van de melder (niet bij een anonieme melding). Wordt "
        "nooit teruggegeven.",
    )
    status = serializers.CharField(
        read_only=True,
        help_text="Status: `ontvangen`, `in_behandeling`, `gewogen` of `afgesloten`.",
    )
    history = StatusChangeSerializer(
        source="status_history", many=True, read_only=True,
        help_text="Statusgeschiedenis, oudste eerst.",
    )
    addressStatus = serializers.CharField(
        source="address_status", read_only=True,
        help_text="Adres in het adresregister: `gevonden`, `niet_gevonden` (controleren) of "
        "`geen` (geen postcode en huisnummer).",
    )
    addressId = serializers.CharField(
        source="address_register_id", read_only=True,
        help_text="BAG nummeraanduiding-id als het adres is gevonden, anders leeg.",
    )
    enrichment = serializers.SerializerMethodField(
        help_text="Alleen bij het opvragen van één signaal: wat Knooppunt al weet over het "
        "adres en de omgeving, met bron en datum per gegeven. Bevat alleen signalen die u "
        "mag inzien."
    )

    cases = serializers.SerializerMethodField(
        help_text="Alleen bij het opvragen van één signaal: kenmerken van de casussen "
        "waartoe het signaal hoort en die u mag zien (anders null)."
    )

    class Meta:
        model = Signal
        fields = [
            "reference", "theme", "sourceType", "receivedOn", "municipality",
            "municipalityName", "district", "districtName", "neighbourhood", "street",
            "houseNumber",
            "houseLetter", "houseNumberAddition",
            "postcode", "city", "latitude", "longitude", "description", "confidentiality",
            "reportingOrganisation", "reportingOrganisationName", "isAnonymous",
            "reporterName", "reporterContact", "status", "history", "addressStatus",
            "addressId", "enrichment", "cases",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField(),
                                               allow_null=True))
    def get_cases(self, signal: Signal) -> list[str] | None:
        cases = self.context.get("visible_cases")
        return None if cases is None else [c.reference for c in cases]

    @extend_schema_field(EnrichmentSerializer(allow_null=True))
    def get_enrichment(self, signal: Signal) -> dict | None:
        if not self.context.get("with_enrichment"):
            return None
        from ..enrichment import enrich

        result = enrich(self.context["request"].user, signal)
        shown = self.context.get("shown")
        if shown is not None:  # the view writes them to the processing log
            shown.add("signals.signal", [s.pk for s in (*result.same_address, *result.nearby)])
        return EnrichmentSerializer(result).data

    # -- whole request ---------------------------------------------------------------

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        unexpected = ({**self._unexpected_properties(data), **non_text_values(self, data)}
                      if isinstance(data, Mapping) else {})
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not unexpected:
                raise
            detail = exc.detail
            if not isinstance(detail, dict):
                detail = {api_settings.NON_FIELD_ERRORS_KEY: detail}
            raise serializers.ValidationError({**detail, **unexpected}) from exc
        if unexpected:
            raise serializers.ValidationError(unexpected)
        return value

    def _unexpected_properties(self, data: Mapping) -> dict[str, list[str]]:
        writable = {name for name, field in self.fields.items() if not field.read_only}
        errors: dict[str, list[str]] = {}
        for key in data:
            name = str(key)[:60]
            if key in writable:
                continue
            if key in self.fields:
                errors[name] = ["Dit veld wordt door Knooppunt bepaald; laat het weg."]
            else:
                errors[name] = ["Onbekend veld; zie de OpenAPI-specificatie voor de velden."]
        return errors

    # -- single fields ---------------------------------------------------------------

    def validate_postcode(self, value: str) -> str:
        try:
            return services.normalise_postcode(value.strip())
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code="invalid_postcode") from exc

    def validate_receivedOn(self, value: date) -> date:
        if value > timezone.localdate():
            raise serializers.ValidationError(
                "De datum van ontvangst ligt in de toekomst.", code="future_date"
            )
        return value

    # -- combinations ----------------------------------------------------------------

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Checks across fields; all of them run, so every problem is reported at once."""
        attrs.setdefault("confidentiality", Confidentiality.NORMAAL)
        errors: dict[str, Any] = {}
        for check in (self._reporting_organisation, self._check_reporter, self._location):
            try:
                check(attrs)
            except serializers.ValidationError as exc:
                errors.update(exc.detail)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _reporting_organisation(self, attrs: dict[str, Any]) -> None:
        allowed = scope.organisations_for_create(self.context["request"].user)
        organisation: Organisation | None = attrs.get("reporting_organisation")
        if organisation is None:
            choices = list(allowed[:2])
            if len(choices) != 1:
                raise serializers.ValidationError(
                    {"reportingOrganisation": "Geef aan namens welke organisatie u meldt."},
                    code="required",
                )
            attrs["reporting_organisation"] = choices[0]
        elif not allowed.filter(pk=organisation.pk).exists():
            raise serializers.ValidationError(
                {"reportingOrganisation": "U mag niet melden namens deze organisatie."},
                code="not_allowed",
            )

    def _check_reporter(self, attrs: dict[str, Any]) -> None:
        given = [
            api_name
            for api_name, key in (
                ("reporterName", "reporter_name"),
                ("reporterContact", "reporter_contact"),
            )
            if attrs.get(key)
        ]
        if not given:
            return
        if attrs.get("is_anonymous"):
            message = "Een anonieme melding mag geen gegevens van de melder bevatten."
        elif attrs["source_type"].anonymous_by_default:
            message = (
                f"Signalen van de bron '{attrs['source_type'].name}' zijn altijd anoniem; "
                "laat de gegevens van de melder weg."
            )
        else:
            return
        raise serializers.ValidationError(
            {name: [message] for name in given}, code="anonymous_with_reporter"
        )

    def _location(self, attrs: dict[str, Any]) -> None:
        latitude = attrs.pop("latitude", None)
        longitude = attrs.pop("longitude", None)
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            raise serializers.ValidationError(
                {missing: "Geef een volledig punt op: zowel latitude als longitude."},
                code="incomplete_point",
            )
        try:
            attrs["location"] = services.resolve_location(
                attrs.pop("municipality", None), latitude=latitude, longitude=longitude,
                postcode=attrs.get("postcode", ""), house_number=attrs.get("house_number"),
                house_letter=attrs.get("house_letter", ""),
                house_number_addition=attrs.get("house_number_addition", ""),
            )
        except DjangoValidationError as exc:
            fields = LOCATION_ERROR_FIELDS.get(exc.code or "", ("nonFieldErrors",))
            raise serializers.ValidationError(
                {name: exc.messages for name in fields}, code=exc.code
            ) from exc

    def create(self, validated_data: dict[str, Any]) -> Signal:
        try:
            return services.create_signal(user=self.context["request"].user, **validated_data)
        except DjangoValidationError as exc:
            # Rules only the service knows (e.g. confidentiality above the role's clearance).
            field = SERVICE_ERROR_FIELDS.get(exc.code or "", "nonFieldErrors")
            raise serializers.ValidationError({field: exc.messages}, code=exc.code) from exc
