"""/api/v1/meetings: plan meetings of forums the user sits in, set the agenda, record who
attended and chaired, and record decisions per agenda item.

Scoped by `scope.meetings_for` / `scope.cases_for`, written only through `cases.services`
(the same rules as the meeting page), logged; a stale `version` answers 409.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.organisations import scope

from .. import attendance, services
from ..models import Case, Meeting
from .meeting_serializers import (
    AgendaInSerializer,
    AttendanceSerializer,
    MeetingCreateSerializer,
    MeetingDecisionSerializer,
    MeetingSerializer,
    visible_parts,
)
from .serializers import DecisionOutSerializer
from .views import LoggedReadsMixin, SeesCases, _conflict, _refuse_denied

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                      description="Nummer van de vergadering.")
REFERENCE = OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH,
                             description="Kenmerk van de casus op de agenda.")
NOT_FOUND = "Er is geen vergadering met dit nummer die u mag zien."


def _people(usernames: list[str], field: str, eligible: QuerySet, why: str = "") -> list:
    """The users named, looked up only among the people eligible for the forum: someone of
    another organisation gets the same answer as a username nobody has, so the API neither
    confirms that an account exists nor shows its name."""
    found = {u.username: u for u in eligible.filter(username__in=usernames)}
    missing = [n for n in usernames if n not in found]
    if missing:
        raise exceptions.ValidationError({field: [
            f"'{missing[0][:60]}' is onbekend of geen lid van een deelnemende organisatie"
            f"{why}."]})
    return [found[n] for n in usernames]


@extend_schema(tags=["Vergaderingen"])
@extend_schema_view(
    list=extend_schema(summary="Vergaderingen van overleggen waaraan u deelneemt"),
    retrieve=extend_schema(summary="Eén vergadering: aanwezigen, agenda, besluiten",
                           parameters=[ID]),
    create=extend_schema(summary="Een vergadering plannen",
                         description="Alleen een coördinator van een deelnemende organisatie.",
                         request=MeetingCreateSerializer, responses={201: MeetingSerializer}),
)
class MeetingViewSet(LoggedReadsMixin, DutchResponsesMixin, SettingsThrottlesMixin,
                     mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    log_object_type = "cases.meeting"
    serializer_class = MeetingSerializer
    permission_classes = [permissions.IsAuthenticated, SeesCases]
    problem_codes = {"attendance": [409], "decisions": [409]}
    # Which rule of `organisations.permissions` decides each write action.
    write_actions = {"create": "meeting.chair", "agenda": "meeting.chair",
                     "agenda_item": "meeting.chair", "attendance": "meeting.chair",
                     "decisions": "case.decide"}

    def get_queryset(self) -> QuerySet:
        queryset = (scope.meetings_for(self.request.user)
                    .select_related("forum", "chair").order_by("-held_on", "-pk"))
        if self.action in ("list", "retrieve"):
            # Three queries for a page instead of three per meeting: the serializer reads
            # what is prefetched here (the visible cases' agenda items and decisions).
            queryset = queryset.prefetch_related(*visible_parts(self.request.user))
        return queryset

    def _meeting(self) -> Meeting:
        pk = str(self.kwargs["pk"])
        found = (self.get_queryset().filter(pk=pk).first()
                 if pk.isdigit() and len(pk) < 12 else None)
        if found is None:
            _refuse_denied(self.request, "cases.meeting", f"id {pk}"[:60])
            raise exceptions.NotFound(NOT_FOUND)
        return found

    def _case(self, reference: str, field: str = "case") -> Case:
        case = scope.cases_for(self.request.user).filter(reference=reference).first()
        if case is None:
            _refuse_denied(self.request, "cases.case", f"kenmerk {reference}"[:60])
            raise exceptions.ValidationError(
                {field: [f"Er is geen casus {reference} die u mag zien."]})
        return case

    def _answer(self, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=meeting.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def visible_object(self) -> Meeting:
        return self._meeting()

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = MeetingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not scope.forums_for(request.user).filter(pk=data["forum"].pk).exists():
            raise exceptions.ValidationError({"forum": ["U neemt niet deel aan dit overleg."]})
        meeting = services.plan_meeting(user=request.user, forum=data["forum"],
                                        held_on=data["heldOn"],
                                        attendees=data.get("guests", ""))
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(summary="Een casus op de agenda zetten", parameters=[ID],
                   request=AgendaInSerializer, responses={200: MeetingSerializer})
    @action(detail=True, methods=["post"], url_path="agenda")
    def agenda(self, request: Request, pk: str) -> Response:
        meeting = self._meeting()
        serializer = AgendaInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = self._case(serializer.validated_data["case"])
        services.put_on_agenda(user=request.user, meeting=meeting, case=case)
        return self._answer(meeting)

    @extend_schema(summary="Een casus van de agenda halen",
                   description="Niet als de vergadering er al over besloot.",
                   parameters=[ID, REFERENCE],
                   responses={204: OpenApiResponse(description="Van de agenda gehaald.")})
    @action(detail=True, methods=["delete"], url_path=r"agenda/(?P<reference>[A-Za-z0-9-]{1,20})",
            url_name="agenda-item")
    def agenda_item(self, request: Request, pk: str, reference: str) -> Response:
        meeting = self._meeting()
        case = scope.cases_for(request.user).filter(reference=reference).first()
        if case is None or not meeting.items.filter(case=case).exists():
            _refuse_denied(request, "cases.case", f"kenmerk {reference}"[:60])
            raise exceptions.NotFound("Deze casus staat niet op de agenda (of u mag hem niet "
                                      "zien).")
        services.remove_from_agenda(user=request.user, meeting=meeting, case=case)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Aanwezigen en voorzitter vastleggen",
                   description="Vervangt de lijst aanwezigen. Alleen leden van deelnemende "
                   "organisaties; gasten als vrije tekst.",
                   parameters=[ID], request=AttendanceSerializer,
                   responses={200: MeetingSerializer})
    @action(detail=True, methods=["put"], url_path="attendance")
    def attendance(self, request: Request, pk: str) -> Response:
        meeting = self._meeting()
        serializer = AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        eligible = attendance.eligible_people(meeting.forum)
        people = _people(data["attendees"], "attendees", eligible)
        chair = _people([data["chair"]], "chair", eligible)[0] if data.get("chair") else None
        try:
            services.set_attendance(user=request.user, meeting=meeting, people=people,
                                    chair=chair, guests=data.get("guests", meeting.attendees),
                                    version=data["version"])
        except services.StaleVersion as exc:
            return _conflict(request, exc)
        return self._answer(meeting)

    @extend_schema(summary="Een besluit over een agendapunt vastleggen (met reden)",
                   description="`decidedBy` noemt wie besloot (bijv. de voorzitter); "
                   "standaard uzelf. `version` is die van de casus.",
                   parameters=[ID], request=MeetingDecisionSerializer,
                   responses={201: DecisionOutSerializer})
    @action(detail=True, methods=["post"], url_path="decisions")
    def decisions(self, request: Request, pk: str) -> Response:
        meeting = self._meeting()
        serializer = MeetingDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = self._case(data["case"])
        if not meeting.items.filter(case=case).exists():
            raise exceptions.ValidationError(
                {"case": ["Deze casus staat niet op de agenda van deze vergadering."]})
        decider = _people([data["decidedBy"]], "decidedBy",
                          attendance.eligible_people(case.forum, (case.owner_id,)),
                          ", en kan dus niet als besluitnemer worden genoemd",
                          )[0] if data.get("decidedBy") else None
        try:
            decision = services.decide(
                user=request.user, case=case, kind=data["kind"], reason=data["reason"],
                decided_on=data.get("decidedOn") or min(meeting.held_on,
                                                        timezone.localdate()),
                version=data["version"], meeting=meeting, decided_by=decider)
        except services.StaleVersion as exc:
            return _conflict(request, exc)
        return Response(DecisionOutSerializer(decision).data, status=status.HTTP_201_CREATED)
