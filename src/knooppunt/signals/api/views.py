"""/api/v1/signals: create, read and list signals, scoped and logged."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.response import Response

from knooppunt.audit.log import PURPOSE_SIGNAL_HANDLING, Action, record
from knooppunt.organisations import scope

from ..filters import SignalFilterForm
from .serializers import SignalSerializer


class SeesPersonalData(permissions.BasePermission):
    message = _("Uw rol geeft alleen toegang tot geaggregeerde cijfers, niet tot signalen.")

    def has_permission(self, request, view):
        if request.method == "POST":
            return scope.organisations_for_create(request.user).exists()
        return scope.sees_personal_data(request.user)


FILTER_PARAMETERS = [
    OpenApiParameter("theme", OpenApiTypes.STR, description="Themacode"),
    OpenApiParameter("source_type", OpenApiTypes.STR, description="Brontype-code"),
    OpenApiParameter("municipality", OpenApiTypes.STR, description="CBS-gemeentecode (GM....)"),
    OpenApiParameter("status", OpenApiTypes.STR, description="Status"),
    OpenApiParameter("received_from", OpenApiTypes.DATE, description="Ontvangen vanaf"),
    OpenApiParameter("received_until", OpenApiTypes.DATE, description="Ontvangen tot en met"),
    OpenApiParameter("q", OpenApiTypes.STR, description="Zoekterm"),
]


@extend_schema_view(
    list=extend_schema(summary="Signalen die u mag zien", parameters=FILTER_PARAMETERS),
    retrieve=extend_schema(summary="Eén signaal"),
    create=extend_schema(summary="Een signaal aanleveren"),
)
class SignalViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SignalSerializer
    permission_classes = [permissions.IsAuthenticated, SeesPersonalData]
    lookup_field = "reference"

    def get_queryset(self):
        queryset = scope.signals_for(self.request.user).select_related(
            "theme", "source_type", "municipality", "reporting_organisation"
        ).prefetch_related("history")
        if self.action == "list" and self.request.query_params:
            form = SignalFilterForm(
                self.request.query_params,
                municipalities=scope.municipalities_for(self.request.user),
            )
            if not form.is_valid():
                from rest_framework.exceptions import ValidationError

                raise ValidationError(form.errors.get_json_data())
            queryset = form.apply(queryset)
        return queryset

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        record(
            user=request.user,
            action=Action.LIST,
            object_type="signals.signal",
            object_ids=[signal.pk for signal in page],
            purpose=PURPOSE_SIGNAL_HANDLING,
            detail=request.GET.urlencode()[:500],
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        record(user=request.user, action=Action.VIEW, obj=instance, purpose=PURPOSE_SIGNAL_HANDLING)
        return Response(self.get_serializer(instance).data)
