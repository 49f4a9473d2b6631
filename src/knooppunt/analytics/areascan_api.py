"""/api/v1/area-scans: the area scan of a municipality, a wijk, a buffer around an
address or a drawn polygon (POST /area-scans/polygon, `analytics.drawn`), as the page
shows it (`analytics.areascan`): scoped, suppressed, logged. The polygon is POSTed because
it does not fit a query string; the call stores nothing and needs the read scope.

A key gets the lists that name addresses and companies only when its holder's role sees
personal data *and* the key has a scope that opens personal data
(`organisations.models.PERSONAL_DATA_SCOPES`); with `figures:read` alone it gets the
figures. Refusals are problem+json: 400 (with `invalidParams`), 403, 404.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.problems import problem_response
from knooppunt.api.strict import StrictSerializer
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.organisations.models import PERSONAL_DATA_SCOPES

from . import areas, areascan, drawn

NULL = "null: afgeschermd (klein aantal of af te leiden) of niet te berekenen."


class AreaScanRowSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="Wat geteld is.")
    value = serializers.IntegerField(allow_null=True, help_text="Aantal in het gebied; " + NULL)
    hidden = serializers.BooleanField(help_text="Afgeschermd (klein aantal).")
    rate = serializers.FloatField(allow_null=True, help_text="Per 1.000 adressen; " + NULL)
    municipalityRate = serializers.FloatField(source="municipality_rate", allow_null=True,
                                              help_text="Gemeente, per 1.000 adressen.")
    regionRate = serializers.FloatField(source="region_rate", allow_null=True,
                                        help_text="Veiligheidsregio, per 1.000 adressen.")


class AreaScanSectionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Sleutel van het onderdeel, bijv. gebruiksdoel.")
    title = serializers.CharField(help_text="Titel van het onderdeel.")
    source = serializers.CharField(help_text="Bron van de cijfers.")
    sourceDate = serializers.DateField(source="source_date", allow_null=True,
                                       help_text="Stand van de bron.")
    note = serializers.CharField(allow_blank=True, help_text="Toelichting (methode).")
    rows = AreaScanRowSerializer(many=True, help_text="De cijfers.")


class AreaScanGridRowSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="Thema of bron.")
    quarters = serializers.ListField(child=serializers.IntegerField(allow_null=True),
                                     help_text="Per kwartaal; " + NULL)
    total = serializers.IntegerField(allow_null=True, help_text="24 maanden; " + NULL)

    def to_representation(self, instance):
        label, cells, total = instance
        return {"label": label, "quarters": list(cells), "total": total}


class AreaScanGridSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="signalen-thema of signalen-bron.")
    title = serializers.CharField(help_text="Titel van de tabel.")
    source = serializers.CharField(help_text="Bron van de cijfers.")
    sourceDate = serializers.DateField(source="source_date", allow_null=True,
                                       help_text="Laatste datum ontvangen.")
    quarters = serializers.ListField(child=serializers.CharField(),
                                     help_text="Kwartalen, bijv. 2026 K1.")
    rows = AreaScanGridRowSerializer(many=True, help_text="Per thema of bron.")
    totals = serializers.ListField(child=serializers.IntegerField(allow_null=True),
                                   help_text="Totaal per kwartaal; " + NULL)
    total = serializers.IntegerField(allow_null=True, help_text="Totaal; " + NULL)


class AreaScanAddressSerializer(serializers.Serializer):
    registerId = serializers.CharField(source="nummeraanduiding_id",
                                       help_text="BAG nummeraanduiding-id.")
    address = serializers.CharField(help_text="Het adres.")
    companies = serializers.IntegerField(help_text="Aantal bedrijven op het adres.")
    names = serializers.ListField(child=serializers.CharField(), help_text="Handelsnamen.")


class AreaScanAnomalySerializer(serializers.Serializer):
    address = serializers.CharField(help_text="Het adres.")
    reportedOn = serializers.DateField(source="reported_on", help_text="Datum melding.")
    ratio = serializers.FloatField(allow_null=True, help_text="Gemeten / verwacht verbruik.")
    source = serializers.CharField(help_text="Bron (netbeheerder).")


class AreaScanSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["gemeente", "wijk", "buffer", "getekend"],
                                   help_text="Soort gebied.")
    code = serializers.CharField(help_text="GM-code, WK-code, <nummeraanduiding>@<m>m of "
                                 "getekend-<kenmerk van de veelhoek>.")
    name = serializers.CharField(help_text="Naam van het gebied.")
    municipality = serializers.CharField(source="municipality_code",
                                         help_text="CBS-code van de gemeente.")
    region = serializers.CharField(source="region_code", allow_blank=True,
                                   help_text="Code van de veiligheidsregio.")
    madeOn = serializers.DateField(source="made_on", help_text="Einde van de 24 maanden.")
    since = serializers.DateField(help_text="Begin van de 24 maanden (signalen, casussen).")
    basis = serializers.CharField(help_text="Waarop de vergelijkingen betrekking hebben.")
    addresses = serializers.IntegerField(help_text="Adressen (BAG) in het gebied.")
    municipalityAddresses = serializers.IntegerField(source="municipality_addresses",
                                                     help_text="Adressen in de gemeente.")
    regionAddresses = serializers.IntegerField(source="region_addresses",
                                               help_text="Adressen in de regio.")
    population = serializers.IntegerField(allow_null=True,
                                          help_text="Inwoners (CBS); null bij een straal.")
    sections = AreaScanSectionSerializer(many=True, help_text="Onderdelen met cijfers.")
    grids = AreaScanGridSerializer(many=True, help_text="Signalen per kwartaal.")
    personal = serializers.BooleanField(help_text="Bevat lijsten met adressen en bedrijven.")
    crowdedAddresses = AreaScanAddressSerializer(source="crowded", many=True,
                                         help_text="Alleen met toegang tot persoonsgegevens.")
    energyAnomalies = AreaScanAnomalySerializer(
        source="anomalies", many=True,
        help_text="Energie-afwijkingen die u mag zien; alleen met toegang tot "
        "persoonsgegevens.")
    notes = serializers.ListField(child=serializers.CharField(),
                                  help_text="Wat de scan niet bevat.")


AREA = OpenApiParameter(
    "area", {"type": "string", "pattern": r"^(GM[0-9]{4}|WK[0-9]{6})$"}, required=True,
    description="Gemeente- of wijkcode, bijv. GM0153 of WK015301.")
ADDRESS = OpenApiParameter(
    "address", {"type": "string",
                "pattern": r"^([0-9]{4} ?[A-Za-z]{2} ?[0-9]{1,5}[A-Za-z]?|[0-9]{16})$"},
    required=True, description="Adres: postcode en huisnummer (7511GA12, 7511 GA 12) of "
    "nummeraanduiding-id (16 cijfers).")
RADIUS = OpenApiParameter(
    "radius", {"type": "integer", "minimum": areas.MIN_RADIUS_M,
               "maximum": areas.MAX_RADIUS_M}, required=True,
    description="Straal in meters rond het adres.")
DESCRIPTION = (
    "Gebouwen (BAG), bedrijven (KvK), signalen per thema en bron per kwartaal, "
    "energie-afwijkingen, casussen en interventies in het gebied, elk met bron en datum en "
    "per 1.000 adressen naast de gemeente en de regio. Kleine aantallen zijn null. "
    "Adressen en handelsnamen alleen voor een rol met toegang tot persoonsgegevens en een "
    "sleutel met zo'n bevoegdheid; het inzien wordt gelogd.")


class _AreaScanBase(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    problem_codes = {"get": [400, 403, 404]}

    def answer(self, request: Request, *, polygon: object = None, name: str = "",
               **where) -> Response:
        user = request.user
        if not areas.may_scan(user):
            return problem_response(403, "Uw rol geeft geen toegang tot gebiedsscans.",
                                    request)
        try:
            if polygon is not None:
                area = drawn.drawn_area(user, polygon, name)
            else:
                area = areas.resolve(user, **where)
        except areas.AreaError as refused:
            extra = {}
            if refused.status == 400:
                extra["invalidParams"] = [{"name": refused.field, "code": "invalid",
                                           "reason": refused.message}]
            return problem_response(refused.status, refused.message, request, **extra)
        token = request.auth
        personal = token is None or bool(PERSONAL_DATA_SCOPES.intersection(
            getattr(token, "scopes", ()) or ()))
        found = areascan.scan(user, area, purpose="gebiedsscan (API)",
                              allow_personal=personal)
        return Response(AreaScanSerializer(found).data)


class AreaScanView(_AreaScanBase):
    """The area scan of a municipality or wijk."""

    @extend_schema(tags=["Gebiedsscan"], summary="Gebiedsscan van een gemeente of wijk",
                   description=DESCRIPTION, parameters=[AREA],
                   responses={200: AreaScanSerializer})
    def get(self, request: Request) -> Response:
        return self.answer(request, area=request.query_params.get("area", ""))


class BufferScanView(_AreaScanBase):
    """The area scan of a circle around an address."""

    @extend_schema(tags=["Gebiedsscan"], summary="Gebiedsscan van een straal rond een adres",
                   description=DESCRIPTION, parameters=[ADDRESS, RADIUS],
                   responses={200: AreaScanSerializer})
    def get(self, request: Request) -> Response:
        query = request.query_params
        if not query.get("address", "").strip():
            return problem_response(400, "Geef een adres.", request, invalidParams=[
                {"name": "address", "code": "required", "reason": "Geef een adres."}])
        return self.answer(request, address=query.get("address", ""),
                           radius=query.get("radius"))


class PolygonScanRequestSerializer(StrictSerializer):
    polygon = serializers.JSONField(
        help_text="Het getekende gebied: een GeoJSON-geometrie van het type Polygon in "
        "WGS84 ([lengtegraad, breedtegraad]), gesloten ringen, zonder zelfdoorsnijding, "
        "binnen de gemeenten van uw organisatie; het aantal hoekpunten en de oppervlakte "
        "zijn begrensd (instellingen KNOOPPUNT_AREASCAN_MAX_VERTICES en "
        "KNOOPPUNT_AREASCAN_MAX_POLYGON_KM2).")
    name = serializers.CharField(required=False, allow_blank=True, max_length=80, default="",
                                 help_text="Een naam voor het gebied (optioneel).")


class PolygonScanView(_AreaScanBase):
    """The area scan of a polygon drawn on the map. Computes and stores nothing, so it
    is no write action (`knooppunt_actions = ()`) and needs the read scope."""

    knooppunt_actions = ()
    problem_codes = {"post": [400, 403, 404]}

    @extend_schema(tags=["Gebiedsscan"], summary="Gebiedsscan van een getekend gebied",
                   description=DESCRIPTION + " Een ongeldige veelhoek (leeg, te weinig "
                   "punten, niet gesloten, zelfdoorsnijdend, buiten Nederland, te groot of "
                   "buiten uw gemeenten) wordt geweigerd met de reden; er wordt niets "
                   "hersteld of bewaard.",
                   request=PolygonScanRequestSerializer,
                   responses={200: AreaScanSerializer})
    def post(self, request: Request) -> Response:
        params = PolygonScanRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self.answer(request, polygon=params.validated_data["polygon"],
                           name=params.validated_data.get("name", ""))
