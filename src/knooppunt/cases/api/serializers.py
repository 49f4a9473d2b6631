"""Case, decision, intervention and follow-up representations (camelCase, Dutch help).

Requests are checked field by field; the rules (transitions, roles, forum members, dates,
reasons, versions) are `cases.services`, the same as on the pages. Unknown properties are
refused rather than dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from rest_framework import serializers
from rest_framework.settings import api_settings

from knooppunt.organisations import scope
from knooppunt.organisations.models import Organisation

from ..models import (
    Case,
    Decision,
    DecisionKind,
    Forum,
    Intervention,
    InterventionStatus,
    InterventionType,
    Stage,
)


class StrictSerializer(serializers.Serializer):
    """Refuses properties that are not in the request schema."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        unexpected = {}
        if isinstance(data, Mapping):
            writable = {n for n, f in self.fields.items() if not f.read_only}
            unexpected = {str(k)[:60]: ["Onbekend veld; zie de OpenAPI-specificatie."]
                          for k in data if k not in writable}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {
                api_settings.NON_FIELD_ERRORS_KEY: exc.detail}
            raise serializers.ValidationError({**detail, **unexpected}) from exc
        if unexpected:
            raise serializers.ValidationError(unexpected)
        return value


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, help_text="De versie die u het laatst las (veld `version`). Is de "
        "casus of interventie intussen gewijzigd, dan volgt 409 en verandert er niets.")


class DecisionOutSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                        help_text="Soort besluit (code).")
    forum = serializers.CharField(source="forum.name", read_only=True)
    decidedOn = serializers.DateField(source="decided_on", read_only=True)
    decidedBy = serializers.SerializerMethodField(help_text="Wie besloot.")
    reason = serializers.CharField(read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "kind", "forum", "decidedOn", "decidedBy", "reason"]

    def get_decidedBy(self, decision: Decision) -> str:  # noqa: N802 - API property name
        return decision.decided_by.get_full_name() or decision.decided_by.get_username()


class CaseHeaderSerializer(serializers.ModelSerializer):
    """The minimal case header a partner sees with its intervention."""

    theme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    forum = serializers.CharField(source="forum.name", read_only=True)

    class Meta:
        model = Case
        fields = ["reference", "theme", "municipality", "forum"]


class InterventionSerializer(serializers.ModelSerializer):
    case = CaseHeaderSerializer(read_only=True)
    type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    subject = serializers.SerializerMethodField(help_text="Waar de interventie over gaat.")
    plannedOn = serializers.DateField(source="planned_on", read_only=True)
    startedOn = serializers.DateField(source="started_on", read_only=True)
    endedOn = serializers.DateField(source="ended_on", read_only=True)
    durationMonths = serializers.IntegerField(source="duration_months", read_only=True)
    amountRecovered = serializers.DecimalField(source="amount_recovered", max_digits=12,
                                               decimal_places=2, read_only=True)
    hoursSpent = serializers.DecimalField(source="hours_spent", max_digits=8,
                                          decimal_places=1, read_only=True)

    class Meta:
        model = Intervention
        fields = ["id", "case", "type", "organisation", "subject", "status", "plannedOn",
                  "startedOn", "endedOn", "durationMonths", "amountRecovered", "hoursSpent",
                  "result", "version"]
        read_only_fields = fields

    def get_subject(self, intervention: Intervention) -> str | None:
        if intervention.subject is None:
            return None
        return f"{intervention.subject.get_kind_display()}: {intervention.subject.name}"


class CaseSerializer(serializers.ModelSerializer):
    theme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    forum = serializers.CharField(source="forum.name", read_only=True)
    stage = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = serializers.CharField(source="owner.name", read_only=True)
    confidentiality = serializers.CharField(source="get_confidentiality_display",
                                            read_only=True)
    openedOn = serializers.DateField(source="opened_on", read_only=True)
    decisionDueOn = serializers.DateField(source="decision_due_on", read_only=True)
    decidedOn = serializers.DateField(source="decided_on", read_only=True)
    closedOn = serializers.DateField(source="closed_on", read_only=True)
    overdue = serializers.SerializerMethodField(help_text="Beslistermijn verlopen.")
    signals = serializers.SerializerMethodField(help_text="Kenmerken van de gekoppelde "
                                                "signalen die u mag zien.")
    decisions = DecisionOutSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["reference", "title", "theme", "municipality", "forum", "stage", "owner",
                  "confidentiality", "openedOn", "decisionDueOn", "decidedOn", "closedOn",
                  "overdue", "version", "signals", "decisions"]
        read_only_fields = fields

    def get_overdue(self, case: Case) -> bool:
        return case.is_overdue(timezone.localdate())

    def get_signals(self, case: Case) -> list[str]:
        user = self.context["request"].user
        return list(scope.signals_for(user).filter(case_links__case=case)
                    .values_list("reference", flat=True))


class CaseCreateSerializer(StrictSerializer):
    signals = serializers.ListField(child=serializers.RegexField(r"^[A-Za-z0-9-]{1,20}$"),
                                    min_length=1, max_length=50,
                                    help_text="Kenmerken van signalen die u mag zien.")
    forum = serializers.PrimaryKeyRelatedField(queryset=Forum.objects.filter(active=True),
                                               help_text="Id van het overleg.")
    title = serializers.CharField(max_length=200, help_text="Korte titel zonder namen.")
    openedOn = serializers.DateField(required=False, help_text="Standaard vandaag.")


class TransitionSerializer(StrictSerializer):
    toStage = serializers.SlugRelatedField(slug_field="code", queryset=Stage.objects.all(),
                                           help_text="Code van de nieuwe fase.")
    reason = serializers.CharField(help_text="Reden (verplicht).")
    version = _version_field()


class DecisionInSerializer(StrictSerializer):
    kind = serializers.SlugRelatedField(slug_field="code",
                                        queryset=DecisionKind.objects.filter(active=True),
                                        help_text="Code van het soort besluit.")
    reason = serializers.CharField(help_text="Reden (verplicht).")
    decidedOn = serializers.DateField(help_text="Datum van het besluit.")
    meeting = serializers.IntegerField(required=False, help_text="Id van de vergadering.")
    version = _version_field()


class InterventionCreateSerializer(StrictSerializer):
    type = serializers.SlugRelatedField(slug_field="code",
                                        queryset=InterventionType.objects.filter(active=True),
                                        help_text="Code uit de interventiecatalogus.")
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(active=True),
        help_text="Id van de uitvoerende organisatie (deelnemer van het overleg).")
    plannedOn = serializers.DateField(help_text="Geplande datum.")
    durationMonths = serializers.IntegerField(required=False, min_value=1, max_value=120)


class InterventionReportSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=InterventionStatus.values)
    startedOn = serializers.DateField(required=False, allow_null=True)
    endedOn = serializers.DateField(required=False, allow_null=True)
    durationMonths = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                              max_value=120)
    amountRecovered = serializers.DecimalField(required=False, allow_null=True,
                                               max_digits=12, decimal_places=2, min_value=0)
    hoursSpent = serializers.DecimalField(required=False, allow_null=True, max_digits=8,
                                          decimal_places=1, min_value=0)
    result = serializers.CharField(required=False, allow_blank=True)
    version = _version_field()


class RowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(source="shown", allow_null=True,
                                     help_text="null: te klein om te tonen.")
    done = serializers.IntegerField(source="extra", allow_null=True, required=False)


class DurationSerializer(serializers.Serializer):
    label = serializers.CharField()
    medianDays = serializers.FloatField(source="median_days", allow_null=True)
    count = serializers.IntegerField(allow_null=True)


class FollowUpSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="municipality.code")
    start = serializers.DateField()
    end = serializers.DateField()
    signals = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    cannabisNotices = serializers.DictField(source="notices",
                                            child=serializers.IntegerField(allow_null=True))
    cases = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    decisions = RowSerializer(many=True)
    interventions = RowSerializer(many=True)
    recoveredEuros = serializers.DecimalField(source="recovered", max_digits=14,
                                              decimal_places=2, allow_null=True)
    hoursSpent = serializers.DecimalField(source="hours", max_digits=12, decimal_places=1,
                                          allow_null=True)
    durations = DurationSerializer(many=True)
