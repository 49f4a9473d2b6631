"""/api/v1/events: police incidents the caller may read, paged, filtered and logged.

Scoped by `scope.events_for` (rules in `organisations.event_scope`); bestuurders and
beheerders get 403 (aggregates only). Every page writes a processing-log row naming the
events on it; a refusal is logged with outcome `denied`.
"""

from __future__ import annotations

import re
from datetime import date

from django.db.models import QuerySet
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.schema import ApiAutoSchema
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.audit.log import Action, Outcome, record
from knooppunt.organisations import scope

from .models import Event

OBJECT_TYPE = "events.event"
PURPOSE = "Analyse van politie-incidenten"
NOT_FOUND = "Er is geen incident met dit nummer dat u mag zien."
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}")
MUNICIPALITY = re.compile(r"GM\d{4}")
PAGINATION = frozenset({"page", "pageSize"})

PARAMETERS = [
    OpenApiParameter("dataset", OpenApiTypes.STR, pattern=r"^[-a-zA-Z0-9_]{1,40}$",
                     description="Code van het incidentenbestand, bijv. twente-demo."),
    OpenApiParameter("code", OpenApiTypes.STR, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}$",
                     description="Delict- of incidentcode, bijv. 3.1.1 (Drugshandel)."),
    OpenApiParameter("municipality", OpenApiTypes.STR, pattern=r"^GM\d{4}$",
                     description="CBS-gemeentecode, bijv. GM0153."),
    OpenApiParameter("occurredFrom", OpenApiTypes.DATE,
                     description="Gepleegd op of na deze datum (JJJJ-MM-DD)."),
    OpenApiParameter("occurredUntil", OpenApiTypes.DATE,
                     description="Gepleegd op of vóór deze datum (JJJJ-MM-DD)."),
]
FILTERS = frozenset(p.name for p in PARAMETERS)


class EventSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Nummer van het incident.")
    dataset = serializers.CharField(source="dataset.code", read_only=True,
                                    help_text="Code van het incidentenbestand.")
    occurredOn = serializers.DateField(source="occurred_on", read_only=True,
                                       help_text="Pleegdatum (JJJJ-MM-DD).")
    hour = serializers.IntegerField(read_only=True, allow_null=True, min_value=0,
                                    max_value=23, help_text="Uur van de dag (0-23), null "
                                    "als het bestand geen tijd gaf.")
    code = serializers.CharField(source="offence.code", read_only=True,
                                 help_text="Delict- of incidentcode uit de codelijst.")
    label = serializers.CharField(source="offence.label", read_only=True,
                                  help_text="Omschrijving van de code.")
    category = serializers.CharField(source="offence.category", read_only=True,
                                     help_text="misdrijf, overlast of overig.")
    premisesType = serializers.CharField(source="premises_type", read_only=True,
                                         help_text="Soort locatie volgens de bron (mag leeg).")
    areaName = serializers.CharField(source="area_name", read_only=True,
                                     help_text="Gebied (buurt) volgens de bron (mag leeg).")
    x = serializers.FloatField(read_only=True, help_text="x in meters, stelsel `crs`.")
    y = serializers.FloatField(read_only=True, help_text="y in meters, stelsel `crs`.")
    crs = serializers.SerializerMethodField(help_text="EPSG-code van x en y, bijv. EPSG:28992.")
    latitude = serializers.FloatField(read_only=True, help_text="Breedtegraad (WGS84).")
    longitude = serializers.FloatField(read_only=True, help_text="Lengtegraad (WGS84).")
    municipality = serializers.CharField(
        source="municipality.code", read_only=True, allow_null=True, default=None,
        help_text="CBS-code van de gemeente waarin het incident ligt; null buiten Nederland.")

    class Meta:
        model = Event
        fields = ["id", "dataset", "occurredOn", "hour", "code", "label", "category",
                  "premisesType", "areaName", "x", "y", "crs", "latitude", "longitude",
                  "municipality"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_crs(self, event: Event) -> str:
        return f"EPSG:{event.dataset.crs}"


def _invalid(name: str, message: str, code: str = "invalid") -> serializers.ValidationError:
    return serializers.ValidationError({name[:60]: [serializers.ErrorDetail(message, code)]})


def _date(params: QueryDict, name: str) -> date | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise _invalid(name, "Gebruik het formaat JJJJ-MM-DD met een bestaande datum.") \
            from None


def apply_filters(queryset: QuerySet, params: QueryDict) -> QuerySet:
    """Narrow the scoped events by the query parameters; unknown or malformed: 400."""
    unknown = sorted(set(params) - FILTERS - PAGINATION)
    if unknown:
        raise _invalid(unknown[0], "Onbekende parameter; bekend zijn: "
                       + ", ".join(sorted(FILTERS | PAGINATION)) + ".", "unknown_parameter")
    checks = {"dataset": re.compile(r"[-a-zA-Z0-9_]{1,40}"), "code": CODE,
              "municipality": MUNICIPALITY}
    for name, pattern in checks.items():
        value = params.get(name)
        if value is not None and not pattern.fullmatch(value):
            raise _invalid(name, "Ongeldige waarde.")
    if "dataset" in params:
        queryset = queryset.filter(dataset__code=params["dataset"])
    if "code" in params:
        queryset = queryset.filter(offence__code=params["code"])
    if "municipality" in params:
        queryset = queryset.filter(municipality__code=params["municipality"])
    start, end = _date(params, "occurredFrom"), _date(params, "occurredUntil")
    if start:
        queryset = queryset.filter(occurred_on__gte=start)
    if end:
        queryset = queryset.filter(occurred_on__lte=end)
    return queryset


class EventSchema(ApiAutoSchema):
    problem_descriptions = {
        403: "De gebruiker achter de sleutel heeft geen rol die politie-incidenten mag zien "
             "(een bestuurder ziet alleen geaggregeerde cijfers)."}


class ReadsEvents(permissions.BasePermission):
    message = ("Uw rol geeft geen toegang tot politie-incidenten; u ziet alleen "
               "geaggregeerde cijfers.")

    def has_permission(self, request, view) -> bool:
        return scope.sees_personal_data(request.user)


@extend_schema(tags=["Politie-incidenten"])
@extend_schema_view(
    list=extend_schema(
        summary="Politie-incidenten die u mag zien",
        description="Incidentregistraties (datum, uur, code, plaats) uit de "
        "incidentenbestanden die u mag lezen, nieuwste eerst, per pagina. x en y in het "
        "stelsel van het bestand (`crs`), daarnaast breedte- en lengtegraad (WGS84).",
        parameters=PARAMETERS),
    retrieve=extend_schema(
        summary="Eén incident",
        description="404 als het niet bestaat of als u het niet mag zien.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description="Nummer van het incident.")]),
)
class EventViewSet(DutchResponsesMixin, SettingsThrottlesMixin, mixins.ListModelMixin,
                   mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EventSerializer
    schema = EventSchema()
    permission_classes = [permissions.IsAuthenticated, ReadsEvents]
    write_actions: dict[str, str] = {}
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet:
        return (scope.events_for(self.request.user)
                .select_related("dataset", "offence", "municipality")
                .order_by("-occurred_on", "-hour", "-id"))

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(apply_filters(self.get_queryset(), request.query_params))
        record(user=request.user, action=Action.LIST, object_type=OBJECT_TYPE,
               object_ids=[e.pk for e in page], purpose=PURPOSE,
               detail=request.GET.urlencode()[:200], channel="api")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        event = self.get_queryset().filter(pk=int(kwargs["pk"])).first()
        if event is None:
            record(user=request.user, action=Action.VIEW, object_type=OBJECT_TYPE,
                   purpose=PURPOSE, outcome=Outcome.DENIED, detail=f"nummer {kwargs['pk']}",
                   channel="api")
            raise exceptions.NotFound(NOT_FOUND)
        record(user=request.user, action=Action.VIEW, obj=event, purpose=PURPOSE,
               channel="api")
        return Response(self.get_serializer(event).data)

    def permission_denied(self, request: Request, message=None, code=None) -> None:
        if request.user and request.user.is_authenticated:
            record(user=request.user, action=Action.VIEW, object_type=OBJECT_TYPE,
                   purpose=PURPOSE, outcome=Outcome.DENIED,
                   detail="rol zonder toegang tot incidenten", channel="api")
        super().permission_denied(request, message=message, code=code)
