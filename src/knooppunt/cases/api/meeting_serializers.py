"""Meeting representations for /api/v1/meetings (camelCase, Dutch help).

People are named by their user name (e.g. `coordinator.enschede`); only members of the
forum's organisations can be attendees, chair or decider. Guests are free text.
"""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from knooppunt.audit.shown import CASE
from knooppunt.organisations import scope
from knooppunt.signals.api.fields import CodeField

from .. import attendance
from ..models import AgendaItem, Decision, DecisionKind, Forum, Meeting, MeetingAttendee
from .serializers import DecisionOutSerializer, StrictSerializer, _version_field

USERNAME = r"^[\w.@+-]{1,150}$"


def _shown(context: dict, object_type: str, items) -> None:
    """Note records rendered beside the main ones; the view logs them (`audit.shown`)."""
    shown = context.get("shown")
    if shown is not None:
        shown.add(object_type, items)


class AttendeeSerializer(serializers.Serializer):
    person = serializers.CharField(source="person.username",
                                   help_text="Gebruikersnaam van de aanwezige.")
    name = serializers.SerializerMethodField(help_text="Naam van de aanwezige.")
    organisation = serializers.CharField(source="organisation.name",
                                         help_text="Namens welke organisatie.")

    def get_name(self, row) -> str:
        return attendance.display_name(row.person)


class AgendaEntrySerializer(serializers.Serializer):
    reference = serializers.CharField(source="case.reference", help_text="Kenmerk van de casus.")
    title = serializers.CharField(source="case.title", help_text="Titel van de casus.")
    stage = serializers.CharField(source="case.stage.code", help_text="Fase (code).")
    version = serializers.IntegerField(source="case.version",
                                       help_text="Versie van de casus, voor een besluit.")


class MeetingDecisionOutSerializer(DecisionOutSerializer):
    case = serializers.CharField(source="case.reference", read_only=True,
                                 help_text="Kenmerk van de casus.")

    class Meta(DecisionOutSerializer.Meta):
        fields = ["case", *DecisionOutSerializer.Meta.fields]


class MeetingSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Nummer van de vergadering.")
    forum = serializers.IntegerField(source="forum_id", read_only=True,
                                     help_text="Id van het overleg.")
    forumName = serializers.CharField(source="forum.name", read_only=True,
                                      help_text="Naam van het overleg.")
    heldOn = serializers.DateField(source="held_on", read_only=True, help_text="Datum.")
    chair = serializers.SerializerMethodField(help_text="Gebruikersnaam van de voorzitter.")
    attendees = serializers.SerializerMethodField(
        help_text="Aanwezige leden van deelnemende organisaties.")
    guests = serializers.CharField(source="attendees", read_only=True,
                                   help_text="Gasten (vrije tekst, één per regel).")
    agenda = serializers.SerializerMethodField(
        help_text="Agendapunten: alleen de casussen die u mag zien.")
    decisions = serializers.SerializerMethodField(
        help_text="Besluiten in deze vergadering over casussen die u mag zien.")
    version = serializers.IntegerField(read_only=True,
                                       help_text="Versie; stuur mee bij het vastleggen van "
                                       "de aanwezigheid.")

    class Meta:
        model = Meeting
        fields = ["id", "forum", "forumName", "heldOn", "chair", "attendees", "guests",
                  "agenda", "decisions", "version"]
        read_only_fields = fields

    def get_chair(self, meeting: Meeting) -> str | None:
        return meeting.chair.username if meeting.chair_id else None

    @extend_schema_field(AttendeeSerializer(many=True))
    def get_attendees(self, meeting: Meeting) -> list[dict[str, str]]:
        rows = _parts(meeting, self.context["request"].user)["attendance_rows"]
        return AttendeeSerializer(rows, many=True).data

    @extend_schema_field(AgendaEntrySerializer(many=True))
    def get_agenda(self, meeting: Meeting) -> list[dict[str, object]]:
        items = _parts(meeting, self.context["request"].user)["visible_items"]
        _shown(self.context, CASE, [i.case_id for i in items])
        return AgendaEntrySerializer(items, many=True).data

    @extend_schema_field(MeetingDecisionOutSerializer(many=True))
    def get_decisions(self, meeting: Meeting) -> list[dict[str, object]]:
        decisions = _parts(meeting, self.context["request"].user)["visible_decisions"]
        _shown(self.context, CASE, [d.case_id for d in decisions])
        return MeetingDecisionOutSerializer(decisions, many=True).data


def visible_parts(user) -> list[Prefetch]:
    """A meeting's attendance, and its agenda items and decisions about cases the user
    may see (scope.cases_for), as prefetches for a page of meetings."""
    visible = scope.cases_for(user).values("pk")
    return [
        Prefetch("attendance", queryset=MeetingAttendee.objects.select_related(
            "person", "organisation"), to_attr="attendance_rows"),
        Prefetch("items", queryset=AgendaItem.objects.filter(case__in=visible)
                 .select_related("case__stage"), to_attr="visible_items"),
        Prefetch("decisions", queryset=Decision.objects.filter(case__in=visible)
                 .select_related("kind", "forum", "decided_by", "case"),
                 to_attr="visible_decisions"),
    ]


def _parts(meeting: Meeting, user) -> dict[str, list]:
    """The prefetched parts, or (a meeting that was not prefetched) the same queries."""
    if not hasattr(meeting, "visible_items"):
        prefetch_related_objects([meeting], *visible_parts(user))
    return {name: getattr(meeting, name)
            for name in ("attendance_rows", "visible_items", "visible_decisions")}


class MeetingCreateSerializer(StrictSerializer):
    forum = serializers.PrimaryKeyRelatedField(queryset=Forum.objects.filter(active=True),
                                               help_text="Id van het overleg.")
    heldOn = serializers.DateField(help_text="Datum van de vergadering.")
    guests = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                   help_text="Gasten (vrije tekst, één per regel).")


class AgendaInSerializer(StrictSerializer):
    case = serializers.RegexField(r"^[A-Za-z0-9-]{1,20}$",
                                  help_text="Kenmerk van een casus van dit overleg.")


class AttendanceSerializer(StrictSerializer):
    attendees = serializers.ListField(
        child=serializers.RegexField(USERNAME), max_length=200,
        help_text="Gebruikersnamen van de aanwezige leden (vervangt de vorige lijst).")
    chair = serializers.RegexField(USERNAME, required=False, allow_null=True,
                                   help_text="Gebruikersnaam van de voorzitter (een van de "
                                   "aanwezigen).")
    guests = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                   help_text="Gasten (vrije tekst, één per regel).")
    version = serializers.IntegerField(min_value=1, help_text="De versie van de vergadering "
                                       "die u het laatst las; gewijzigd intussen: 409.")


class MeetingDecisionSerializer(StrictSerializer):
    case = serializers.RegexField(r"^[A-Za-z0-9-]{1,20}$",
                                  help_text="Kenmerk van een casus op de agenda.")
    kind = CodeField(example="lokale-aanpak",
                                        queryset=DecisionKind.objects.filter(active=True),
                                        help_text="Code van het soort besluit.")
    reason = serializers.CharField(help_text="Reden (verplicht).")
    decidedOn = serializers.DateField(required=False,
                                      help_text="Datum; standaard de vergaderdatum.")
    decidedBy = serializers.RegexField(USERNAME, required=False,
                                       help_text="Gebruikersnaam van wie besloot (lid van "
                                       "een deelnemende organisatie); standaard uzelf.")
    version = _version_field()
