"""Case, decision, intervention and follow-up representations (camelCase, Dutch help).

Requests are checked field by field; the rules (transitions, roles, forum members, dates,
reasons, versions) are `cases.services`, the same as on the pages. Unknown properties are
refused rather than dropped.
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from knooppunt.api.strict import StrictSerializer
from knooppunt.audit.shown import CASE, SIGNAL, SUBJECT
from knooppunt.organisations import scope
from knooppunt.organisations.models import Organisation
from knooppunt.signals.api.fields import CodeField

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


def _shown(context: dict, object_type: str, items) -> None:
    """Note records rendered beside the main ones; the view logs them (`audit.shown`)."""
    shown = context.get("shown")
    if shown is not None:
        shown.add(object_type, items)


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, help_text="De versie die u het laatst las (veld `version`). Is de "
        "casus of interventie intussen gewijzigd, dan volgt 409 en verandert er niets.")


class DecisionOutSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Nummer van het besluit.")
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                        help_text="Soort besluit (code).")
    forum = serializers.CharField(source="forum.name", read_only=True,
                                  help_text="Het overleg dat besloot.")
    decidedOn = serializers.DateField(source="decided_on", read_only=True,
                                      help_text="Datum van het besluit.")
    decidedBy = serializers.SerializerMethodField(help_text="Wie besloot.")
    recordedBy = serializers.SerializerMethodField(help_text="Wie het besluit vastlegde.")
    reason = serializers.CharField(read_only=True, help_text="De reden van het besluit.")

    class Meta:
        model = Decision
        fields = ["id", "kind", "forum", "decidedOn", "decidedBy", "recordedBy", "reason"]

    def get_decidedBy(self, decision: Decision) -> str:  # noqa: N802 - API property name
        return decision.decided_by.get_full_name() or decision.decided_by.get_username()

    def get_recordedBy(self, decision: Decision) -> str | None:  # noqa: N802
        person = decision.recorded_by
        return (person.get_full_name() or person.get_username()) if person else None


class CaseHeaderSerializer(serializers.ModelSerializer):
    """The minimal case header a partner sees with its intervention."""

    reference = serializers.CharField(read_only=True, help_text="Kenmerk van de casus.")
    theme = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                         help_text="Thema (code).")
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                                help_text="CBS-code van de gemeente.")
    forum = serializers.CharField(source="forum.name", read_only=True,
                                  help_text="Overleg dat de casus behandelt.")

    class Meta:
        model = Case
        fields = ["reference", "theme", "municipality", "forum"]


class InterventionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Nummer van de interventie.")
    case = CaseHeaderSerializer(read_only=True, help_text="De kop van de casus.")
    type = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                        help_text="Soort interventie (code uit de catalogus).")
    organisation = serializers.CharField(source="organisation.name", read_only=True,
                                         help_text="De uitvoerende organisatie.")
    subject = serializers.SerializerMethodField(help_text="Waar de interventie over gaat.")
    status = serializers.CharField(read_only=True,
                                   help_text="gepland, lopend, afgerond of gestopt.")
    plannedOn = serializers.DateField(source="planned_on", read_only=True,
                                      help_text="Geplande datum.")
    startedOn = serializers.DateField(source="started_on", read_only=True,
                                      help_text="Startdatum.")
    endedOn = serializers.DateField(source="ended_on", read_only=True,
                                    help_text="Einddatum.")
    durationMonths = serializers.IntegerField(source="duration_months", read_only=True,
                                              help_text="Duur in maanden (sluiting).")
    amountRecovered = serializers.DecimalField(source="amount_recovered", max_digits=12,
                                               decimal_places=2, read_only=True,
                                               help_text="Afgepakt bedrag in euro.")
    hoursSpent = serializers.DecimalField(source="hours_spent", max_digits=8,
                                          decimal_places=1, read_only=True,
                                          help_text="Bestede uren.")
    result = serializers.CharField(read_only=True, help_text="Het resultaat.")
    version = serializers.IntegerField(read_only=True, help_text="Versie, voor PATCH.")

    class Meta:
        model = Intervention
        fields = ["id", "case", "type", "organisation", "subject", "status", "plannedOn",
                  "startedOn", "endedOn", "durationMonths", "amountRecovered", "hoursSpent",
                  "result", "version"]
        read_only_fields = fields

    def to_representation(self, intervention: Intervention) -> dict:
        _shown(self.context, CASE, [intervention.case_id])
        _shown(self.context, SUBJECT, [intervention.subject_id])
        return super().to_representation(intervention)

    def get_subject(self, intervention: Intervention) -> str | None:
        if intervention.subject is None:
            return None
        return f"{intervention.subject.get_kind_display()}: {intervention.subject.name}"


class CaseSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text="Kenmerk van de casus.")
    title = serializers.CharField(read_only=True, help_text="Korte titel.")
    theme = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                         help_text="Thema (code).")
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                                help_text="CBS-code van de gemeente.")
    forum = serializers.CharField(source="forum.name", read_only=True,
                                  help_text="Overleg dat de casus nu behandelt.")
    stage = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                         help_text="Fase (code).")
    owner = serializers.CharField(source="owner.name", read_only=True,
                                  help_text="Regievoerende organisatie.")
    confidentiality = serializers.CharField(source="get_confidentiality_display",
                                            read_only=True, help_text="Vertrouwelijkheid.")
    openedOn = serializers.DateField(source="opened_on", read_only=True,
                                     help_text="Datum van openen.")
    decisionDueOn = serializers.DateField(source="decision_due_on", read_only=True,
                                          help_text="Uiterste besluitdatum in dit overleg.")
    decidedOn = serializers.DateField(source="decided_on", read_only=True,
                                      help_text="Datum van het eerste besluit in dit overleg.")
    closedOn = serializers.DateField(source="closed_on", read_only=True,
                                     help_text="Datum van afsluiten.")
    version = serializers.IntegerField(read_only=True,
                                       help_text="Versie; stuur mee bij wijzigingen.")
    overdue = serializers.SerializerMethodField(help_text="Beslistermijn verlopen.")
    signals = serializers.SerializerMethodField(help_text="Kenmerken van de gekoppelde "
                                                "signalen die u mag zien.")
    decisions = DecisionOutSerializer(many=True, read_only=True,
                                      help_text="Besluiten, oudste eerst.")

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
        rows = list(scope.signals_for(user).filter(case_links__case=case)
                    .values_list("pk", "reference"))
        _shown(self.context, SIGNAL, [pk for pk, _ref in rows])
        return [reference for _pk, reference in rows]


class CaseCreateSerializer(StrictSerializer):
    signals = serializers.ListField(child=serializers.RegexField(r"^[A-Za-z0-9-]{1,20}$"),
                                    min_length=1, max_length=50,
                                    help_text="Kenmerken van signalen die u mag zien.")
    forum = serializers.PrimaryKeyRelatedField(queryset=Forum.objects.filter(active=True),
                                               help_text="Id van het overleg.")
    title = serializers.CharField(max_length=200, help_text="Korte titel zonder namen.")
    openedOn = serializers.DateField(required=False, help_text="Standaard vandaag.")


class TransitionSerializer(StrictSerializer):
    toStage = CodeField(example="weging", queryset=Stage.objects.all(),
                                           help_text="Code van de nieuwe fase.")
    reason = serializers.CharField(help_text="Reden (verplicht).")
    version = _version_field()


class DecisionInSerializer(StrictSerializer):
    kind = CodeField(example="lokale-aanpak",
                                        queryset=DecisionKind.objects.filter(active=True),
                                        help_text="Code van het soort besluit.")
    reason = serializers.CharField(help_text="Reden (verplicht).")
    decidedOn = serializers.DateField(help_text="Datum van het besluit.")
    meeting = serializers.IntegerField(required=False, help_text="Id van de vergadering.")
    version = _version_field()


class InterventionCreateSerializer(StrictSerializer):
    type = CodeField(example="sluiting-13b",
                                        queryset=InterventionType.objects.filter(active=True),
                                        help_text="Code uit de interventiecatalogus.")
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(active=True),
        help_text="Id van de uitvoerende organisatie (deelnemer van het overleg).")
    plannedOn = serializers.DateField(help_text="Geplande datum.")
    durationMonths = serializers.IntegerField(required=False, min_value=1, max_value=120,
                                              help_text="Duur in maanden (alleen sluiting).")


class InterventionReportSerializer(StrictSerializer):
    required_in_patch = True  # PATCH still needs status and version (api.schema)

    status = serializers.ChoiceField(choices=InterventionStatus.values,
                                     help_text="gepland, lopend, afgerond of gestopt.")
    startedOn = serializers.DateField(required=False, allow_null=True,
                                      help_text="Startdatum (niet vóór het signaal).")
    endedOn = serializers.DateField(required=False, allow_null=True,
                                    help_text="Einddatum; verplicht bij afgerond/gestopt.")
    durationMonths = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                              max_value=120,
                                              help_text="Duur in maanden (alleen sluiting).")
    amountRecovered = serializers.DecimalField(
        required=False, allow_null=True, max_digits=12, decimal_places=2, min_value=0,
        help_text="Afgepakt bedrag in euro (alleen bij soorten met bedrag).")
    hoursSpent = serializers.DecimalField(required=False, allow_null=True, max_digits=8,
                                          decimal_places=1, min_value=0,
                                          help_text="Bestede uren tot nu toe.")
    result = serializers.CharField(required=False, allow_blank=True,
                                   help_text="Het resultaat; verplicht bij afgerond.")
    version = _version_field()


class RowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code van het soort besluit of interventie.")
    label = serializers.CharField(help_text="Naam (Nederlands).")
    count = serializers.IntegerField(source="shown", allow_null=True,
                                     help_text="Aantal; null: te klein om te tonen.")
    done = serializers.IntegerField(source="extra", allow_null=True, required=False,
                                    help_text="Waarvan afgerond; null: te klein.")


class DurationSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="De stap.")
    medianDays = serializers.FloatField(source="median_days", allow_null=True,
                                        help_text="Mediaan in dagen; null bij te weinig zaken.")
    count = serializers.IntegerField(allow_null=True, help_text="Aantal zaken; null: klein.")


COUNTS = "Aantallen (received, inCase/in_case, weighed, open); null: te klein om te tonen."


class FollowUpSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="municipality.code",
                                         help_text="CBS-code van de gemeente.")
    start = serializers.DateField(help_text="Begin van de periode.")
    end = serializers.DateField(help_text="Einde van de periode (tot en met).")
    signals = serializers.DictField(child=serializers.IntegerField(allow_null=True),
                                    help_text="Alle signalen: " + COUNTS)
    cannabisNotices = serializers.DictField(source="notices",
                                            child=serializers.IntegerField(allow_null=True),
                                            help_text="Hennepberichten politie: " + COUNTS)
    cases = serializers.DictField(child=serializers.IntegerField(allow_null=True),
                                  help_text="Casussen: opened, weighed, open, "
                                  "stopped_quickly, overdue; null: te klein. Definities: "
                                  "catalogus van cijfers (labels).")
    labels = serializers.DictField(child=serializers.CharField(),
                                   help_text="Het label van elk cijfer uit de catalogus "
                                   "van cijfers (opened, weighed, stopped_quickly, open, "
                                   "interventions, finished, recovered, hours, decisions).")
    decisions = RowSerializer(many=True, help_text="Besluiten per soort.")
    interventions = RowSerializer(many=True, help_text="Interventies per soort.")
    recoveredEuros = serializers.DecimalField(source="recovered", max_digits=14,
                                              decimal_places=2, allow_null=True,
                                              help_text="Totaal afgepakt; null bij te weinig "
                                              "zaken.")
    hoursSpent = serializers.DecimalField(source="hours", max_digits=12, decimal_places=1,
                                          allow_null=True,
                                          help_text="Totaal bestede uren; null bij te weinig "
                                          "zaken.")
    durations = DurationSerializer(many=True, help_text="Doorlooptijden per stap.")
