"""Shapes of the entities API: entities with their visible properties, statements with
provenance, and links (FtM link entities with their two ends)."""

from __future__ import annotations

from rest_framework import serializers

from knooppunt.api.strict import StrictSerializer

from .. import ftm


class SourceSerializer(serializers.Serializer):
    supplier = serializers.CharField(help_text="Organisatie die het aanleverde, of het "
                                     "register (kvk, bag).")
    legalBasis = serializers.CharField(help_text="Grondslag.")
    originKind = serializers.ChoiceField(choices=["signal", "delivery", "case", "register"],
                                         help_text="Soort herkomst.")
    originId = serializers.CharField(help_text="Id van de herkomst (casus, signaal, "
                                     "aanlevering of register).")
    firstSeen = serializers.DateField(help_text="Eerst gezien (JJJJ-MM-DD).")
    lastSeen = serializers.DateField(help_text="Laatst gezien (JJJJ-MM-DD).")


class StatementSerializer(SourceSerializer):
    id = serializers.IntegerField(allow_null=True, help_text="Nummer van de uitspraak; null "
                                  "bij een pseudoniem (volgnummers zijn overal gelijk en "
                                  "zouden pseudoniemen tussen organisaties koppelen).")
    prop = serializers.CharField(help_text="FtM-eigenschap, bijv. birthDate.")
    value = serializers.CharField(help_text="Waarde.")
    retracted = serializers.BooleanField(help_text="Ingetrokken door een latere uitspraak.")
    createdAt = serializers.DateTimeField(help_text="Vastgelegd op.")


class EntitySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="FtM-id van de entiteit.")
    schema = serializers.ChoiceField(choices=sorted(ftm.CONCRETE), help_text="FtM-schema.")
    label = serializers.CharField(help_text="Naam of omschrijving.")
    properties = serializers.DictField(child=serializers.ListField(
        child=serializers.CharField()), help_text="Eigenschappen die u mag zien.")
    pseudonymised = serializers.BooleanField(
        help_text="true: id en label zijn een pseudoniem; namen, geboortedata, huisnummers, "
        "registratienummers en kentekens zijn weggelaten, datums tot de maand ingekort. "
        "Met `case` (een casus waaraan u werkt) krijgt u namen.")


class EntityDetailSerializer(EntitySerializer):
    statements = StatementSerializer(many=True, help_text="Alle uitspraken die u mag zien, "
                                     "met hun herkomst.")


class LinkSerializer(EntitySerializer):
    source = serializers.CharField(help_text="Id van het beginpunt (bijv. de bestuurder).")
    target = serializers.CharField(help_text="Id van het eindpunt (bijv. het bedrijf).")


class _Page(serializers.Serializer):
    count = serializers.IntegerField(help_text="Aantal in totaal.")
    next = serializers.URLField(allow_null=True, help_text="Volgende pagina.")
    previous = serializers.URLField(allow_null=True, help_text="Vorige pagina.")


class EntityPage(_Page):
    results = EntitySerializer(many=True, help_text="De entiteiten op deze pagina.")


class LinkPage(_Page):
    results = LinkSerializer(many=True, help_text="De relaties op deze pagina.")


class FtmEntityIn(serializers.Serializer):
    id = serializers.CharField(help_text="FtM-id.")
    schema = serializers.CharField(help_text="FtM-schema, bijv. Person.")
    properties = serializers.DictField(child=serializers.ListField(
        child=serializers.CharField()), help_text="Eigenschappen met lijsten van waarden.")


class ImportRequest(StrictSerializer):
    case = serializers.CharField(max_length=20, help_text="Kenmerk van de casus.")
    entities = FtmEntityIn(many=True, help_text="FtM-entiteiten (zoals één regel van een "
                           "FtM JSON-lines-bestand elk).")


class ImportResult(serializers.Serializer):
    entities = serializers.IntegerField(help_text="Aantal entiteiten in het bestand.")
    newStatements = serializers.IntegerField(help_text="Aantal nieuwe uitspraken (0 als "
                                             "alles al bekend was).")
