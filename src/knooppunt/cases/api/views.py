"""/api/v1/cases, /api/v1/interventions and /api/v1/follow-up: scoped by `scope`, logged,
written only through `cases.services` (same rules as the pages).

A stale `version` answers 409 (problem+json) and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.problems import problem_response
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.audit.log import Action, record
from knooppunt.audit.shown import Shown
from knooppunt.geo.models import Municipality
from knooppunt.organisations import scope

from .. import followup, services
from ..models import Case
from .serializers import (
    CaseCreateSerializer,
    CaseSerializer,
    DecisionInSerializer,
    DecisionOutSerializer,
    FollowUpSerializer,
    InterventionCreateSerializer,
    InterventionReportSerializer,
    InterventionSerializer,
    TransitionSerializer,
)

NOT_FOUND = "Er is geen casus met dit kenmerk die u mag zien."
REFERENCE = OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH,
                             description="Kenmerk van de casus, bijv. CAS-2026-000123.")


class SeesCases(permissions.BasePermission):
    message = "Uw rol geeft geen toegang tot casussen; u ziet alleen geaggregeerde cijfers."

    def has_permission(self, request, view) -> bool:
        return scope.sees_personal_data(request.user)


def _conflict(request: Request, exc: services.StaleVersion) -> Response:
    return problem_response(status.HTTP_409_CONFLICT, exc.message, request)


def _refuse_denied(request: Request, what: str, detail: str) -> None:
    record(user=request.user, action=Action.VIEW, object_type=what,
           purpose=services.PURPOSE_CASE, outcome="denied", detail=detail[:200],
           channel="api")


class LoggedReadsMixin:
    """List and retrieve that write the processing log: one entry per page, one per object.

    A viewset names what it logs (`log_object_type`, `log_purpose`) and how it finds one
    visible object (`visible_object`, which logs a refusal and raises NotFound).
    """

    log_object_type: str
    log_purpose: str = services.PURPOSE_CASE

    def visible_object(self):
        raise NotImplementedError

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "shown": getattr(self, "shown", None)}

    def _log_shown(self, request: Request, main: list) -> None:
        """The records the serializers rendered beside the main objects (`audit.shown`)."""
        self.shown.record(user=request.user, purpose=self.log_purpose, channel="api",
                          detail=f"getoond bij {self.log_object_type} "
                                 f"{', '.join(str(o.pk) for o in main[:20])}",
                          leave_out={self.log_object_type: main})

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        record(user=request.user, action=Action.LIST, object_type=self.log_object_type,
               object_ids=[o.pk for o in page], purpose=self.log_purpose, channel="api")
        self.shown = Shown()
        data = self.get_serializer(page, many=True).data
        self._log_shown(request, list(page))
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        found = self.visible_object()
        record(user=request.user, action=Action.VIEW, obj=found, purpose=self.log_purpose,
               channel="api")
        self.shown = Shown()
        data = self.get_serializer(found).data
        self._log_shown(request, [found])
        return Response(data)


@extend_schema(tags=["Casussen"])
@extend_schema_view(
    list=extend_schema(summary="Casussen die u mag zien"),
    retrieve=extend_schema(summary="Eén casus", parameters=[REFERENCE]),
    create=extend_schema(summary="Een casus openen uit signalen",
                         request=CaseCreateSerializer, responses={201: CaseSerializer}),
)
class CaseViewSet(LoggedReadsMixin, DutchResponsesMixin, SettingsThrottlesMixin,
                  mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    log_object_type = "cases.case"
    serializer_class = CaseSerializer
    permission_classes = [permissions.IsAuthenticated, SeesCases]
    lookup_field = "reference"
    problem_codes = {"transitions": [409], "decisions": [409]}
    # Which rule of `organisations.permissions` decides each write action.
    write_actions = {"create": "case.open", "transitions": "case.move",
                     "decisions": "case.decide", "interventions": "case.assign_intervention"}
    lookup_value_regex = "[A-Za-z0-9-]{1,20}"

    def get_queryset(self) -> QuerySet:
        return (scope.cases_for(self.request.user)
                .select_related("theme", "municipality", "forum", "stage", "owner")
                .prefetch_related("decisions__kind", "decisions__decided_by",
                                  "decisions__forum"))

    def _case(self) -> Case:
        case = self.get_queryset().filter(reference=self.kwargs["reference"]).first()
        if case is None:
            _refuse_denied(self.request, "cases.case", f"kenmerk {self.kwargs['reference']}")
            raise exceptions.NotFound(NOT_FOUND)
        return case

    def visible_object(self) -> Case:
        return self._case()

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        references = data["signals"]
        signals = list(scope.signals_for(request.user).filter(reference__in=references))
        missing = sorted(set(references) - {s.reference for s in signals})
        if missing:
            raise exceptions.ValidationError(
                {"signals": [f"Signaal {missing[0]} bestaat niet of u mag het niet zien."]})
        case = services.open_case(user=request.user, signals=signals, forum=data["forum"],
                                  title=data["title"], opened_on=data.get("openedOn"))
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="De casus naar een andere fase zetten", parameters=[REFERENCE],
                   request=TransitionSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request: Request, reference: str) -> Response:
        case = self._case()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.change_stage(user=request.user, case=case, to_stage=data["toStage"],
                                  reason=data["reason"], version=data["version"])
        except services.StaleVersion as exc:
            return _conflict(request, exc)
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(summary="Een besluit vastleggen (met reden)", parameters=[REFERENCE],
                   request=DecisionInSerializer,
                   responses={201: DecisionOutSerializer})
    @action(detail=True, methods=["post"], url_path="decisions")
    def decisions(self, request: Request, reference: str) -> Response:
        case = self._case()
        serializer = DecisionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = None
        if data.get("meeting") is not None:
            meeting = scope.meetings_for(request.user).filter(pk=data["meeting"]).first()
            if meeting is None:
                raise exceptions.ValidationError({"meeting": ["Onbekende vergadering."]})
        try:
            decision = services.decide(user=request.user, case=case, kind=data["kind"],
                                       reason=data["reason"], decided_on=data["decidedOn"],
                                       version=data["version"], meeting=meeting)
        except services.StaleVersion as exc:
            return _conflict(request, exc)
        return Response(DecisionOutSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Een interventie toewijzen", parameters=[REFERENCE],
                   request=InterventionCreateSerializer,
                   responses={201: InterventionSerializer})
    @action(detail=True, methods=["post"], url_path="interventions")
    def interventions(self, request: Request, reference: str) -> Response:
        case = self._case()
        serializer = InterventionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        intervention = services.add_intervention(
            user=request.user, case=case, intervention_type=data["type"],
            organisation=data["organisation"], planned_on=data["plannedOn"],
            duration_months=data.get("durationMonths"),
            decision=case.decisions.order_by("-decided_on", "-pk").first())
        return Response(InterventionSerializer(intervention).data,
                        status=status.HTTP_201_CREATED)


ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                      description="Nummer van de interventie.")


@extend_schema(tags=["Interventies"])
@extend_schema_view(
    list=extend_schema(summary="Interventies die u mag zien",
                       description="Van casussen die u mag zien en de interventies die aan "
                       "uw organisatie zijn toegewezen (met alleen de kop van de casus)."),
    retrieve=extend_schema(summary="Eén interventie", parameters=[ID]),
    partial_update=extend_schema(
        summary="Terugkoppelen: status, data, resultaat, bedrag, uren",
        description="Alleen de organisatie waaraan de interventie is toegewezen.",
        parameters=[ID], request=InterventionReportSerializer,
        responses={200: InterventionSerializer}),
)
class InterventionViewSet(LoggedReadsMixin, DutchResponsesMixin, SettingsThrottlesMixin,
                          mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.UpdateModelMixin, viewsets.GenericViewSet):
    log_object_type = "cases.intervention"
    log_purpose = services.PURPOSE_INTERVENTION
    serializer_class = InterventionSerializer
    permission_classes = [permissions.IsAuthenticated, SeesCases]
    http_method_names = ["get", "patch", "head", "options"]
    problem_codes = {"partial_update": [409]}
    write_actions = {"partial_update": "intervention.report", "update": "intervention.report"}

    def get_queryset(self) -> QuerySet:
        return (scope.interventions_for(self.request.user)
                .select_related("type", "organisation", "subject", "case__theme",
                                "case__municipality", "case__forum")
                .order_by("-planned_on", "-pk"))

    def _intervention(self):
        found = self.get_queryset().filter(pk=self.kwargs["pk"]).first() \
            if str(self.kwargs["pk"]).isdigit() and len(str(self.kwargs["pk"])) < 12 else None
        if found is None:
            _refuse_denied(self.request, "cases.intervention", f"id {self.kwargs['pk']}"[:60])
            raise exceptions.NotFound("Er is geen interventie met dit nummer die u mag zien.")
        return found

    def visible_object(self):
        return self._intervention()

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        intervention = self._intervention()
        serializer = InterventionReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def value(key: str, attribute: str):
            return data[key] if key in data else getattr(intervention, attribute)

        try:
            updated = services.report_intervention(
                user=request.user, intervention=intervention, version=data["version"],
                status=data["status"], started_on=value("startedOn", "started_on"),
                ended_on=value("endedOn", "ended_on"),
                duration_months=value("durationMonths", "duration_months"),
                amount_recovered=value("amountRecovered", "amount_recovered"),
                hours_spent=value("hoursSpent", "hours_spent"),
                result=value("result", "result"))
        except services.StaleVersion as exc:
            return _conflict(request, exc)
        return Response(self.get_serializer(self.get_queryset().get(pk=updated.pk)).data)

    def update(self, request: Request, *args, **kwargs) -> Response:  # pragma: no cover
        raise exceptions.MethodNotAllowed(request.method)


class FollowUpView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    """Follow-up figures per municipality and period; aggregates only, small counts hidden."""

    permission_classes = [permissions.IsAuthenticated]
    problem_codes = {"get": [400, 404]}

    @extend_schema(
        tags=["Opvolging"], summary="Opvolging per gemeente en periode",
        description="Hoeveel hennepberichten en andere signalen binnenkwamen, hoeveel "
        "gewogen zijn, welke besluiten en interventies volgden, afgepakt bedrag, uren, "
        "doorlooptijden en wat nog openstaat. Aantallen onder de drempel zijn null.",
        parameters=[
            OpenApiParameter("municipality", {"type": "string", "pattern": r"^GM\d{4}$"},
                             required=True, description="CBS-code, bijv. GM0153."),
            OpenApiParameter("period", OpenApiTypes.STR, description=(
                "Vaste periode: 2026, 2026-H1, 2026-K1 (of 2026-Q1) of 2026-03; in "
                "plaats van from/to.")),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Standaard 1 januari."),
            OpenApiParameter("to", OpenApiTypes.DATE, description=(
                "Standaard vandaag. Wie afgeschermde cijfers krijgt (niet elk signaal, elke "
                "casus en interventie van de gemeente mag openen), krijgt alleen vaste "
                "perioden: from/to moeten precies een maand, kwartaal, halfjaar of jaar "
                "zijn (standaard het lopende kalenderjaar), anders 400.")),
        ],
        responses={200: FollowUpSerializer},
    )
    def get(self, request: Request) -> Response:
        from rest_framework import serializers as s

        params = type("Params", (s.Serializer,), {
            "municipality": s.RegexField(r"^GM\d{4}$", error_messages={
                "invalid": "Geef een CBS-gemeentecode zoals GM0153."}),
            "period": s.CharField(required=False),
            "from": s.DateField(required=False),
            "to": s.DateField(required=False),
        })(data=request.query_params)
        params.is_valid(raise_exception=True)
        code = params.validated_data["municipality"]
        municipality = scope.municipalities_for(request.user).filter(code=code).first()
        if municipality is None:
            if not Municipality.objects.filter(code=code).exists():
                # A well-formed code of no municipality: nothing to follow up (404).
                raise exceptions.NotFound("Er is geen gemeente met deze code.")
            raise exceptions.PermissionDenied("Deze gemeente hoort niet bij uw werkgebied.")
        exact = followup.exact_for(request.user, municipality)
        start, end = followup.default_period(fixed=not exact)
        if params.validated_data.get("period"):
            try:
                start, end = followup.parse_period(params.validated_data["period"])
            except ValueError:
                raise ValidationError({"period": [
                    "Onbekende periode: geef bijv. 2026, 2026-H1, 2026-K1 of 2026-03."]}
                ) from None
        start = params.validated_data.get("from") or start
        end = params.validated_data.get("to") or end
        if end < start:
            raise ValidationError({"to": ["'to' ligt vóór 'from'."]})
        if not exact and not followup.is_fixed(start, end):
            error = followup.FreePeriod()
            reason = f"{error.dutch} / {error.english}"
            raise ValidationError({"from": [reason], "to": [reason]})
        result = followup.build(request.user, municipality, start, end)
        return Response(FollowUpSerializer(result).data)
