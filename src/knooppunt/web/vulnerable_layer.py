"""The vulnerable-places layer of the interactive map: `/api/v1/map/vulnerable-places`.

The places of one municipality's buitengebied in the top 10 % of the score (decision 0041)
as GeoJSON points in WGS84, each with its score class (top 1 %, 5 % or 10 %), its reasons
(the factors that move the score by at least 10 %, as on `/kwetsbare-plekken/`) and the
state of its visits (the latest step). The same need-to-know as the list: only list
readers (`scope.vulnerable_place_municipalities`); a bestuurder gets 403 and the counts
per municipality of `/vulnerable-places/summary`. Every layer shown is a LIST row of the
addresses in the processing log, as the list.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request

from knooppunt.analytics import vulnerability_service as service

from .map_api import FEATURE_COLLECTION, GEOJSON, MapView, _geojson
from .vulnerable import place_rows

# Score classes of the layer: (class, share of the places), strongest first.
CLASSES = ((3, 0.01), (2, 0.05), (1, 0.10))
SHOWN_SHARE = CLASSES[-1][1]


def score_class(rank: int, places: int) -> int:
    """3, 2 or 1 for a place ranked `rank` (1 = highest) among `places` in the top 1, 5 or
    10 %; 0 below. A share holds at least one place, counted as the page's top 5 %."""
    for value, share in CLASSES:
        if rank <= service.top_of(share, places):
            return value
    return 0


def _visit(visit) -> dict | None:
    if visit is None:
        return None
    return {"step": visit.step, "stepLabel": str(visit.get_step_display()),
            "outcome": visit.outcome, "outcomeLabel": str(visit.get_outcome_display()),
            "on": visit.on.isoformat()}


def features(analysis, latest: dict, indices: list[int]) -> list[dict]:
    """GeoJSON features of the places `indices` (ranked), with class, reasons and visit."""
    total = len(analysis.places)
    found = []
    for row in place_rows(analysis, indices, latest):
        place = row["place"]
        found.append({
            "type": "Feature", "id": place.address_id,
            "geometry": {"type": "Point", "coordinates": [round(place.longitude, 6),
                                                          round(place.latitude, 6)]},
            "properties": {
                "rank": row["rank"], "class": score_class(row["rank"], total),
                "address": place.label, "usage": place.usage,
                "score": round(row["score"], 4),
                "reasons": [{"label": r["label"], "value": r["shown"],
                             "times": round(r["times"], 2)} for r in row["reasons"]],
                "visit": _visit(row["visit"]),
            },
        })
    return found


class LayerParams(serializers.Serializer):
    municipality = serializers.RegexField(
        r"^[Gg][Mm][0-9]{4}$", help_text="Gemeentecode (GM + 4 cijfers).",
        error_messages={"invalid": "Geef een gemeentecode: GM en vier cijfers."})


class VulnerablePlacesLayerView(MapView):
    problem_codes = {"get": [400, 403]}

    @extend_schema(
        operation_id="map_vulnerable_places", tags=["Kaart"],
        summary="Kwetsbare plekken (kaartlaag)", parameters=[LayerParams],
        description="De plekken in het buitengebied van een gemeente met de hoogste 10 % "
        "van de score, als GeoJSON-punten (WGS84): `class` 3/2/1 = hoogste 1/5/10 %, "
        "`rank`, `score`, `reasons` (factoren die de score minstens 10 % veranderen, met "
        "waarde en bijdrage) en `visit` (de laatste stap, of null). Alleen voor de "
        "coördinator of analist van de gemeente of het RIEC (een bestuurder krijgt 403 "
        "en de aantallen van `/vulnerable-places/summary`); vastgelegd in het "
        "verwerkingenlog.",
        responses={(200, GEOJSON): OpenApiResponse(FEATURE_COLLECTION)},
    )
    def get(self, request: Request) -> HttpResponse:
        params = LayerParams(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        try:
            municipality = service.list_municipality(request.user,
                                                     params.validated_data["municipality"])
        except service.NotAllowed as refused:
            raise exceptions.PermissionDenied(
                "U mag de kwetsbare plekken van deze gemeente niet inzien; u krijgt de "
                "aantallen per gemeente (/api/v1/vulnerable-places/summary).") from refused
        analysis = service.analyse(request.user, municipality, timezone.localdate())
        ranked = analysis.ranked()
        indices = ranked[:service.top_of(SHOWN_SHARE, len(ranked))]
        latest = service.latest_visits(municipality,
                                       [analysis.places[i].address_id for i in indices])
        if indices:
            service.log_list(request.user, analysis, indices)
        return _geojson(features(analysis, latest, indices), municipality=municipality.code,
                        places=len(analysis.places))
