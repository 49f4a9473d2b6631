"""The `enrichment` object of a signal in the API (retrieve only): see signals.enrichment."""

from __future__ import annotations

from rest_framework import serializers


class RelatedSignalSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="Kenmerk van het andere signaal.")
    receivedOn = serializers.DateField(source="received_on", help_text="Datum ontvangen.")
    theme = serializers.CharField(help_text="Thema (naam).")
    status = serializers.CharField(help_text="Status (naam).")
    distanceM = serializers.IntegerField(
        source="distance_m", allow_null=True, help_text="Afstand in meters; null zonder punt."
    )


class BuildingSerializer(serializers.Serializer):
    addressId = serializers.CharField(
        source="nummeraanduiding_id", help_text="BAG nummeraanduiding-id."
    )
    verblijfsobjectId = serializers.CharField(
        source="verblijfsobject_id", help_text="BAG verblijfsobject-id."
    )
    pandId = serializers.CharField(source="pand_id", help_text="BAG pand-id.")
    usage = serializers.CharField(help_text="Gebruiksdoel(en) volgens de BAG.")
    constructionYear = serializers.IntegerField(
        source="construction_year", allow_null=True, help_text="Bouwjaar van het pand."
    )
    floorArea = serializers.IntegerField(
        source="floor_area", allow_null=True, help_text="Oppervlakte in m²."
    )
    status = serializers.CharField(help_text="Status van het verblijfsobject.")
    source = serializers.CharField(help_text="Bron van de gegevens.")
    sourceDate = serializers.DateField(source="source_date", help_text="Datum van de bron.")


class CompanySerializer(serializers.Serializer):
    kvkNumber = serializers.CharField(source="kvk_number", help_text="KvK-nummer (8 cijfers).")
    name = serializers.CharField(help_text="Handelsnaam.")
    sbiCode = serializers.CharField(source="sbi_code", help_text="SBI-code van de activiteit.")
    registeredOn = serializers.DateField(
        source="registered_on", allow_null=True, help_text="Datum van inschrijving."
    )
    source = serializers.CharField(help_text="Bron van de gegevens.")
    sourceDate = serializers.DateField(source="source_date", help_text="Datum van de bron.")


class EnergySerializer(serializers.Serializer):
    periodStart = serializers.DateField(source="period_start", help_text="Begin van de periode.")
    periodEnd = serializers.DateField(source="period_end", help_text="Einde van de periode.")
    expectedKwh = serializers.IntegerField(
        source="expected_kwh", help_text="Verwacht verbruik in kWh."
    )
    measuredKwh = serializers.IntegerField(
        source="measured_kwh", help_text="Gemeten verbruik in kWh."
    )
    source = serializers.CharField(help_text="Bron (netbeheerder).")
    reportedOn = serializers.DateField(source="reported_on", help_text="Datum van de melding.")


class OrganisationFactSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Naam van de organisatie.")
    role = serializers.CharField(help_text="Rol: melder, betrokken of eerder signaal.")
    since = serializers.DateField(help_text="Sinds wanneer de organisatie betrokken is.")


class EnrichmentSerializer(serializers.Serializer):
    sameAddress = RelatedSignalSerializer(
        source="same_address", many=True,
        help_text="Andere signalen op hetzelfde adres die u mag inzien (hoogstens 20).",
    )
    nearby = RelatedSignalSerializer(
        many=True, help_text="Signalen binnen 250 m in de laatste 3 jaar die u mag inzien "
        "(hoogstens 20, dichtstbij eerst).",
    )
    nearbyTotal = serializers.IntegerField(
        source="nearby_total", help_text="Aantal signalen binnen 250 m die u mag inzien."
    )
    building = BuildingSerializer(
        allow_null=True, help_text="Gebouwgegevens uit het adresregister; null als het adres "
        "niet is gevonden.",
    )
    companies = CompanySerializer(many=True, help_text="Bedrijven ingeschreven op het adres.")
    energy = EnergySerializer(
        allow_null=True, help_text="Laatst gemelde energie-afwijking van de netbeheerder."
    )
    organisations = OrganisationFactSerializer(
        many=True, help_text="Organisaties die al bij dit signaal of dit adres betrokken zijn."
    )
    asOf = serializers.DateField(source="as_of", help_text="Peildatum van de verrijking.")
