"""/api/v1/deliveries: a partner system delivers a file and follows its processing.

Token authentication as for signals; a caller sees only deliveries of organisations it
may deliver for; every delivery and every look at its error report is logged.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.audit.log import PURPOSE_PARTNER_DELIVERY, Action, record
from knooppunt.organisations import permissions as rules
from knooppunt.organisations import scope

from .forms import max_upload_bytes, profile_allows, too_large_message, upload_source
from .models import Delivery, DeliveryError, DeliveryProfile
from .submit import submit
from .views import deliveries_for, may_see_error_values


class MayDeliver(permissions.BasePermission):
    message = "Uw rol mag geen aanleveringen doen of inzien."

    def has_permission(self, request, view) -> bool:
        return scope.organisations_for_create(request.user).exists()


class DeliveryErrorSerializer(serializers.ModelSerializer):
    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("show_values", False):
            data["value"] = ""
        return data

    line = serializers.IntegerField(help_text="Regelnummer in het bestand (kopregel = 1).")
    column = serializers.CharField(help_text="Kolomnaam in het bestand, leeg als de fout de "
                                   "hele regel betreft.")
    value = serializers.CharField(help_text="De afgekeurde waarde, ingekort en veilig "
                                  "weergegeven; nooit gegevens van een melder. Leeg voor wie "
                                  "niet aanleverde en niet tot RIEC-niveau geautoriseerd is.")
    reason = serializers.CharField(help_text="Waarom de regel is afgekeurd (Nederlands).")

    class Meta:
        model = DeliveryError
        fields = ["line", "column", "value", "reason"]


class DeliverySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Nummer van de aanlevering.")
    profile = serializers.SlugRelatedField(
        slug_field="code", queryset=DeliveryProfile.objects.filter(active=True),
        help_text="Code van het aanleverprofiel, bijv. politie-hennep.",
    )
    organisation = serializers.IntegerField(
        source="organisation_id", required=False,
        help_text="Id van de aanleverende organisatie; nodig als u voor meer dan één "
        "organisatie mag aanleveren.",
    )
    file = serializers.FileField(write_only=True, help_text="Het bestand: CSV of XLSX.")
    originalName = serializers.CharField(source="original_name", read_only=True,
                                         help_text="Oorspronkelijke bestandsnaam.")
    checksum = serializers.CharField(read_only=True, help_text="SHA-256 van het bestand.")
    status = serializers.CharField(read_only=True, help_text="wachtend, bezig, verwerkt, "
                                   "geweigerd (fouten: niets opgeslagen) of mislukt.")
    progress = serializers.IntegerField(read_only=True, help_text="Voortgang in procenten.")
    accepted = serializers.IntegerField(read_only=True, help_text="Opgeslagen signalen.")
    rejected = serializers.IntegerField(read_only=True, help_text="Afgekeurde regels.")
    duplicates = serializers.IntegerField(read_only=True,
                                          help_text="Regels die al eerder zijn ontvangen.")
    message = serializers.CharField(read_only=True, help_text="Toelichting op de uitkomst.")
    createdAt = serializers.DateTimeField(source="created_at", read_only=True,
                                          help_text="Moment van aanleveren.")
    finishedAt = serializers.DateTimeField(source="finished_at", read_only=True,
                                           help_text="Moment waarop de verwerking klaar was.")
    errors = DeliveryErrorSerializer(many=True, read_only=True,
                                     help_text="Elke afgekeurde regel met de reden.")

    class Meta:
        model = Delivery
        fields = ["id", "profile", "organisation", "file", "originalName", "checksum",
                  "status", "progress", "accepted", "rejected", "duplicates", "message",
                  "createdAt", "finishedAt", "errors"]

    def validate_file(self, upload):
        if upload.size > max_upload_bytes():
            raise serializers.ValidationError(too_large_message())
        return upload


ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                description="Nummer van de aanlevering.")


@extend_schema(tags=["Aanleveringen"])
@extend_schema_view(
    create=extend_schema(
        summary="Een bestand aanleveren",
        description="Multipart-formulier met `file` en `profile`. Kleine bestanden worden "
        "direct verwerkt, grote op de achtergrond: volg dan `status` en `progress`. Een "
        "bestand met afgekeurde regels wordt geweigerd; er wordt dan niets opgeslagen.",
    ),
    retrieve=extend_schema(
        summary="Status en foutrapport van een aanlevering",
        description="Status, aantallen en elke afgekeurde regel met de reden.",
        parameters=[ID_PARAMETER],
    ),
)
class DeliveryViewSet(DutchResponsesMixin, SettingsThrottlesMixin, mixins.CreateModelMixin,
                      mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DeliverySerializer
    permission_classes = [permissions.IsAuthenticated, MayDeliver]
    parser_classes = [parsers.MultiPartParser]
    write_actions = {"create": "delivery.submit"}

    def get_queryset(self):
        return deliveries_for(self.request.user).prefetch_related("errors")

    def get_object(self):
        lookup = self.kwargs.get("pk", "")
        if not (str(lookup).isascii() and str(lookup).isdigit()):
            raise exceptions.NotFound("Er is geen aanlevering met dit nummer die u mag zien.")
        delivery = self.get_queryset().filter(pk=int(lookup)).first()
        if delivery is None:
            raise exceptions.NotFound("Er is geen aanlevering met dit nummer die u mag zien.")
        return delivery

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        delivery = self.get_object()
        record(user=request.user, action=Action.VIEW, obj=delivery,
               purpose=PURPOSE_PARTNER_DELIVERY, detail="foutrapport aanlevering")
        serializer = self.get_serializer(delivery)
        serializer.context["show_values"] = may_see_error_values(request.user, delivery)
        return Response(serializer.data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allowed = scope.organisations_for_create(request.user)
        org_id = serializer.validated_data.get("organisation_id")
        if org_id is None:
            if allowed.count() != 1:
                raise serializers.ValidationError(
                    {"organisation": ["Geef aan namens welke organisatie u aanlevert."]})
            organisation = allowed.get()
        else:
            organisation = allowed.filter(pk=org_id).first()
            if organisation is None:
                raise exceptions.PermissionDenied(
                    "U mag niet aanleveren namens deze organisatie.")
        if not profile_allows(serializer.validated_data["profile"], organisation):
            raise serializers.ValidationError(
                {"profile": ["Dit soort aanlevering is niet voor uw soort organisatie."]})
        if not rules.may(request.user, rules.Action.DELIVERY_SUBMIT, organisation=organisation,
                         profile=serializer.validated_data["profile"]):
            raise exceptions.PermissionDenied(
                "U mag dit soort bestand niet aanleveren: de bron of de vertrouwelijkheid "
                "van het profiel hoort niet bij uw organisatie of rol.")
        upload = serializer.validated_data["file"]
        delivery = submit(profile=serializer.validated_data["profile"],
                          organisation=organisation, user=request.user, data=upload_source(upload),
                          filename=upload.name, channel="api")
        created = self.get_serializer(delivery)
        created.context["show_values"] = True  # the deliverer sees their own report
        return Response(created.data, status=status.HTTP_201_CREATED,
                        headers={"Location": request.build_absolute_uri(
                            f"/api/v1/deliveries/{delivery.pk}")})
