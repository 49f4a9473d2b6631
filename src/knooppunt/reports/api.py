"""/api/v1/reports: list, make (create), read one, download its PDF.

Scoped exactly as the pages (`access`, `services`): a report or area the user may not
see answers 404; a role that may not make the kind answers 403; a period that is not a
fixed period of the kind answers 400 with `invalidParams`. Every make, read and
download is written to the processing log by `services`.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.schema import ApiAutoSchema
from knooppunt.api.strict import NOT_TEXT
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.cases.api.serializers import StrictSerializer

from . import access, services
from .builders import all_builders
from .models import GeneratedReport
from .periods import InvalidPeriod

TAG = "Rapportages"
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                      description="Nummer van de gemaakte rapportage.")


class ReportSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(help_text="Nummer van de gemaakte rapportage.")
    kind = serializers.CharField(help_text="Soort rapportage, bijv. factsheet.")
    subjectKind = serializers.CharField(  # noqa: N815
        source="subject_kind", help_text="Waarover: gemeente, regio of signaal.")
    subjectCode = serializers.CharField(  # noqa: N815
        source="subject_code", help_text="CBS-code van het gebied (GM…, VR…) of signaalnummer.")
    subjectName = serializers.CharField(  # noqa: N815
        source="subject_name", help_text="Naam van het gebied.")
    period = serializers.CharField(help_text="Vaste periode: 2025, 2025-H1 of 2025-K3.")
    theme = serializers.CharField(help_text="Thema (raadsvragen), leeg voor alle signalen.")
    language = serializers.CharField(help_text="Taal van de rapportage (nl of en).")
    audience = serializers.CharField(
        help_text="board: geaggregeerd voor bestuur en raad; confidential: vertrouwelijk.")
    generatedBy = serializers.CharField(  # noqa: N815
        source="generated_by_name", help_text="Gebruikersnaam van wie de rapportage maakte.")
    generatedAt = serializers.DateTimeField(  # noqa: N815
        source="generated_at", help_text="Tijdstip waarop de rapportage is gemaakt.")
    dataChecksum = serializers.CharField(  # noqa: N815
        source="data_checksum", help_text="SHA-256 van de gegevens waaruit de rapportage "
        "is gemaakt: gelijk bij gelijke cijfers.")
    pageCount = serializers.IntegerField(  # noqa: N815
        source="page_count", help_text="Aantal pagina's van de PDF.")
    pdfUrl = serializers.SerializerMethodField(  # noqa: N815
        help_text="Adres om de PDF te downloaden.")

    class Meta:
        model = GeneratedReport
        fields = ["id", "kind", "subjectKind", "subjectCode", "subjectName", "period",
                  "theme", "language", "audience", "generatedBy", "generatedAt", "dataChecksum",
                  "pageCount", "pdfUrl"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdfUrl(self, report: GeneratedReport) -> str:  # noqa: N802
        return reverse("api:report-pdf", args=[report.pk], request=self.context.get("request"))


class ReportCreateSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=[], help_text="Soort rapportage, bijv. factsheet.")
    area = serializers.CharField(max_length=20,
                                 help_text="Gemeente (GM0153), veiligheidsregio (VR05) of, "
                                 "bij de bestuurlijke rapportage light, het signaalnummer.")
    period = serializers.CharField(
        max_length=10, help_text="Vaste periode: 2025 (jaar), 2025-H1 (halfjaar) of "
                                 "2025-K3 (kwartaal), voor zover de soort die kent.")
    language = serializers.ChoiceField(choices=["nl", "en"], default="nl", required=False,
                                       help_text="Taal van de rapportage: nl (standaard) of en.")
    theme = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="",
        help_text="Alleen bij raadsvragen: themacode (bijv. hennepteelt); leeg of weggelaten "
                  "voor alle signalen samen. Andere soorten nemen geen thema.")
    texts = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000, trim_whitespace=True),
        required=False, default=dict,
        help_text="Alleen bij het ondermijningsbeeld: eigen teksten per veld (duiding, "
                  "weerbaarheid, aanbevelingen), elk hoogstens 4000 tekens. Andere soorten "
                  "nemen geen teksten.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted(b.code for b in all_builders())

    def validate_texts(self, value: dict) -> dict:
        # DRF turns a number into text; a sender who sends one should hear so.
        given = self.initial_data.get("texts") if isinstance(self.initial_data, dict) else {}
        if isinstance(given, dict) and any(not isinstance(v, str) for v in given.values()):
            raise serializers.ValidationError(NOT_TEXT)
        return value


class ReportSchema(ApiAutoSchema):
    """Making a report can also answer 403 (role) and 404 (area)."""

    problem_descriptions = {
        403: "Uw rol mag deze soort rapportage niet maken (rapportages voor bestuur en "
        "raad: coördinator, bestuurder of analist).",
    }

    def problem_status_codes(self) -> list[int]:
        codes = set(super().problem_status_codes())
        if self.method == "POST":
            codes |= {403, 404}
        return sorted(codes)


class PdfRenderer(renderers.BaseRenderer):
    """The PDF itself; an error on this route is still problem+json text."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | bytearray | memoryview):
            return bytes(data)
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


@extend_schema(tags=[TAG])
class ReportViewSet(DutchResponsesMixin, SettingsThrottlesMixin, mixins.ListModelMixin,
                    viewsets.GenericViewSet):
    serializer_class = ReportSerializer
    schema = ReportSchema()
    queryset = GeneratedReport.objects.none()
    write_actions = {"create": "report.make"}

    def get_queryset(self):
        return services.readable(self.request.user)

    def _found(self, pk: str, *, download: bool = False) -> GeneratedReport:
        try:
            return services.open_report(self.request.user, int(pk), download=download)
        except (LookupError, ValueError) as error:
            raise exceptions.NotFound(
                "Er is geen rapportage met dit nummer die u mag zien.") from error

    @extend_schema(summary="Gemaakte rapportages die u mag zien (nieuwste eerst)")
    def list(self, request: Request, *args, **kwargs) -> Response:
        reports = self.get_queryset()
        page = self.paginate_queryset(reports)
        shown = reports if page is None else page
        services.log_listed(request.user, shown)
        data = self.get_serializer(shown, many=True).data
        return Response(data) if page is None else self.get_paginated_response(data)

    @extend_schema(summary="Eén gemaakte rapportage", parameters=[ID])
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self._found(pk)).data)

    @extend_schema(
        summary="Een rapportage maken (HTML en PDF, vastgelegd en gelogd)",
        request=ReportCreateSerializer, responses={201: ReportSerializer})
    def create(self, request: Request) -> Response:
        params = ReportCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        try:
            report = services.generate(request.user, data["kind"], data["area"],
                                       data["period"], language=data.get("language", "nl"),
                                       theme=data.get("theme", ""),
                                       texts={k: v for k, v in data.get("texts", {}).items()
                                              if v})
        except access.NoAccess as error:
            raise exceptions.PermissionDenied(
                "Uw rol mag deze soort rapportage niet maken.") from error
        except access.UnknownSubject as error:
            raise exceptions.NotFound(
                "Dit gebied bestaat niet, past niet bij deze rapportage of u mag de "
                "cijfers ervan niet zien.") from error
        except (InvalidPeriod, services.PeriodNotOffered) as error:
            raise exceptions.ValidationError({"period": [str(error)]}) from error
        except services.InvalidTheme as error:
            raise exceptions.ValidationError({"theme": [str(error)]}) from error
        except services.InvalidTexts as error:
            raise exceptions.ValidationError({"texts": [str(error)]}) from error
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="De PDF van een gemaakte rapportage",
                   parameters=[ID, OpenApiParameter("format", exclude=True)],
                   responses={(200, "application/pdf"): OpenApiResponse(
                       OpenApiTypes.BINARY, description="De PDF")})
    @action(detail=True, methods=["get"], url_path="pdf",
            renderer_classes=[renderers.JSONRenderer, PdfRenderer])
    def pdf(self, request: Request, pk: str) -> HttpResponse:
        report = self._found(pk, download=True)
        response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
        return response
