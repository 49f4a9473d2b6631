"""/api/v1 monitoring endpoints: indicators, values, targets, statistics, alerts,
benchmark, ranking and displacement. Read-only; every answer comes from `queries`, so
need-to-know and small-count suppression are the same as on the pages.

Figures are aggregates, not personal data, so they are not written to the processing log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.schema import ApiAutoSchema
from knooppunt.api.strict import StrictSerializer
from knooppunt.api.throttling import SettingsThrottlesMixin

from .. import queries
from ..areas import level_of
from ..models import Alert, AlertStatus, AreaLevel, PeriodType
from . import serializers as out

TAG = "Monitoring"
NOT_ALLOWED = "U mag de cijfers van dit gebied niet zien."
AREA_HELP = "Gebiedscode: BU…, WK…, GM…, VR…, PE…, PV… of NL01."
CODE_PARAM = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH,
                              description="Code van de indicator, bijv. signalen-hennepteelt.")


class MonitoringSchema(ApiAutoSchema):
    """Query parameters can name an unknown indicator or area: 400 and 404 as well."""

    problem_descriptions = {
        403: "U mag de cijfers van dit gebied niet zien (cijfers uit eigen registraties "
        "alleen voor de gemeenten die uw organisatie bedient, en de gebieden daarboven), "
        "of uw rol mag deze handeling niet uitvoeren (een signalering beoordelen: "
        "coördinator of analist).",
    }

    def problem_status_codes(self) -> list[int]:
        return sorted(set(super().problem_status_codes()) | {400, 404})


# What AreaCodeField accepts, stated in the OpenAPI document (upper or lower case).
AREA_PATTERN = (
    r"^(?:[Bb][Uu]|[Ww][Kk]|[Gg][Mm]|[Vv][Rr]|[Pp][Ee]|[Pp][Vv]|[Nn][Ll])[A-Za-z0-9]{0,10}$"
)


@extend_schema_field({"type": "string", "pattern": AREA_PATTERN, "example": "GM0153"})
class AreaCodeField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)  # " GM0153" is not what the pattern says
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).upper()
        if (level_of(code) is None or len(code) > 12 or not code.isascii()
                or not code.isalnum()):
            raise serializers.ValidationError("Geen geldige gebiedscode (bijv. GM0153, VR05).")
        return code


GM_PATTERN = r"^[Gg][Mm][0-9]{4}$"
GM_LIST_PATTERN = r"^[Gg][Mm][0-9]{4}(,[Gg][Mm][0-9]{4}){0,99}$"


@extend_schema_field({"type": "string", "pattern": GM_PATTERN, "example": "GM0153"})
class MunicipalityCodeField(AreaCodeField):
    """A municipality's code only (GM + 4 digits)."""

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data)
        if level_of(code) != AreaLevel.MUNICIPALITY or len(code) != 6 or not code[2:].isdigit():
            raise serializers.ValidationError("Geef een gemeentecode (GM + 4 cijfers).")
        return code


@extend_schema_field({"type": "string", "pattern": GM_LIST_PATTERN, "example": "GM0153,GM0164"})
class MunicipalityCodesField(serializers.CharField):
    """Municipality codes, comma separated, at most 100."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        text = super().to_internal_value(data)
        codes = text.upper().split(",")
        if (len(codes) > 100 or not text.isascii()
                or any(len(c) != 6 or not c.startswith("GM") or not c[2:].isdigit()
                       for c in codes)):
            raise serializers.ValidationError("Alleen gemeentecodes (GM…), hoogstens 100.")
        return codes


class MonitoringView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    schema = MonitoringSchema()
    params_class: type[serializers.Serializer] | None = None

    def params(self, request: Request) -> dict[str, Any]:
        # A plain dict, not the QueryDict: DRF reads "" in a QueryDict as "not given" for an
        # optional field, while the document says an empty value is not a valid one.
        serializer = self.params_class(data=request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @staticmethod
    def call(function: Callable, *args, param: str = "detail", **kwargs):
        """Run a `queries` function; its errors become problem+json answers."""
        try:
            return function(*args, **kwargs)
        except queries.NotAllowed as error:
            raise exceptions.PermissionDenied(NOT_ALLOWED) from error
        except (queries.UnknownIndicator, queries.UnknownArea) as error:
            raise exceptions.NotFound(
                "Deze indicator of dit gebied bestaat niet of u heeft er geen toegang toe."
            ) from error
        except ValueError as error:
            raise exceptions.ValidationError({param: [str(error)]}) from error


# ---------------------------------------------------------------- parameters


class IndicatorListParams(serializers.Serializer):
    theme = serializers.SlugField(required=False, help_text="Alleen indicatoren van dit thema.")


class ValuesParams(serializers.Serializer):
    level = serializers.ChoiceField(choices=AreaLevel.choices, help_text="Gebiedsniveau.")
    periodType = serializers.ChoiceField(choices=PeriodType.choices, help_text="Periodesoort.")
    period = serializers.DateField(help_text="Een dag in de periode (JJJJ-MM-DD).")


class SeriesParams(serializers.Serializer):
    area = AreaCodeField(help_text=AREA_HELP)
    periodType = serializers.ChoiceField(choices=PeriodType.choices, help_text="Periodesoort.")
    start = serializers.DateField(required=False, help_text="Vanaf (JJJJ-MM-DD).")
    end = serializers.DateField(required=False, help_text="Tot en met (JJJJ-MM-DD).")

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": "Het einde ligt voor het begin."})
        return attrs


class BreakdownParams(serializers.Serializer):
    area = AreaCodeField(help_text=AREA_HELP)
    periodType = serializers.ChoiceField(choices=PeriodType.choices, help_text="Periodesoort.")
    period = serializers.DateField(help_text="Een dag in de periode (JJJJ-MM-DD).")
    childLevel = serializers.ChoiceField(choices=AreaLevel.choices, required=False,
                                         help_text="Niveau van de onderdelen (standaard één "
                                         "niveau lager).")


class TargetParams(serializers.Serializer):
    area = AreaCodeField(help_text=AREA_HELP)
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="Jaar.")


class StatisticParams(serializers.Serializer):
    area = AreaCodeField(help_text=AREA_HELP)
    table = serializers.RegexField(r"^[0-9]{5}[A-Za-z]{3}$", required=False,
                                   help_text="Tabel, bijv. 47022NED.")
    crimeType = serializers.CharField(required=False, max_length=20,
                                      help_text="Code soort misdrijf, bijv. 0.0.0.")
    periodType = serializers.ChoiceField(choices=PeriodType.choices, required=False,
                                         help_text="Periodesoort.")
    start = serializers.DateField(required=False, help_text="Vanaf (JJJJ-MM-DD).")
    end = serializers.DateField(required=False, help_text="Tot en met (JJJJ-MM-DD).")


class AlertParams(serializers.Serializer):
    area = AreaCodeField(required=False, help_text=AREA_HELP)
    status = serializers.ChoiceField(choices=AlertStatus.choices, required=False,
                                     help_text="Status.")
    since = serializers.DateField(required=False, help_text="Gesignaleerd vanaf (JJJJ-MM-DD).")


class BenchmarkParams(serializers.Serializer):
    indicator = serializers.SlugField(help_text="Code van de indicator.")
    area = MunicipalityCodeField(help_text="Gemeentecode, bijv. GM0153 (een benchmark is "
                                 "er per gemeente).")
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="Jaar.")
    peerGroup = serializers.SlugField(required=False, help_text="Code van de "
                                      "vergelijkingsgroep (standaard de grootteklasse).")


class RankingParams(serializers.Serializer):
    indicators = serializers.CharField(help_text="Codes van indicatoren, komma-gescheiden.")
    area = AreaCodeField(help_text="De regio (VR…, PE…, PV…) of gemeente (GM…).")
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="Jaar.")
    childLevel = serializers.ChoiceField(choices=AreaLevel.choices, required=False,
                                         help_text="Niveau van de te rangschikken gebieden.")

    def validate_indicators(self, value: str) -> list[str]:
        codes = [c.strip() for c in value.split(",") if c.strip()]
        if not codes or len(codes) > 20:
            raise serializers.ValidationError("Geef 1 tot 20 indicatorcodes.")
        return codes


class DisplacementParams(serializers.Serializer):
    indicator = serializers.SlugField(help_text="Code van de indicator.")
    area = MunicipalityCodeField(help_text="Het doelgebied (gemeente, GM…).")
    beforeStart = serializers.DateField(help_text="Begin periode voor.")
    beforeEnd = serializers.DateField(help_text="Einde periode voor.")
    afterStart = serializers.DateField(help_text="Begin periode na.")
    afterEnd = serializers.DateField(help_text="Einde periode na.")
    buffer = MunicipalityCodesField(required=False, help_text="Buurgemeenten (GM-codes, "
                                    "komma-gescheiden); standaard die met een gemeenschappelijke "
                                    "grens.")
    control = MunicipalityCodesField(required=False, help_text="Controlegebied (GM-codes, "
                                     "komma-gescheiden); standaard de rest van de "
                                     "veiligheidsregio.")


# ---------------------------------------------------------------- views


@extend_schema(tags=[TAG], parameters=[IndicatorListParams],
               responses=out.IndicatorSerializer(many=True),
               summary="Indicatoren", description="De actieve indicatoren met definitie, bron "
               "en eenheid, in volgorde.")
class IndicatorListView(MonitoringView):
    params_class = IndicatorListParams

    def get(self, request: Request) -> Response:
        p = self.params(request)
        found = queries.indicators(request.user, theme=p.get("theme"))
        return Response(out.IndicatorSerializer(found, many=True).data)


@extend_schema(tags=[TAG], parameters=[CODE_PARAM], responses=out.IndicatorSerializer,
               summary="Eén indicator",
               description="Definitie, bron, eenheid en periodesoorten van een indicator.")
class IndicatorDetailView(MonitoringView):
    def get(self, request: Request, code: str) -> Response:
        found = self.call(queries.indicator, request.user, code)
        return Response(out.IndicatorSerializer(found).data)


@extend_schema(tags=[TAG], parameters=[CODE_PARAM, ValuesParams], responses=out.ValuesSerializer,
               summary="Cijfers per gebied",
               description="De waarde van een indicator voor alle gebieden van een niveau die "
               "u mag zien, in één periode (bijv. voor een kaart). Kleine aantallen zijn "
               "onderdrukt.")
class ValuesView(MonitoringView):
    params_class = ValuesParams

    def get(self, request: Request, code: str) -> Response:
        p = self.params(request)
        info = self.call(queries.indicator, request.user, code)
        found = self.call(queries.values, request.user, code, p["level"], p["periodType"],
                          p["period"], param="periodType")
        return Response(out.ValuesSerializer({"indicator": info, "results": found}).data)


@extend_schema(tags=[TAG], parameters=[CODE_PARAM, SeriesParams], responses=out.ValuesSerializer,
               summary="Tijdreeks", description="Het verloop van een indicator in één gebied, "
               "oudste periode eerst.")
class SeriesView(MonitoringView):
    params_class = SeriesParams

    def get(self, request: Request, code: str) -> Response:
        p = self.params(request)
        info = self.call(queries.indicator, request.user, code)
        found = self.call(queries.series, request.user, code, level_of(p["area"]), p["area"],
                          p["periodType"], p.get("start"), p.get("end"), param="periodType")
        return Response(out.ValuesSerializer({"indicator": info, "results": found}).data)


@extend_schema(tags=[TAG], parameters=[CODE_PARAM, BreakdownParams], responses=out.ValuesSerializer,
               summary="Uitsplitsing", description="De cijfers van de gebieden binnen een "
               "gebied (regio → gemeenten → wijken → buurten), met secundaire onderdrukking.")
class BreakdownView(MonitoringView):
    params_class = BreakdownParams

    def get(self, request: Request, code: str) -> Response:
        p = self.params(request)
        info = self.call(queries.indicator, request.user, code)
        found = self.call(queries.breakdown, request.user, code, level_of(p["area"]),
                          p["area"], p["periodType"], p["period"], p.get("childLevel"),
                          param="periodType")
        return Response(out.ValuesSerializer({"indicator": info, "results": found}).data)


@extend_schema(tags=[TAG], parameters=[TargetParams], responses=out.TargetSerializer(many=True),
               summary="Streefcijfers", description="Streefcijfers van een gebied in een jaar "
               "met de realisatie ernaast.")
class TargetsView(MonitoringView):
    params_class = TargetParams

    def get(self, request: Request) -> Response:
        p = self.params(request)
        found = self.call(queries.targets, request.user, level_of(p["area"]), p["area"],
                          p["year"])
        return Response(out.TargetSerializer(found, many=True).data)


@extend_schema(tags=[TAG], parameters=[StatisticParams],
               responses=out.StatisticSerializer(many=True), summary="Statistieken",
               description="Gepubliceerde cijfers (CBS/Politie) van een gebied, elk met bron "
               "en datum; niet gepubliceerde cellen als `withheld`.")
class StatisticsView(MonitoringView):
    params_class = StatisticParams

    def get(self, request: Request) -> Response:
        p = self.params(request)
        found = self.call(queries.statistics, request.user, p["area"], p.get("table"),
                          p.get("crimeType"), p.get("periodType"), p.get("start"), p.get("end"))
        return Response(out.StatisticSerializer(found, many=True).data)


@extend_schema(tags=[TAG], parameters=[AlertParams], responses=out.AlertSerializer(many=True),
               summary="Signaleringen", description="Ongewone stijgingen (vroegsignalering) "
               "die u mag zien, nieuwste eerst; elke signalering zegt waarom.")
class AlertsView(MonitoringView):
    params_class = AlertParams

    def get(self, request: Request) -> Response:
        p = self.params(request)
        area = p.get("area")
        found = self.call(queries.alerts, request.user, level_of(area) if area else None, area,
                          p.get("status"), p.get("since"))
        return Response(out.AlertSerializer(found, many=True).data)


@extend_schema(tags=[TAG], parameters=[BenchmarkParams], responses=out.BenchmarkSerializer,
               summary="Benchmark", description="Index van een gemeente ten opzichte van haar "
               "vergelijkingsgroep (groepsgemiddelde = 100).")
class BenchmarkView(MonitoringView):
    params_class = BenchmarkParams

    def get(self, request: Request) -> Response:
        p = self.params(request)
        found = self.call(queries.benchmark, request.user, p["indicator"], p["area"], p["year"],
                          p.get("peerGroup"), param="peerGroup")
        return Response(out.BenchmarkSerializer(found).data)


@extend_schema(tags=[TAG], parameters=[RankingParams], responses=out.RankingSerializer,
               summary="Rangorde", description="Rangorde van de gemeenten of wijken van een "
               "regio op een set indicatoren, met index, rang en kleurklasse.")
class RankingView(MonitoringView):
    params_class = RankingParams

    def get(self, request: Request) -> Response:
        p = self.params(request)
        found = self.call(queries.ranking, request.user, p["indicators"], level_of(p["area"]),
                          p["area"], p["year"], p.get("childLevel"), param="area")
        return Response(out.RankingSerializer(found).data)


@extend_schema(tags=[TAG], parameters=[DisplacementParams], responses=out.DisplacementSerializer,
               summary="Verplaatsing (waterbedeffect)", description="Weighted Displacement "
               "Quotient (Bowers & Johnson 2003) voor een gemeente, haar buurgemeenten en een "
               "controlegebied, met de betekenis.")
class DisplacementView(MonitoringView):
    params_class = DisplacementParams

    def get(self, request: Request) -> Response:
        p = self.params(request)
        found = self.call(
            queries.displacement, request.user, p["indicator"], p["area"],
            (p["beforeStart"], p["beforeEnd"]), (p["afterStart"], p["afterEnd"]),
            p.get("buffer"), p.get("control"), param="afterStart",
        )
        return Response(out.DisplacementSerializer(found).data)


class AlertReviewRequest(StrictSerializer):
    status = serializers.ChoiceField(choices=[AlertStatus.SEEN, AlertStatus.DISMISSED],
                                     help_text="bekeken of terzijde.")
    reason = serializers.CharField(max_length=2000, help_text="Waarom (verplicht).")


REVIEW_ROLES = frozenset({"coordinator", "analist"})


@extend_schema(tags=[TAG], request=AlertReviewRequest, responses=out.AlertSerializer,
               parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                            description="Nummer van de signalering.")],
               summary="Signalering beoordelen", description="Een coördinator of analist "
               "markeert een signalering die hij of zij mag zien als bekeken of terzijde, "
               "met een reden. Naam en moment worden vastgelegd.")
class AlertReviewView(MonitoringView):
    write_actions = {"post": "alert.review"}

    def post(self, request: Request, id: int) -> Response:
        from knooppunt.organisations import permissions as rules
        from knooppunt.organisations import scope

        from ..early_warning import review

        if not scope.roles_of(request.user) & REVIEW_ROLES:
            raise exceptions.PermissionDenied("Alleen een coördinator of analist beoordeelt "
                                              "signaleringen.")
        try:
            queries.alert(request.user, id)
        except LookupError as error:
            raise exceptions.NotFound("Deze signalering bestaat niet of u heeft er geen "
                                      "toegang toe.") from error
        alert = Alert.objects.get(pk=id)
        # Seeing an alert (a region's figures) is not deciding about it: only an
        # organisation that serves every municipality of the area reviews it.
        if not rules.may(request.user, rules.Action.ALERT_REVIEW, alert):
            raise exceptions.PermissionDenied(
                "U kunt deze signalering inzien maar niet beoordelen: dat doet een coördinator "
                "of analist van een organisatie die voor het hele gebied werkt.")
        body = AlertReviewRequest(data=request.data)
        body.is_valid(raise_exception=True)
        self.call(review, alert, request.user, body.validated_data["status"],
                  body.validated_data["reason"], param="reason")
        return Response(out.AlertSerializer(queries.alert(request.user, alert.pk)).data)
