"""/api/v1/signals: list, create and retrieve signals, scoped by `scope` and logged.

Every answer that shows signals writes a processing-log row (channel `api`): the list
names the signals on the page, a retrieve the one signal, a create is logged by
`services.create_signal`. Refused attempts are logged with outcome `denied`.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.audit.log import (
    PURPOSE_SIGNAL_HANDLING,
    PURPOSE_SIGNAL_INTAKE,
    Action,
    Outcome,
    record,
)
from knooppunt.audit.shown import CASE, SIGNAL, Shown
from knooppunt.organisations import scope
from knooppunt.organisations.permissions import Action as Do

from ..models import Signal
from .filters import FILTER_PARAMETERS, apply_filters
from .permissions import WorksWithSignals
from .serializers import SignalSerializer

OBJECT_TYPE = "signals.signal"
# Anything else cannot be a reference and is not looked up (same 404 either way).
REFERENCE_PATTERN = re.compile(r"[A-Za-z0-9-]{1,20}")
NOT_FOUND = "Er is geen signaal met dit kenmerk dat u mag zien."

CREATE_EXAMPLE = OpenApiExample(
    "Hennepgeur in Enschede",
    request_only=True,
    value={
        "theme": "hennepteelt",
        "sourceType": "politie",
        "receivedOn": "2025-03-01",
        "municipality": "GM0153",
        "street": "Oude Markt",
        "houseNumber": 1,
        "postcode": "7511 GA",
        "city": "Enschede",
        "latitude": 52.2215,
        "longitude": 6.8937,
        "description": "Sterke hennepgeur bij woning, ramen afgeplakt.",
        "confidentiality": "normaal",
    },
)


def _log_named_in_history(request: Request, signals: list, detail: str,
                          already: list[int] = ()) -> None:
    """Status notes name the cases a signal was linked to: those references are shown."""
    shown = Shown()
    shown.add_named(change.get("note") or "" for s in signals for change in s.get("history") or [])
    shown.record(user=request.user, purpose=PURPOSE_SIGNAL_HANDLING, channel="api",
                 detail=f"casussen genoemd in de statusgeschiedenis ({detail})",
                 leave_out={CASE: already})


@extend_schema(tags=["Signalen"])
@extend_schema_view(
    list=extend_schema(
        summary="Signalen die u mag zien",
        description="De signalen van uw organisatie en de signalen die partners via een "
        "geldig convenant met u delen, nieuwste eerst, per pagina.",
        parameters=FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "reference",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Kenmerk van het signaal, bijv. KNP-2025-000123.",
            )
        ],
        summary="Eén signaal",
        description="Een signaal op kenmerk. 404 als het niet bestaat of als u het niet "
        "mag zien; die twee zijn bewust niet van elkaar te onderscheiden.",
    ),
    create=extend_schema(
        summary="Een signaal aanleveren",
        description="Registreert een signaal namens uw organisatie. Bij een fout wordt "
        "niets opgeslagen en noemt `invalidParams` elk veld met de reden.",
        examples=[CREATE_EXAMPLE],
    ),
)
class SignalViewSet(
    DutchResponsesMixin,
    SettingsThrottlesMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SignalSerializer
    permission_classes = [permissions.IsAuthenticated, WorksWithSignals]
    # Which rule of `organisations.permissions` decides each write action.
    write_actions = {"create": Do.SIGNAL_CREATE}
    lookup_field = "reference"

    def get_queryset(self) -> QuerySet:
        return (
            scope.signals_for(self.request.user)
            .select_related("theme", "source_type", "municipality", "reporting_organisation",
                            "district", "neighbourhood")
            .prefetch_related("history")
        )

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(apply_filters(self.get_queryset(), request.query_params))
        record(
            user=request.user,
            action=Action.LIST,
            object_type=OBJECT_TYPE,
            object_ids=[signal.pk for signal in page],
            purpose=PURPOSE_SIGNAL_HANDLING,
            detail=request.GET.urlencode(),
            channel="api",
        )
        data = self.get_serializer(page, many=True).data
        _log_named_in_history(request, data, "signalenlijst")
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        reference = kwargs[self.lookup_field]
        signal = None
        if REFERENCE_PATTERN.fullmatch(reference):
            signal = self.get_queryset().filter(reference=reference).first()
        if signal is None:
            shown = reference[:40] if reference.isprintable() else "(onleesbaar)"
            self._record_denied(Action.VIEW, f"kenmerk {shown}")
            raise exceptions.NotFound(NOT_FOUND)
        record(
            user=request.user,
            action=Action.VIEW,
            obj=signal,
            purpose=PURPOSE_SIGNAL_HANDLING,
            channel="api",
        )
        cases = list(scope.cases_of_signal(request.user, signal))
        if cases:
            record(user=request.user, action=Action.LIST, object_type="cases.case",
                   object_ids=[c.pk for c in cases], purpose=PURPOSE_SIGNAL_HANDLING,
                   detail=f"casussen van signaal {signal.reference}", channel="api")
        serializer = self.get_serializer(signal)
        serializer.context["with_enrichment"] = True
        serializer.context["visible_cases"] = cases
        shown = serializer.context["shown"] = Shown()
        data = serializer.data
        shown.record(user=request.user, purpose=PURPOSE_SIGNAL_HANDLING, channel="api",
                     detail=f"signalen op en rond het adres van {signal.reference}",
                     leave_out={SIGNAL: [signal.pk]})
        _log_named_in_history(request, [data], f"signaal {signal.reference}",
                              already=[c.pk for c in cases])
        return Response(data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signal: Signal = serializer.save()  # services.create_signal logs the creation
        location = reverse(
            "api:signal-detail", kwargs={"reference": signal.reference}, request=request
        )
        return Response(
            serializer.data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def permission_denied(self, request: Request, message=None, code=None) -> None:
        if request.user and request.user.is_authenticated:
            action = Action.CREATE if request.method == "POST" else Action.VIEW
            self._record_denied(action, "rol zonder toegang tot signalen")
        super().permission_denied(request, message=message, code=code)

    def _record_denied(self, action: str, detail: str) -> None:
        purpose = PURPOSE_SIGNAL_INTAKE if action == Action.CREATE else PURPOSE_SIGNAL_HANDLING
        record(
            user=self.request.user,
            action=action,
            object_type=OBJECT_TYPE,
            purpose=purpose,
            outcome=Outcome.DENIED,
            detail=detail,
            channel="api",
        )
