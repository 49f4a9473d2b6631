"""/api/v1/map/...: the interactive map's layers as GeoJSON, scoped and logged.

* `GET /api/v1/map/areas`: municipalities (or wijken) of the user's safety region(s) with
  the signal and case counts of the period; aggregates, small counts null.
* `GET /api/v1/map/grid`: RD New cells of 100/250/500 m over a box with signal counts;
  aggregates, cells under the threshold left out; too many cells: 400.
* `GET /api/v1/map/signals`: the signals the user may open, as points (roles that see
  personal data only; a bestuurder gets 403); the list is logged.
* `GET /api/v1/map/signals/{id}`: what a point's popup shows, when the user may open it;
  logged as a view (404 for a signal the user may not see, the refusal logged too).
* `GET /api/v1/map/points/{layer}`: signals, police incidents or cases as points in a
  compact binary form for the map's own script (`web.mappoints`, decision 0040); the
  same scope and log as `/map/signals`.
* `GET /api/v1/map/cases/{id}`: what a case point's popup shows (incidents use
  `/api/v1/events/{id}`).

The layers themselves are computed in `web.maplayers`; decision 0036.
"""

from __future__ import annotations

import datetime as dt
import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, negotiation, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.audit.log import PURPOSE_SIGNAL_HANDLING, Action, record
from knooppunt.organisations import scope
from knooppunt.signals.models import Signal
from knooppunt.taxonomy.models import Theme

from . import maplayers, mappoints

GEOJSON = "application/geo+json"
DEFAULT_MONTHS = 12
LONGEST_PERIOD = dt.timedelta(days=366 * 10)
OBJECT_TYPE = "signals.signal"
NUMBER = r"-?\d{1,3}(\.\d{1,10})?"
BBOX_PATTERN = rf"^{NUMBER},{NUMBER},{NUMBER},{NUMBER}$"
NOT_FOUND = "Er is geen signaal met dit nummer dat u mag zien."

FEATURE_COLLECTION = {
    "type": "object",
    "description": "GeoJSON FeatureCollection (RFC 7946), coördinaten in WGS84.",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}},
    },
}
PERIOD_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE,
                     description="Eerste dag (ontvangen op); standaard 12 maanden terug."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Laatste dag; standaard vandaag."),
    OpenApiParameter("theme", OpenApiTypes.STR,
                     description="Code van een thema (zie de thema's van deze instantie)."),
]


class LayerParams(serializers.Serializer):
    """Period and theme shared by every layer; Dutch messages, nothing stored."""

    # `from` is a Python keyword: the fields are declared in __init__.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = serializers.DateField(required=False)
        self.fields["to"] = serializers.DateField(required=False)
        self.fields["theme"] = serializers.SlugField(required=False, max_length=40)

    def to_internal_value(self, data):
        # DRF drops an empty query parameter of an optional field; the document says a date
        # (or a code, a size, a box), so `?to=` is refused, not read as "not given".
        empty = sorted(name for name in self.fields if name in data and data.get(name) == "")
        if empty:
            raise serializers.ValidationError({name: ["Geef een waarde of laat de parameter "
                                                      "weg."] for name in empty})
        return super().to_internal_value(data)

    def validate(self, attrs: dict) -> dict:
        end = attrs.get("to") or timezone.localdate()
        start = attrs.get("from") or (end - dt.timedelta(days=365))
        if end < start:
            raise serializers.ValidationError({"to": ["'to' ligt vóór 'from'."]})
        if end - start > LONGEST_PERIOD:
            raise serializers.ValidationError({"from": ["De periode is langer dan tien jaar."]})
        theme_id = None
        if attrs.get("theme"):
            theme_id = Theme.objects.filter(code=attrs["theme"]).values_list(
                "pk", flat=True).first()
            if theme_id is None:
                raise serializers.ValidationError({"theme": ["Onbekend thema."]})
        attrs["filters"] = maplayers.Filters(start=start, end=end, theme_id=theme_id)
        return attrs


def _filters(request: Request, serializer_class=LayerParams) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


def _geojson(features: list[dict] | str, **extra) -> HttpResponse:
    """A FeatureCollection written at once (no serializer per feature: 100,000 points)."""
    body = features if isinstance(features, str) else json.dumps(
        features, separators=(",", ":"), ensure_ascii=False)
    head = json.dumps({"type": "FeatureCollection", **extra}, separators=(",", ":"))
    return HttpResponse(f'{head[:-1]},"features":{body}}}', content_type=GEOJSON)


class MapView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    problem_codes = {"get": [400]}


class AreaParams(LayerParams):
    level = serializers.ChoiceField(choices=["gemeente", "wijk"], required=False,
                                    default="gemeente")


class AreasView(MapView):
    """Areas of the user's safety region(s) with suppressed counts."""

    @extend_schema(
        operation_id="map_areas", tags=["Kaart"], summary="Gebieden met aantallen (kaartlaag)",
        description="De gemeenten van de veiligheidsregio('s) van uw werkgebied als GeoJSON "
        "(WGS84). Voor uw eigen gemeenten: `signals` en `cases` in de periode; aantallen "
        "onder de drempel zijn null. `level=wijk` zodra wijkgrenzen geladen zijn.",
        parameters=[*PERIOD_PARAMETERS,
                    OpenApiParameter("level", {"type": "string", "enum": ["gemeente", "wijk"]},
                                     description="Gemeenten (standaard) of wijken.")],
        responses={(200, GEOJSON): OpenApiResponse(FEATURE_COLLECTION)},
    )
    def get(self, request: Request) -> HttpResponse:
        params = _filters(request, AreaParams)
        features = maplayers.area_features(request.user, params["filters"], params["level"])
        return _geojson(features)


class GridParams(LayerParams):
    size = serializers.ChoiceField(choices=list(maplayers.GRID_SIZES), required=False,
                                   default=250)
    bbox = serializers.CharField(required=False, max_length=200)

    def validate_bbox(self, value: str) -> list[float] | None:
        if not value:
            return None
        try:
            box = [float(part) for part in value.split(",")]
        except ValueError:
            box = []
        if len(box) != 4 or not all(map(_finite, box)) or box[0] >= box[2] \
                or box[1] >= box[3] or not (box[0] >= -180 and box[2] <= 180
                                            and box[1] >= -90 and box[3] <= 90):
            raise serializers.ValidationError(
                "Geef bbox als west,zuid,oost,noord in graden (WGS84), west < oost, "
                "zuid < noord.")
        return box


def _finite(value: float) -> bool:
    return value == value and value not in (float("inf"), float("-inf"))


class GridView(MapView):
    """Signal counts per RD New cell over a box."""

    @extend_schema(
        operation_id="map_grid", tags=["Kaart"], summary="Rastercellen met aantallen (kaartlaag)",
        description="Cellen van 100, 250 of 500 meter in RD New (EPSG:28992) over `bbox`, "
        "beperkt tot uw werkgebied, met het aantal signalen per cel in de periode. Cellen "
        "met minder signalen dan de drempel worden weggelaten. Meer cellen dan de limiet "
        "(`KNOOPPUNT_MAP_MAX_CELLS`): 400.",
        parameters=[*PERIOD_PARAMETERS,
                    OpenApiParameter("size", {"type": "integer", "enum": [100, 250, 500]},
                                     description="Celgrootte in meters; standaard 250."),
                    OpenApiParameter("bbox", {"type": "string", "pattern": BBOX_PATTERN},
                                     description="west,zuid,oost,noord in WGS84-graden; "
                                     "standaard uw hele werkgebied.")],
        responses={(200, GEOJSON): OpenApiResponse(FEATURE_COLLECTION)},
    )
    def get(self, request: Request) -> HttpResponse:
        params = _filters(request, GridParams)
        size = int(params["size"])
        try:
            features = maplayers.grid_features(request.user, params["filters"], size,
                                               params.get("bbox"))
        except maplayers.TooManyCells as error:
            raise serializers.ValidationError({"size": [
                f"Dit gebied vraagt {error.cells} cellen van {size} m; de limiet is "
                f"{error.limit}. Zoom in of kies grotere cellen."]}) from error
        return _geojson(features, cellSize=size)


class SeesPoints(permissions.BasePermission):
    message = ("Uw rol geeft geen toegang tot signalen als punten; u ziet alleen aantallen "
               "per gebied of cel.")

    def has_permission(self, request, view) -> bool:
        return scope.sees_personal_data(request.user)


class SignalPointsView(MapView):
    """The signals the user may open, as points; the list is logged."""

    permission_classes = [permissions.IsAuthenticated, SeesPoints]

    @extend_schema(
        operation_id="map_signals_list", tags=["Kaart"], summary="Signalen als punten (kaartlaag)",
        description="De signalen met een locatie die u mag inzien, als GeoJSON-punten "
        "(WGS84) met `id` (voor `/map/signals/{id}`) en `theme` (code). Alleen voor rollen "
        "die persoonsgegevens zien; de opvraging wordt vastgelegd in het verwerkingenlog.",
        parameters=PERIOD_PARAMETERS,
        responses={(200, GEOJSON): OpenApiResponse(FEATURE_COLLECTION)},
    )
    def get(self, request: Request) -> HttpResponse:
        filters = _filters(request)["filters"]
        rows = maplayers.signal_points(request.user, filters)
        record(user=request.user, action=Action.LIST, object_type=OBJECT_TYPE,
               object_ids=[row[0] for row in rows], purpose=PURPOSE_SIGNAL_HANDLING,
               ranged=True, detail=f"kaart: punten {filters.start.isoformat()}–"
               f"{filters.end.isoformat()} (ids als reeksen)")
        themes = {pk: json.dumps(code) for pk, code in Theme.objects.values_list("pk", "code")}
        # Written by hand: the answer is mostly numbers and json.dumps per feature is slow.
        body = ",".join([
            f'{{"type":"Feature","id":{pk},"geometry":{{"type":"Point","coordinates":'
            f'[{lon!r},{lat!r}]}},"properties":{{"theme":{themes[theme]}}}}}'
            for pk, lon, lat, theme in rows])
        return _geojson(f"[{body}]")


class SignalPopupSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="Het `id` van het punt.")
    reference = serializers.CharField(help_text="Kenmerk, bijv. KNP-2026-000123.")
    theme = serializers.CharField(source="theme.name", help_text="Thema (naam).")
    source = serializers.CharField(source="source_type.name", help_text="Bron (naam).")
    receivedOn = serializers.DateField(source="received_on", help_text="Datum ontvangen.")
    status = serializers.CharField(source="get_status_display",
                                   help_text="Status, in de taal van het verzoek.")
    municipality = serializers.CharField(source="municipality.name", help_text="Gemeente.")
    address = serializers.SerializerMethodField(
        help_text="Straat, huisnummer en woonplaats; leeg als het signaal geen adres heeft.")
    url = serializers.SerializerMethodField(help_text="De pagina van het signaal.")

    def get_address(self, signal: Signal) -> str:
        number = f"{signal.house_number or ''}{signal.house_letter}"
        if signal.house_number_addition:
            number += f"-{signal.house_number_addition}"
        return " ".join(part for part in (signal.street, number, signal.city) if part)

    def get_url(self, signal: Signal) -> str:
        return reverse("signals:detail", kwargs={"reference": signal.reference})


def _popup_schema(operation_id: str, summary: str, what: str, serializer):
    return extend_schema(
        operation_id=operation_id, tags=["Kaart"], summary=summary,
        description=f"{what} u mag inzien (need-to-know); elke opvraging staat in het "
        "verwerkingenlog.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description="Het `id` van het punt.")],
        responses={200: serializer})


class PopupView(MapView):
    """One record for a point's popup: only when the user may open it; logged either way
    (a VIEW row, or a denied one and 404 for a record the user may not see)."""

    permission_classes = [permissions.IsAuthenticated, SeesPoints]
    problem_codes = {"get": [404]}
    object_type = ""
    not_found = ""
    popup_serializer: type[serializers.Serializer]

    def visible(self, user):
        raise NotImplementedError

    def popup(self, request: Request, pk: int) -> Response:
        found = self.visible(request.user).filter(pk=pk).first()
        if found is None:
            record(user=request.user, action=Action.VIEW, object_type=self.object_type,
                   object_ids=[pk], purpose=PURPOSE_SIGNAL_HANDLING, outcome="denied",
                   detail="kaart: pop-up")
            raise exceptions.NotFound(self.not_found)
        record(user=request.user, action=Action.VIEW, obj=found,
               purpose=PURPOSE_SIGNAL_HANDLING, detail="kaart: pop-up")
        return Response(self.popup_serializer(found).data)


class SignalPopupView(PopupView):
    """What a point's popup shows; only for a signal the user may open, and logged."""

    object_type = OBJECT_TYPE
    not_found = NOT_FOUND
    popup_serializer = SignalPopupSerializer

    def visible(self, user):
        return scope.signals_for(user).select_related("theme", "source_type", "municipality")

    @_popup_schema("map_signal_retrieve", "Eén signaal voor de pop-up van de kaart",
                   "Kenmerk, thema, bron, datum, status en adres van een signaal dat",
                   SignalPopupSerializer)
    def get(self, request: Request, id: int) -> Response:  # noqa: A002 - the path's name
        return self.popup(request, id)


class PointParams(LayerParams):
    """Period and theme, and for police incidents a dataset and offence codes."""

    dataset = serializers.SlugField(required=False, max_length=40)
    code = serializers.CharField(required=False, max_length=400)

    def validate_dataset(self, value: str) -> int | None:
        from knooppunt.events.models import EventDataset

        found = EventDataset.objects.filter(code=value).values_list("pk", flat=True).first()
        if found is None:
            raise serializers.ValidationError("Onbekend incidentenbestand.")
        return found

    def validate_code(self, value: str) -> list[str]:
        codes = [part.strip() for part in value.split(",") if part.strip()]
        if not codes or len(codes) > 50:
            raise serializers.ValidationError("Geef één tot vijftig codes, met komma's.")
        return codes


POINTS_DESCRIPTION = (
    "Signalen (`signals`), politie-incidenten (`events`) of casussen (`cases`) die u mag "
    "inzien, als punten in een compact binair formaat voor de kaart van Knooppunt zelf "
    "(`application/vnd.knooppunt.points`, little-endian): 4 bytes `KPP1`, uint32 aantal n, "
    "uint32 lengte h van een JSON-kop (`layer`, `count`, `categories`), de kop, dan int32 "
    "id[n], float32 x,y[2n] in Web Mercator (0..1 over de wereld) en uint8 categorie[n] "
    "(index in `categories`: themacode, of de soort incident). Een casus staat op de plek "
    "van zijn eerste signaal dat u mag inzien. Alleen voor rollen die persoonsgegevens "
    "zien (een bestuurder krijgt 403 en ziet gebieden en cellen); elke opvraging staat in "
    "het verwerkingenlog. Voor GeoJSON: `/map/signals`.")


class AnyAccept(negotiation.BaseContentNegotiation):
    """The answer is always the compact form (written by the view) and errors are always
    problem+json, so a client asking for `application/vnd.knooppunt.points` gets no 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PointLayerView(MapView):
    """Signals, incidents or cases as points in the compact form; the list is logged."""

    permission_classes = [permissions.IsAuthenticated, SeesPoints]
    content_negotiation_class = AnyAccept

    @extend_schema(
        operation_id="map_points", tags=["Kaart"],
        summary="Punten van een kaartlaag (compact binair)", description=POINTS_DESCRIPTION,
        parameters=[
            OpenApiParameter("layer", {"type": "string", "enum": list(mappoints.LAYERS)},
                             OpenApiParameter.PATH, description="De laag."),
            *PERIOD_PARAMETERS,
            OpenApiParameter("dataset", OpenApiTypes.STR,
                             description="Alleen `events`: code van een incidentenbestand."),
            OpenApiParameter("code", OpenApiTypes.STR,
                             description="Alleen `events`: delict- of incidentcodes, met "
                             "komma's."),
        ],
        responses={(200, mappoints.MEDIA_TYPE): OpenApiResponse(
            {"type": "string", "format": "binary"}, description="De punten (zie boven).")},
    )
    def get(self, request: Request, layer: str) -> HttpResponse:
        params = _filters(request, PointParams)
        filters = params["filters"]
        if layer == "signals":
            points = mappoints.signal_layer(request.user, filters)
        elif layer == "events":
            points = mappoints.event_layer(request.user, filters, params.get("dataset"),
                                           params.get("code") or ())
        else:
            points = mappoints.case_layer(request.user, filters)
        record(user=request.user, action=Action.LIST,
               object_type=mappoints.OBJECT_TYPES[layer], object_ids=points.ids,
               purpose=PURPOSE_SIGNAL_HANDLING, ranged=True,
               detail=f"kaart: laag {layer} {request.GET.urlencode()[:300]} (ids als reeksen)")
        return HttpResponse(mappoints.encode(points), content_type=mappoints.MEDIA_TYPE)


class CasePopupSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="Het `id` van het punt.")
    reference = serializers.CharField(help_text="Kenmerk, bijv. CAS-2026-000118.")
    title = serializers.CharField(help_text="Titel (zonder namen).")
    theme = serializers.CharField(source="theme.name", help_text="Thema (naam).")
    stage = serializers.CharField(source="stage.name", help_text="Fase (naam).")
    openedOn = serializers.DateField(source="opened_on", help_text="Geopend op.")
    municipality = serializers.CharField(source="municipality.name", help_text="Gemeente.")
    url = serializers.SerializerMethodField(help_text="De pagina van de casus.")

    def get_url(self, case) -> str:
        return reverse("cases:detail", kwargs={"reference": case.reference})


CASE_NOT_FOUND = "Er is geen casus met dit nummer die u mag zien."


class CasePopupView(PopupView):
    """What a case point's popup shows; only for a case the user may open, and logged."""

    object_type = "cases.case"
    not_found = CASE_NOT_FOUND
    popup_serializer = CasePopupSerializer

    def visible(self, user):
        return scope.cases_for(user).select_related("theme", "stage", "municipality")

    @_popup_schema("map_case_retrieve", "Eén casus voor de pop-up van de kaart",
                   "Kenmerk, titel, thema, fase, datum en gemeente van een casus die",
                   CasePopupSerializer)
    def get(self, request: Request, id: int) -> Response:  # noqa: A002 - the path's name
        return self.popup(request, id)
