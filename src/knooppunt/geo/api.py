"""/api/v1/areas: the municipalities and wijken a user may use, with names, and their
boundaries as GeoJSON in WGS84 (decision 0035).

Scoped like the other area reads (`monitoring.queries.areas_for` for wijken): a user sees
the municipalities their organisations serve (`scope.figure_municipality_codes`) and the
wijken in them. Asking for a municipality outside them is a 403, for one that does not
exist a 404, both as problem+json in Dutch and English; nothing is stored anywhere, so
these reads are not written to the processing log (boundaries and names are public CBS
data, no personal data).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.schema import ApiAutoSchema
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.monitoring.api.views import MunicipalityCodesField
from knooppunt.organisations import scope

from . import boundaries
from .models import District, Municipality

TAG = "Gebieden"
LEVELS = ("gemeente", "wijk")
AREA_CODE_PATTERN = r"^(?:[Gg][Mm][0-9]{4}|[Ww][Kk][0-9]{4}[0-9A-Za-z]{2})$"


class AreasSchema(ApiAutoSchema):
    problem_descriptions = {
        403: "Deze gemeente hoort niet bij de gemeenten die uw organisatie bedient / "
        "this municipality is not one your organisation serves.",
    }

    def problem_status_codes(self) -> list[int]:
        return sorted(set(super().problem_status_codes()) | {400, 403, 404})


class AreaParams(serializers.Serializer):
    level = serializers.ChoiceField(choices=LEVELS, required=False,
                                    help_text="gemeente of wijk; leeg: beide.")
    municipality = MunicipalityCodesField(
        required=False, help_text="Alleen deze gemeenten en hun wijken (GM-codes, "
        "komma-gescheiden); elk moet bij uw gemeenten horen.")
    # No control characters (PostgreSQL cannot compare text with NUL): a 400, not a 500.
    q = serializers.RegexField(r"^[^\x00-\x1f\x7f]*$", required=False, max_length=60,
                               trim_whitespace=False,
                               help_text="Zoek op (een deel van) de naam of code, "
                               "hoofdletterongevoelig, bijv. binnensingel.")


def _properties() -> dict[str, serializers.Field]:
    """The fields an area has in the list and in a GeoJSON feature's properties."""
    return {
        "code": serializers.CharField(help_text="CBS-code: GM + 4 cijfers of WK + 6 tekens."),
        "name": serializers.CharField(help_text="Officiële naam (CBS 2024)."),
        "level": serializers.ChoiceField(choices=LEVELS, help_text="gemeente of wijk."),
        "municipality": serializers.CharField(help_text="Code van de gemeente (bij een "
                                              "gemeente de eigen code)."),
        "municipalityName": serializers.CharField(help_text="Naam van de gemeente."),
        "population": serializers.IntegerField(help_text="Inwoners op 1 januari 2024 (CBS)."),
    }


class AreaListItemSerializer(serializers.Serializer):
    def get_fields(self):
        return {**_properties(), "bbox": serializers.ListField(
            child=serializers.FloatField(), min_length=4, max_length=4, allow_null=True,
            help_text="Omhullende in WGS84: [west, zuid, oost, noord] (lengte- en "
            "breedtegraad); null als er geen grens is geladen.")}


class AreaGeometrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Polygon", "MultiPolygon"],
                                   help_text="GeoJSON-geometrietype.")
    coordinates = serializers.ListField(child=serializers.JSONField(),
                                        help_text="GeoJSON-coördinaten, WGS84 (lon, lat).")


class AreaFeaturePropertiesSerializer(serializers.Serializer):
    def get_fields(self):
        return _properties()


class AreaFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"], help_text="Altijd Feature.")
    id = serializers.CharField(help_text="CBS-code van het gebied.")
    geometry = AreaGeometrySerializer(allow_null=True, help_text="Grens in WGS84; null als er "
                                      "geen grens is geladen.")
    properties = AreaFeaturePropertiesSerializer(help_text="Code, naam, niveau, gemeente en "
                                                 "inwoners.")


class AreaFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"],
                                   help_text="Altijd FeatureCollection.")
    features = AreaFeatureSerializer(many=True, help_text="Eén feature per gebied.")
    attribution = serializers.CharField(help_text="Bron van de grenzen.")


def _served(request: Request) -> frozenset[str]:
    return scope.figure_municipality_codes(request.user)


def check_municipalities(request: Request, codes: list[str]) -> None:
    """Unknown codes: 404; codes outside the user's municipalities: 403 (in that order,
    so an unknown code is never reported as 'not yours')."""
    known = set(Municipality.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise exceptions.NotFound(
            f"Onbekende gemeente(n) in de indeling van 2024: {', '.join(unknown[:5])} / "
            f"unknown municipality code(s) in the 2024 division.")
    served = _served(request)
    outside = [c for c in codes if c not in served]
    if outside:
        raise exceptions.PermissionDenied(
            f"Gemeente(n) {', '.join(outside[:5])} horen niet bij de gemeenten die uw "
            f"organisatie bedient / not among the municipalities your organisation serves.")


def _wgs84_bbox(row: dict) -> list[float] | None:
    if row["min_x"] is None:
        return None
    from .projection import rd_to_wgs84

    south, west = rd_to_wgs84(row["min_x"], row["min_y"])
    north, east = rd_to_wgs84(row["max_x"], row["max_y"])
    return [round(west, 6), round(south, 6), round(east, 6), round(north, 6)]


def find_areas(request: Request, params: dict) -> list[dict]:
    """The areas matching `params` that the user may use, municipalities first."""
    codes = params.get("municipality")
    if codes:
        check_municipalities(request, codes)
    else:
        codes = sorted(_served(request))
    term = (params.get("q") or "").strip()
    level = params.get("level")
    found: list[dict] = []
    fields = ("code", "name", "boundary", "population", "min_x", "min_y", "max_x", "max_y")
    if level in (None, "gemeente"):
        qs = Municipality.objects.filter(code__in=codes)
        if term:
            qs = qs.filter(name__icontains=term) | qs.filter(code__iexact=term)
        found += [{**row, "level": "gemeente", "municipality": row["code"],
                   "municipalityName": row["name"]}
                  for row in qs.order_by("name").values(*fields)]
    if level in (None, "wijk"):
        qs = District.objects.filter(municipality__code__in=codes)
        if term:
            qs = qs.filter(name__icontains=term) | qs.filter(code__iexact=term)
        found += [{**row, "level": "wijk", "municipality": row.pop("municipality__code"),
                   "municipalityName": row.pop("municipality__name")}
                  for row in qs.order_by("municipality__name", "code").values(
                      *fields, "municipality__code", "municipality__name")]
    return found


class AreasView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    schema = AreasSchema()

    @staticmethod
    def params(request: Request) -> dict:
        serializer = AreaParams(data=request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


@extend_schema(tags=[TAG], parameters=[AreaParams], responses=AreaListItemSerializer(many=True),
               summary="Gemeenten en wijken",
               description="De gemeenten die uw organisatie bedient en hun wijken, met naam, "
               "inwoners en omhullende (WGS84). Filter op gemeente(n), niveau en naam.")
class AreaListView(AreasView):
    def get(self, request: Request) -> Response:
        found = find_areas(request, self.params(request))
        rows = [{**{k: row[k] for k in ("code", "name", "level", "municipality",
                                         "municipalityName", "population")},
                 "bbox": _wgs84_bbox(row)} for row in found]
        return Response(AreaListItemSerializer(rows, many=True).data)


@extend_schema(tags=[TAG], parameters=[AreaParams], responses=AreaFeatureCollectionSerializer,
               summary="Grenzen (GeoJSON)",
               description="Dezelfde gebieden als `GET /areas`, als GeoJSON FeatureCollection "
               "met de grenzen in WGS84 (lengte, breedte). Bron: CBS, Kadaster/PDOK.")
class AreaBoundariesView(AreasView):
    def get(self, request: Request) -> Response:
        found = find_areas(request, self.params(request))
        return Response(boundaries.collection([
            boundaries.feature(row["level"], row["code"], row["name"], row["boundary"],
                               municipality=row["municipality"],
                               municipalityName=row["municipalityName"],
                               population=row["population"])
            for row in found]))


CODE_PARAM = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH,
                              pattern=AREA_CODE_PATTERN,
                              description="CBS-code van een gemeente (GM0153) of wijk "
                              "(WK015300).")


@extend_schema(tags=[TAG], parameters=[CODE_PARAM], responses=AreaFeatureSerializer,
               summary="Grens van één gebied",
               description="De grens van een gemeente of wijk als GeoJSON Feature (WGS84).")
class AreaBoundaryView(AreasView):
    def get(self, request: Request, code: str) -> Response:
        code = code.upper()
        check_municipalities(request, ["GM" + code[2:6]])
        level = "gemeente" if code.startswith("GM") else "wijk"
        found = [row for row in find_areas(request, {"municipality": ["GM" + code[2:6]],
                                                     "level": level})
                 if row["code"] == code]
        if not found:
            raise exceptions.NotFound(f"Onbekend gebied {code} / unknown area {code}.")
        row = found[0]
        return Response(boundaries.feature(
            level, row["code"], row["name"], row["boundary"], municipality=row["municipality"],
            municipalityName=row["municipalityName"], population=row["population"]))
