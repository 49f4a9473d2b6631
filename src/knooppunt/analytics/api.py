"""GET /api/v1/hotspots: hotspot cells of an area as GeoJSON (WGS84) with the method.

A thin view over `hotspot_service.compute`: parameters checked by a serializer, the
service's refusals as problem+json (400 with the parameter in `invalidParams`, 403 for an
area outside the user's municipalities, 404 for an unknown area). The answer is an
aggregate (counts per cell of what the user may see, suppressed for aggregate-only
audiences), not a list of records, so it is not written to the processing log.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.schema import ApiAutoSchema
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.signals.api.fields import CodeField
from knooppunt.taxonomy.models import SourceType, Theme

from . import hotspot_request
from . import hotspot_service as service
from .hotspots import CELL_SIZES, DISTANCE_BAND, KERNELS, QUARTIC, QUEEN

TAG = "Analyses"
POINT_SOURCES = ("signals", "events")
CODES_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}(?:,[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39})*$"
AREA_PATTERN = r"^(?:[Gg][Mm][0-9]{4}|[Vv][Rr][0-9]{2}|[Ww][Kk][0-9]{6})$"


class HotspotSchema(ApiAutoSchema):
    problem_descriptions = {
        403: "Het gebied ligt (deels) buiten de gemeenten die uw organisatie bedient.",
    }

    def problem_status_codes(self) -> list[int]:
        return sorted(set(super().problem_status_codes()) | {400, 403, 404})


class HotspotParams(serializers.Serializer):
    area = serializers.RegexField(AREA_PATTERN, required=False, help_text="Gemeente (GM + "
                                  "4 cijfers), veiligheidsregio (VR + 2 cijfers) of wijk "
                                  "(WK + 6 cijfers, met haar eigen grens) die uw "
                                  "organisatie helemaal bedient. Leeg alleen bij "
                                  "points=events met een dataset buiten Nederland (ander "
                                  "stelsel): dan is het gebied de omhullende van de "
                                  "incidenten plus 500 m.")
    start = serializers.DateField(required=False, help_text="Begin van de periode "
                                  "(JJJJ-MM-DD); standaard 24 hele maanden terug.")
    end = serializers.DateField(required=False, help_text="Einde van de periode "
                                "(JJJJ-MM-DD); standaard de laatste dag van vorige maand.")
    cellSize = serializers.ChoiceField(
        choices=CELL_SIZES, required=False, default=250,
        error_messages={"invalid_choice": "Celgrootte moet 100, 250 of 500 meter zijn."},
        help_text="Celgrootte in meter (RD New).")
    theme = CodeField(example="hennepteelt", queryset=Theme.objects.all(), required=False,
                      help_text="Alleen signalen van dit thema.")
    source = CodeField(example="politie", queryset=SourceType.objects.all(), required=False,
                       help_text="Alleen signalen van deze bron.")
    kernel = serializers.ChoiceField(choices=KERNELS, required=False, default=QUARTIC,
                                     help_text="Kern van de dichtheid.")
    bandwidth = serializers.FloatField(required=False, min_value=1, max_value=20_000,
                                       help_text="Bandbreedte in meter; standaard de regel "
                                       "van Silverman zoals ArcGIS die toepast.")
    weights = serializers.ChoiceField(choices=(QUEEN, DISTANCE_BAND), required=False,
                                      default=QUEEN, help_text="Gewichten van Gi*: queen "
                                      "(cel + 8 buren) of distance_band.")
    band = serializers.FloatField(required=False, min_value=1, max_value=5_000,
                                  help_text="Afstandsband in meter (bij distance_band).")
    step = serializers.ChoiceField(choices=service.STEPS, required=False,
                                   help_text="Tijdstap voor opkomende hotspots; zonder: "
                                   "alleen de hele periode.")
    points = serializers.ChoiceField(
        choices=POINT_SOURCES, required=False, default="signals",
        help_text="Welke punten: signals (de signalen die u mag zien) of events "
        "(politie-incidenten van één dataset, met `dataset` en eventueel `code`).")
    dataset = serializers.RegexField(
        r"^[-a-zA-Z0-9_]{1,40}$", required=False,
        help_text="Code van de incidentendataset (bij points=events), bijv. demo-vr05.")
    code = serializers.RegexField(
        CODES_PATTERN, required=False, max_length=400,
        help_text="Delict- of incidentcodes, met komma's gescheiden (bij points=events), "
        "bijv. 3.1.1,2.1.1; zonder: alle codes.")

    def validate(self, attrs):
        if not attrs.get("area") and attrs.get("points") != "events":
            raise serializers.ValidationError({"area": "Geef een gebied (GM…, VR… of WK…)."})
        if attrs.get("points") == "events":
            if not attrs.get("dataset"):
                raise serializers.ValidationError(
                    {"dataset": "Geef de dataset van de incidenten (points=events)."})
            for name in ("theme", "source"):
                if attrs.get(name):
                    raise serializers.ValidationError(
                        {name: "Thema en bron gelden alleen voor signalen."})
        elif attrs.get("dataset") or attrs.get("code"):
            field = "dataset" if attrs.get("dataset") else "code"
            raise serializers.ValidationError(
                {field: "Dataset en code gelden alleen bij points=events."})
        if attrs.get("weights") == DISTANCE_BAND and not attrs.get("band"):
            raise serializers.ValidationError({"band": "Geef de afstandsband in meter."})
        return attrs


def _text(help_text: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(help_text=help_text, **kwargs)


class _Area(serializers.Serializer):
    code = _text("Code van het gebied (GM…, VR… of WK…; leeg voor de omhullende van een "
                 "dataset buiten Nederland).")
    name = _text("Naam van het gebied.")


class _Period(serializers.Serializer):
    start = serializers.DateField(help_text="Eerste dag van de periode.")
    end = serializers.DateField(help_text="Laatste dag van de periode.")


class _Method(serializers.Serializer):
    method = _text("De gebruikte methoden.")
    crs = _text("Coördinatenstelsel van de berekening (RD New: EPSG:28992).")
    cellSize = serializers.FloatField(help_text="Celgrootte in meter.")
    cells = serializers.IntegerField(help_text="Aantal cellen in het gebied (ook lege).")
    events = serializers.IntegerField(help_text="Aantal punten in het gebied.")
    kernel = _text("Kern van de dichtheid: quartic of gaussian.")
    bandwidth = serializers.FloatField(help_text="Bandbreedte van de dichtheid in meter.")
    bandwidthRule = _text("Hoe de bandbreedte is gekozen.")
    weights = _text("Gewichten van Gi*.")
    correction = _text("Correctie voor meervoudig toetsen en de klassen.")
    period = _text("De periode als tekst.")
    data = _text("Welke gegevens geteld zijn.")
    steps = serializers.IntegerField(required=False, help_text="Aantal tijdstappen "
                                     "(alleen met `step`).")
    step = _text("Tijdstap (alleen met `step`).", required=False)
    alpha = serializers.FloatField(required=False, help_text="Significantieniveau van de "
                                   "trend en van hot/cold per stap (alleen met `step`).")
    text = _text("De methode in één alinea, om onder een kaart te zetten.")


class _Geometry(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Polygon"], help_text="Altijd Polygon.")
    coordinates = serializers.ListField(child=serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2,
                                    max_length=2)),
        help_text="Eén ring van vijf punten: lengte- en breedtegraad (WGS84).")


class _Properties(serializers.Serializer):
    id = _text("Celgrootte en zuidwesthoek in RD, bijv. 250m_E257000_N471250.")
    count = serializers.IntegerField(allow_null=True, help_text="Aantal in de cel; null "
                                     "= afgeschermd (kleiner dan de drempel).")
    density = serializers.FloatField(allow_null=True, help_text="Kerndichtheid per km²; "
                                     "null als u alleen geaggregeerde cijfers krijgt.")
    z = serializers.FloatField(allow_null=True, help_text="Gi* z-score; null als u alleen "
                               "geaggregeerde cijfers krijgt.")
    p = serializers.FloatField(allow_null=True, help_text="Tweezijdige p-waarde; null als "
                               "u alleen geaggregeerde cijfers krijgt.")
    pFdr = serializers.FloatField(allow_null=True, help_text="p-waarde na "
                                  "Benjamini-Hochberg (FDR); null als u alleen "
                                  "geaggregeerde cijfers krijgt.")
    # "class" is a keyword: the field is declared under another name and renamed below.
    klass = serializers.IntegerField(min_value=-3, max_value=3,
                                     help_text="3/2/1: hot spot 99/95/90 %; 0: niet "
                                     "significant; -1/-2/-3: cold spot 90/95/99 %.")
    category = _text("Opkomende hotspot, bijv. new_hot, persistent_cold, none (alleen met "
                     "`step`).", required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["class"] = fields.pop("klass")
        return fields


class _Feature(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"], help_text="Altijd Feature.")
    id = _text("Dezelfde code als `properties.id`.")
    geometry = _Geometry(help_text="De cel als vierkant in WGS84.")
    properties = _Properties(help_text="De cijfers van de cel.")


class HotspotCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"],
                                   help_text="Altijd FeatureCollection (GeoJSON).")
    area = _Area(help_text="Het gebied.")
    period = _Period(help_text="De periode.")
    cellSize = serializers.IntegerField(help_text="Celgrootte in meter.")
    aggregateOnly = serializers.BooleanField(help_text="Alleen geaggregeerd: kleine "
                                             "aantallen afgeschermd, geen z, p en dichtheid.")
    method = _Method(help_text="Methode, parameters, periode, gegevens en "
                     "coördinatenstelsel.")
    features = _Feature(many=True, help_text="Alle cellen van het gebied, ook lege.")


@extend_schema(tags=[TAG], parameters=[HotspotParams], responses=HotspotCollectionSerializer,
               summary="Hotspots",
               description="Tellingen, kerndichtheid en Getis-Ord Gi* (met FDR-correctie) "
               "per cel van een regelmatig raster over het hele gebied (ook lege cellen), "
               "als GeoJSON in WGS84, met de methode. Met `step` ook opkomende hotspots "
               "(Mann-Kendall). Bestuurders krijgen alleen aantallen (kleine afgeschermd) "
               "en klassen.")
class HotspotView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    schema = HotspotSchema()

    def get(self, request: Request) -> Response:
        params = HotspotParams(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        p = params.validated_data
        query = hotspot_request.from_api(p, service.default_period(timezone.localdate()))
        try:
            answer = service.compute(request.user, query)
        except service.NotAllowed as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except service.UnknownArea as error:
            raise exceptions.NotFound(str(error)) from error
        except service.HotspotError as error:
            raise exceptions.ValidationError({error.param: [str(error)]}) from error
        return Response(service.geojson(answer))
