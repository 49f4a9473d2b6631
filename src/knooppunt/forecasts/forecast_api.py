"""GET /api/v1/forecasts, /forecasts/cells/{cell}, GET/POST /forecasts/decisions.

Thin views over `forecasts.service` (the forecast of a target in an area for the caller: the
signals of a `theme`, or the police incidents of a Dutch dataset, `incidents` with an
optional `offence`; `forecasts.targets`) and `forecasts.decisions` (recording what a person
decided on it). Refusals are problem+json: 400 with the parameter in `invalidParams`, 403
for an area outside the caller's municipalities (or a role that may not see forecasts), 404
for an unknown area or cell, 422 when there is no signal or incident at all to forecast
from. Too little history is not a refusal of the request: the answer carries `refusal` and
the baselines there are.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from knooppunt.analytics.forecasts import month_index
from knooppunt.analytics.forecasts.features import FEATURE_DESCRIPTIONS
from knooppunt.analytics.forecasts.model import LEARNED, top_contributions
from knooppunt.analytics.hotspot_service import (
    HotspotError,
    NotAllowed,
    UnknownArea,
    cell_rings,
)
from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.schema import ApiAutoSchema
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.organisations import permissions as actions

from . import service
from .decisions import DecisionRefused, decisions_for, record_decision
from .models import DecisionKind, ForecastDecision

TAG = "Voorspellingen"
AREA_PATTERN = r"^(?:[Gg][Mm][0-9]{4}|[Vv][Rr][0-9]{2}|[Ww][Kk][0-9]{6})$"
CELL_PATTERN = r"^[0-9]{3}m_E-?[0-9]{1,8}_N-?[0-9]{1,8}$"
MONTH_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "Er is niets om op te voorspellen."


class ForecastSchema(ApiAutoSchema):
    problem_descriptions = {
        403: "Het gebied ligt (deels) buiten de gemeenten die uw organisatie bedient, of uw "
             "rol mag geen voorspellingen per cel zien.",
        422: "Er zijn geen signalen of incidenten van deze soort vóór deze maand: niets om "
             "op te voorspellen.",
    }

    def problem_status_codes(self) -> list[int]:
        return sorted(set(super().problem_status_codes()) | {400, 403, 404, 422})


class DecisionSchema(ForecastSchema):
    def problem_status_codes(self) -> list[int]:
        codes = set(super().problem_status_codes())
        if self.method == "GET":
            codes.discard(422)  # listing computes no forecast
        return sorted(codes)


THEME_PATTERN = r"^[a-z0-9_-]{1,40}$"
DATASET_PATTERN = r"^[-a-zA-Z0-9_]{1,40}$"
OFFENCE_PATTERN = r"^[-A-Za-z0-9_.]{1,40}$"


class ForecastParams(serializers.Serializer):
    theme = serializers.RegexField(THEME_PATTERN, required=False, help_text="Thema van de "
                                   "signalen, bijv. hennepteelt (of incidents).")
    incidents = serializers.RegexField(DATASET_PATTERN, required=False, help_text="Code van "
                                       "een Nederlands incidentenbestand dat u mag lezen "
                                       "(of theme).")
    offence = serializers.RegexField(OFFENCE_PATTERN, required=False, help_text="Eén "
                                     "delictcode van dat bestand; leeg: alle delicten.")
    area = serializers.RegexField(AREA_PATTERN, help_text="Veiligheidsregio (VR…), gemeente "
                                  "(GM…) of wijk (WK…) die uw organisatie helemaal bedient.")
    horizon = serializers.ChoiceField(choices=service.HORIZONS, required=False, default=1,
                                      help_text="1: volgende maand, 3: volgend kwartaal.")
    cellSize = serializers.ChoiceField(choices=service.CELL_SIZES, required=False,
                                       default=service.DEFAULT_CELL_SIZE,
                                       help_text="Celgrootte in meter (RD New).")
    month = serializers.RegexField(MONTH_PATTERN, required=False, help_text="Een afgelopen "
                                   "maand (JJJJ-MM) om de voorspelling ervan naast wat er "
                                   "gebeurde te zetten.")

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("theme")) == bool(attrs.get("incidents")):
            raise serializers.ValidationError(
                {"theme": ["Kies een thema (theme) of een incidentenbestand (incidents), "
                           "niet allebei."]})
        if attrs.get("offence") and not attrs.get("incidents"):
            raise serializers.ValidationError(
                {"offence": ["Een delictcode hoort bij een incidentenbestand (incidents)."]})
        return attrs


TARGET_PARAMETERS = [
    OpenApiParameter("theme", OpenApiTypes.STR, pattern=THEME_PATTERN,
                     description="Thema van de signalen, bijv. hennepteelt. Geef theme of "
                                 "incidents."),
    OpenApiParameter("incidents", OpenApiTypes.STR, pattern=DATASET_PATTERN,
                     description="Politie-incidenten: de code van een Nederlands "
                                 "incidentenbestand dat u mag lezen. Geef theme of "
                                 "incidents."),
    OpenApiParameter("offence", OpenApiTypes.STR, pattern=OFFENCE_PATTERN,
                     description="Bij incidents: één delictcode uit de codelijst van het "
                                 "bestand (leeg: alle delicten)."),
]
PARAMETERS = [
    *TARGET_PARAMETERS,
    OpenApiParameter("area", OpenApiTypes.STR, required=True, pattern=AREA_PATTERN,
                     description="VR…, GM… of WK…"),
    OpenApiParameter("horizon", OpenApiTypes.INT, enum=list(service.HORIZONS),
                     description="1: volgende maand, 3: volgend kwartaal."),
    OpenApiParameter("cellSize", OpenApiTypes.INT, enum=list(service.CELL_SIZES),
                     description="Celgrootte in meter."),
    OpenApiParameter("month", OpenApiTypes.STR, pattern=MONTH_PATTERN,
                     description="Een afgelopen periode (JJJJ-MM, in de laatste 12 maanden): "
                                 "de voorspelling ervan uit de maanden ervoor, met per cel "
                                 "`actual` (uw signalen of incidenten in die periode) en "
                                 "`comparison`."),
]
PER = ("cel", "wijk")


def forecast_for(request: Request, data) -> service.Forecast:
    """The caller's forecast for the query in `data`; refusals as API exceptions."""
    params = ForecastParams(data=data)
    params.is_valid(raise_exception=True)
    p = params.validated_data
    month = None
    if p.get("month"):
        year, number = p["month"].split("-")
        month = month_index(int(year), int(number))
    query = service.ForecastQuery(theme=p.get("theme", ""), area=p["area"].upper(),
                                  horizon=int(p["horizon"]), cell_size=int(p["cellSize"]),
                                  month=month, incidents=p.get("incidents", ""),
                                  offence=p.get("offence", ""))
    try:
        return service.compute(request.user, query, timezone.localdate())
    except NotAllowed as error:
        raise exceptions.PermissionDenied(str(error)) from error
    except UnknownArea as error:
        raise exceptions.NotFound(str(error)) from error
    except service.NoHistory as error:
        raise Unprocessable(str(error)) from error
    except HotspotError as error:
        raise exceptions.ValidationError({error.param: [str(error)]}) from error


def describe(forecast: service.Forecast) -> dict:
    """What every forecast answer says about itself: method, why, data, evaluation."""
    evaluation = forecast.evaluation
    refusal = forecast.refusal
    target = forecast.target
    return {
        "theme": target.theme.code if target.theme else None,
        "target": {"kind": "incidents" if target.is_incidents else "theme",
                   "code": target.code, "label": target.label(),
                   "incidents": target.dataset.code if target.dataset else None,
                   "offence": target.offence.code if target.offence else None},
        "area": {"code": forecast.area.code, "name": forecast.area.name},
        "horizonMonths": forecast.query.horizon, "cellSize": forecast.query.cell_size,
        "period": forecast.period, "method": forecast.method,
        "reason": {"nl": forecast.reason_nl, "en": forecast.reason_en},
        "dataVersion": forecast.data_version,
        "evaluationId": evaluation.pk if evaluation else None,
        "evaluatedAt": evaluation.evaluated_at.isoformat() if evaluation else None,
        "evaluationDataVersion": evaluation.data_version if evaluation else None,
        "refusal": ({"code": refusal.code, "nl": refusal.message_nl,
                     "en": refusal.message_en} if refusal else None),
        "comparison": service.comparison(forecast),
    }


@extend_schema(
    tags=[TAG], summary="Voorspelling per cel (GeoJSON)",
    description="De voorspelling van de methode die u mag zien (het geleerde model alleen "
                "als het de regel haalde, anders de beste basislijn, met de reden) voor de "
                "signalen van een thema of de politie-incidenten (alle of één delict) die u "
                "mag zien, per cel (WGS84) en per wijk, met "
                "methode, gegevensversie en evaluatie. Alleen plaatsen, nooit personen.",
    parameters=[*PARAMETERS, OpenApiParameter(
        "per", OpenApiTypes.STR, enum=list(PER),
        description="cel (standaard): een vlak per cel; wijk: een vlak per wijk met de som "
                    "van de cellen waarvan het middelpunt in de wijk ligt, het aandeel van "
                    "het totaal en het aantal cellen (`outsideWijken`: de cellen in geen "
                    "wijk).")],
    responses={200: OpenApiTypes.OBJECT},
)
class ForecastView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    schema = ForecastSchema()

    def get(self, request: Request) -> Response:
        per = request.query_params.get("per", "cel")
        if per not in PER:
            raise exceptions.ValidationError({"per": ["Kies cel of wijk."]})
        forecast = forecast_for(request, request.query_params.dict())
        if per == "wijk":
            return Response(wijk_collection(forecast))
        lon, lat = cell_rings(forecast.grid)
        values = forecast.shown
        tops = service.top_classes(values)
        features = [
            {"type": "Feature", "id": cell_id,
             "geometry": {"type": "Polygon",
                          "coordinates": [list(zip(lon[i], lat[i], strict=True))]},
             "properties": {"id": cell_id, "forecast": round(float(values[i]), 4),
                            "top": tops[i]}}
            for i, cell_id in enumerate(forecast.grid.cell_ids())
        ]
        if forecast.actual is not None:  # a past period: what happened, per cell
            for feature, count in zip(features, forecast.actual.tolist(), strict=True):
                feature["properties"]["actual"] = int(count)
        return Response({"type": "FeatureCollection", **describe(forecast),
                         "wijken": service.wijk_totals(forecast), "features": features})


def wijk_collection(forecast: service.Forecast) -> dict:
    """The forecast per wijk as GeoJSON (WGS84): sum, share of the total and cells."""
    from knooppunt.geo.boundaries import to_wgs84_geometry

    rows = service.wijk_totals(forecast, boundaries=True)
    features = []
    for row in rows:
        boundary = row.pop("boundary")
        features.append({"type": "Feature", "id": row["code"],
                         "geometry": to_wgs84_geometry("district", row["code"], boundary),
                         "properties": row})
    return {"type": "FeatureCollection", **describe(forecast), "per": "wijk",
            "outsideWijken": service.outside_wijken(forecast, rows), "features": features}


def feature_names(name: str) -> dict[str, str]:
    text = FEATURE_DESCRIPTIONS.get(name, {})
    return {"nl": text.get("nl", name), "en": text.get("en", name)}


@extend_schema(
    tags=[TAG], summary="Uitleg van één cel",
    description="Voor één cel: de voorspelling van de getoonde methode, de waarden van de "
                "basislijnen en, als er een geleerd model is, zijn voorspelling en de "
                "grootste bijdragen per kenmerk (weglating: de voorspelling min die met het "
                "kenmerk op zijn mediaan), met de namen in het Nederlands en Engels.",
    parameters=[OpenApiParameter("cell", OpenApiTypes.STR, OpenApiParameter.PATH,
                                 pattern=CELL_PATTERN,
                                 description="De cel: celgrootte en zuidwesthoek in RD New, "
                                             "bijv. 500m_E257000_N471500 (zie `id` in de "
                                             "voorspelling)."),
                *PARAMETERS],
    responses={200: OpenApiTypes.OBJECT},
)
class CellView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    schema = ForecastSchema()

    def get(self, request: Request, cell: str) -> Response:
        forecast = forecast_for(request, request.query_params.dict())
        index = forecast.cell_index(cell)
        if index < 0:
            raise exceptions.NotFound("Deze cel ligt niet in het gebied van de voorspelling.")
        methods = {name: round(float(values[index]), 4)
                   for name, values in forecast.forecasts.items()}
        learned = None
        if forecast.fitted is not None and forecast.features_now is not None:
            row = forecast.features_now[index:index + 1]
            contributions = forecast.fitted.explain(row)
            top = top_contributions(contributions, forecast.fitted.features, top=5)[0]
            values = dict(zip(forecast.fitted.features, row[0].tolist(), strict=True))
            learned = {
                "forecast": round(float(forecast.fitted.predict(row)[0]), 4),
                "shown": forecast.method == LEARNED,
                "contributions": [{"feature": name, "label": feature_names(name),
                                   "value": values[name],
                                   "contribution": round(value, 4)} for name, value in top],
            }
        return Response({"cell": cell, **describe(forecast),
                         "forecast": methods[forecast.method],
                         "top": service.top_classes(forecast.shown)[index],
                         "methods": methods, "learned": learned})


class DecisionInput(ForecastParams):
    month = None  # a decision is taken on the coming period's forecast only
    cell = serializers.RegexField(CELL_PATTERN, required=False, allow_blank=True,
                                  default="", help_text="De cel; leeg: het hele gebied.")
    kind = serializers.ChoiceField(choices=DecisionKind.choices, help_text="Wat er besloten is.",
                                   error_messages={"invalid_choice": "Kies een besluit: "
                                                   "extra_controle, preventie, geen_actie of "
                                                   "anders."})
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 max_length=2000, help_text="Toelichting (verplicht bij "
                                 "anders).")


def serialise_decision(decision: ForecastDecision) -> dict:
    return {
        "id": decision.pk, "decidedAt": decision.decided_at.isoformat(),
        "decidedBy": decision.decided_by.get_full_name() or decision.decided_by.username,
        "organisation": str(decision.organisation),
        "theme": decision.theme.code if decision.theme else None,
        "incidents": decision.dataset.code if decision.dataset else None,
        "offence": decision.offence.code if decision.offence else None,
        "area": decision.area_code, "period": decision.period, "cell": decision.cell,
        "method": decision.method, "forecast": decision.forecast,
        "dataVersion": decision.data_version, "evaluationId": decision.evaluation_id,
        "kind": decision.kind, "kindLabel": str(decision.get_kind_display()),
        "note": decision.note,
    }


@extend_schema(tags=[TAG], parameters=PARAMETERS[:4], responses={200: OpenApiTypes.OBJECT},
               summary="Besluiten op voorspellingen",
               description="GET: de laatste besluiten op voorspellingen van een thema (of "
                           "van politie-incidenten) in een gebied dat u mag zien. POST: een "
                           "besluit vastleggen (analist of coördinator van een organisatie "
                           "die het hele gebied bedient); "
                           "het staat in het verwerkingenlog.")
class DecisionView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    schema = DecisionSchema()
    write_actions = {"post": actions.Action.FORECAST_DECIDE}

    def get(self, request: Request) -> Response:
        target, area = forecast_area_check(request)
        return Response({"decisions": [serialise_decision(d)
                                       for d in decisions_for(target, area.code)]})

    @extend_schema(request=DecisionInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        forecast = forecast_for(request, {
            **{k: v[k] for k in ("theme", "incidents", "offence") if v.get(k)},
            "area": v["area"], "horizon": v["horizon"], "cellSize": v["cellSize"]})
        try:
            decision = record_decision(request.user, forecast, kind=v["kind"], note=v["note"],
                                       cell=v["cell"])
        except DecisionRefused as refused:
            if refused.status == 403:
                raise exceptions.PermissionDenied(refused.message) from refused
            raise exceptions.ValidationError({refused.field: [refused.message]}) from refused
        return Response(serialise_decision(decision), status=status.HTTP_201_CREATED)


def forecast_area_check(request: Request):
    """The target and area of a GET on decisions, checked as for a forecast (scope)."""
    from knooppunt.analytics.hotspot_service import resolve_area

    params = ForecastParams(data=request.query_params.dict())
    params.is_valid(raise_exception=True)
    p = params.validated_data
    try:
        target = service.check(service.ForecastQuery(
            p.get("theme", ""), p["area"], incidents=p.get("incidents", ""),
            offence=p.get("offence", "")), request.user)
        return target, resolve_area(request.user, p["area"].upper())
    except NotAllowed as error:
        raise exceptions.PermissionDenied(str(error)) from error
    except UnknownArea as error:
        raise exceptions.NotFound(str(error)) from error
    except HotspotError as error:
        raise exceptions.ValidationError({error.param: [str(error)]}) from error
