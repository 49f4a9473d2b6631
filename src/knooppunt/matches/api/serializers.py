"""Shapes of the matches API: a candidate with both sides, its waterfall and decisions."""

from __future__ import annotations

from rest_framework import serializers

from knooppunt.api.strict import StrictSerializer

from ..models import State, Verdict
from ..reviewing import MAX_REASON


class SideSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="FtM-id van de entiteit.")
    label = serializers.CharField(help_text="Naam zoals u die mag zien.")
    properties = serializers.DictField(child=serializers.ListField(
        child=serializers.CharField()), help_text="Eigenschappen die u mag zien.")
    suppliers = serializers.ListField(child=serializers.CharField(),
                                      help_text="Wie de feiten aanleverde.")


class MatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Nummer van de kandidaat-koppeling.")
    kind = serializers.CharField(help_text="Soort (person).")
    state = serializers.ChoiceField(choices=State.values, help_text="open, confirmed of "
                                    "rejected.")
    matchProbability = serializers.FloatField(help_text="Kans dat het dezelfde persoon is.")
    matchWeight = serializers.FloatField(help_text="Totaal gewicht (log2 Bayes-factor).")
    left = SideSerializer(help_text="De ene kant.")
    right = SideSerializer(help_text="De andere kant.")
    proposedAt = serializers.DateTimeField(help_text="Voorgesteld op.")


class FieldSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Vergeleken veld.")
    level = serializers.CharField(help_text="Hoe het overeenkwam (niveau).")
    weight = serializers.FloatField(help_text="Gewicht; > 0 pleit voor, < 0 tegen.")
    leftValue = serializers.CharField(allow_null=True, help_text="Waarde links bij scoren.")
    rightValue = serializers.CharField(allow_null=True, help_text="Waarde rechts bij scoren.")


class RunSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Nummer van de koppelrun.")
    dataVersion = serializers.CharField(help_text="Versie (digest) van de invoer.")
    settings = serializers.DictField(help_text="Instellingen van de run.")
    startedAt = serializers.DateTimeField(help_text="Gestart op.")


class DecisionSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.values, help_text="Het besluit.")
    stateBefore = serializers.CharField(help_text="Stand ervoor.")
    stateAfter = serializers.CharField(help_text="Stand erna.")
    reason = serializers.CharField(help_text="De reden.")
    decidedBy = serializers.CharField(help_text="Wie besloot.")
    decidedAt = serializers.DateTimeField(help_text="Wanneer.")


class MatchDetailSerializer(MatchSerializer):
    priorWeight = serializers.FloatField(help_text="Beginwaarde van het gewicht.")
    waterfall = FieldSerializer(many=True, help_text="Uitleg per veld.")
    run = RunSerializer(help_text="De run die het voorstelde.")
    decisions = DecisionSerializer(many=True, help_text="Besluiten tot nu toe.")


class MatchPage(serializers.Serializer):
    count = serializers.IntegerField(help_text="Aantal in totaal.")
    next = serializers.URLField(allow_null=True, help_text="Volgende pagina.")
    previous = serializers.URLField(allow_null=True, help_text="Vorige pagina.")
    results = MatchSerializer(many=True, help_text="De kandidaten op deze pagina.")


class DecisionRequest(StrictSerializer):
    reason = serializers.CharField(max_length=MAX_REASON, help_text="Waarom (verplicht).")
