"""/api/v1/networks: the network of a case, an area or around an entity, expanded step by
step.

`?case=<reference>` gives the case's entities and their links, `?area=<GM or WK code>` the
entities at the addresses of a municipality or wijk of the caller's organisations
(`entities.area_networks`, decision 0055: 403 outside them, 404 for an unknown code),
`?entity=<id>` one entity's neighbourhood (expanding a node is asking for that node with
`depth=1`); `depth` (1-3),
`linkTypes` (comma-separated FtM link schemata), `start` and `end` (a date window) narrow
the walk. Need-to-know applies to every node and edge (`entities.networks`); a node's
`hiddenCount` counts only links the caller reads but whose far end they may not see. Every
read is logged with the node ids shown; bad input is 400 problem+json.
"""

from __future__ import annotations

import datetime as dt
import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from knooppunt.analytics import areas
from knooppunt.analytics.networks import LINK_TYPES, NODE_SCHEMATA, Network
from knooppunt.organisations import scope

from .. import area_networks, networks, pseudonyms
from ..network import MAX_DEPTH
from .views import (
    ENTITY_ID,
    NOT_FOUND,
    REFERENCE,
    TAG,
    EntityApiView,
    _case,
    _check_params,
    _invalid,
    reading,
)

LINK_LIST = re.compile(rf"(?:{'|'.join(LINK_TYPES)})(?:,(?:{'|'.join(LINK_TYPES)}))*")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
DEPTH = re.compile(rf"[1-{MAX_DEPTH}]")
AREA = re.compile(r"(?:GM|gm)\d{4}|(?:WK|wk)\d{6}")
SEEDS = ("case", "area", "entity")


class ProvenanceOut(serializers.Serializer):
    organisation = serializers.CharField(help_text="Organisatie of register dat het feit "
                                         "aanleverde.")
    date = serializers.DateField(allow_null=True, help_text="Eerst gezien.")
    origin = serializers.CharField(help_text="Soort en id van de herkomst, bijv. 'case 12'.")


class NodeOut(serializers.Serializer):
    id = serializers.CharField(help_text="FtM-id van de entiteit.")
    # Text, not an enum: the entities list has a "schema" enum of its own (with Position).
    schema = serializers.CharField(help_text="FtM-schema: " + ", ".join(NODE_SCHEMATA) + ".")
    label = serializers.CharField(help_text="Naam of omschrijving.")
    hidden = serializers.BooleanField(help_text="Altijd false: afgeschermde knopen worden "
                                      "alleen geteld.")
    attributes = serializers.DictField(help_text="Extra eigenschappen; `pseudonymised: true` "
                                       "bij een pseudoniem (id psn-..., label 'Persoon P-...').")
    hiddenCount = serializers.IntegerField(  # noqa: N815 - the JSON's name
        help_text="Verbanden die u ziet naar een knoop die u niet mag zien.")


class EdgeOut(serializers.Serializer):
    id = serializers.CharField(help_text="Id van de relatie.")
    source = serializers.CharField(help_text="Id van de bron (bestuurder, eigenaar, ...).")
    target = serializers.CharField(help_text="Id van het doel (bedrijf, bezit, adres, ...).")
    linkType = serializers.ChoiceField(choices=list(LINK_TYPES),  # noqa: N815
                                       help_text="Soort relatie (FtM-schema).")
    role = serializers.CharField(help_text="Rol of eigenschap, bijv. addressEntity.")
    start = serializers.DateField(allow_null=True, help_text="Van kracht vanaf.")
    end = serializers.DateField(allow_null=True, help_text="Van kracht tot en met.")
    provenance = ProvenanceOut(many=True, help_text="Wie leverde de relatie aan, en wanneer.")


class NetworkOut(serializers.Serializer):
    nodes = NodeOut(many=True, help_text="Personen, bedrijven, adressen en voertuigen.")
    edges = EdgeOut(many=True, help_text="Relaties waarvan u beide uiteinden mag zien.")


def _day(params, name: str) -> dt.date | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _invalid(name, "Geen bestaande datum (JJJJ-MM-DD). / Not an existing date "
                       "(YYYY-MM-DD).") from None


class NetworkView(EntityApiView):
    problem_codes = {"get": [400, 403, 404]}  # bad parameter; area not yours; not seen

    @extend_schema(
        tags=[TAG], operation_id="networks_retrieve",
        summary="Netwerk van een casus, een gebied of rond een entiteit",
        description="Geef `case` (de entiteiten van een casus en hun relaties), `entity` "
        "(de omgeving van één entiteit; uitbreiden is dezelfde vraag voor de aangeklikte "
        "knoop), beide (uitbreiden vanuit een casus), of alleen `area` (de entiteiten op de "
        "adressen van een gemeente of wijk van uw organisatie, twee stappen ver). Alleen "
        "knopen en relaties die u mag zien; `hiddenCount` telt relaties die u ziet naar iets "
        "dat u niet mag zien. Namen krijgt u alleen via een casus waaraan uw organisatie "
        "deelneemt, binnen drie stappen van de casus; elders (ook in een gebied) pseudoniemen "
        "(`attributes.pseudonymised: true`, id `psn-...`). Elke vraag komt in het "
        "verwerkingslogboek.",
        parameters=[
            OpenApiParameter("case", OpenApiTypes.STR, pattern=r"^[A-Za-z0-9-]{1,20}$",
                             description="Kenmerk van een casus die u mag openen."),
            OpenApiParameter("area", OpenApiTypes.STR, pattern=r"^(GM\d{4}|WK\d{6})$",
                             description="Gemeente- of wijkcode (GM0153, WK015301) van een "
                             "gebied van uw organisatie; niet samen met case of entity."),
            OpenApiParameter("entity", OpenApiTypes.STR, description="Id van een entiteit, of "
                             "het pseudoniem-id (psn-...) dat u kreeg."),
            OpenApiParameter("depth", OpenApiTypes.INT, enum=list(range(1, MAX_DEPTH + 1)),
                             description="Aantal stappen vanaf de casus of entiteit (1)."),
            OpenApiParameter("linkTypes", OpenApiTypes.STR,
                             description="Soorten relaties, kommagescheiden: "
                             + ", ".join(LINK_TYPES) + "."),
            OpenApiParameter("start", OpenApiTypes.DATE, description="Relaties van kracht "
                             "op of na deze dag."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Relaties van kracht op "
                             "of voor deze dag."),
        ],
        responses=NetworkOut)
    def get(self, request: Request) -> Response:
        params = request.query_params
        _check_params(params, {"case": REFERENCE, "area": AREA, "entity": ENTITY_ID,
                               "depth": DEPTH, "linkTypes": LINK_LIST, "start": DAY,
                               "end": DAY})
        # An area alone, or a case and/or an entity (expanding inside a case's network).
        if "area" in params and ("case" in params or "entity" in params):
            raise _invalid("area", "Geef area alleen, niet samen met case of entity: een "
                           "gebied geeft geen casus. / Give area alone, not with case or "
                           "entity: an area is not a case.")
        if ("area" in params) == ("case" in params or "entity" in params):
            raise _invalid("case", "Geef area, of case en/of entity. / Give area, or case "
                           "and/or entity.", "required")
        start, end = _day(params, "start"), _day(params, "end")
        if start and end and end < start:
            raise _invalid("end", "end ligt voor start. / end is before start.")
        depth = int(params.get("depth", "2" if "area" in params else "1"))
        kinds = set(params["linkTypes"].split(",")) if "linkTypes" in params else None
        user = request.user
        case = _case(user, params["case"]) if "case" in params else None
        if "area" in params:
            area = _area(user, params["area"])
            found_area = area_networks.area_network(user, area, depth)
            seeds, found = list(found_area.seeds), found_area.network
            detail = f"netwerk gebied {area.code}"
        elif "entity" not in params:
            seeds = networks.case_entity_ids(user, case)
            found = networks.case_network(user, case, depth)
            detail = f"netwerk casus {case.reference}"
        else:
            entity_id = pseudonyms.resolve(user, params["entity"], via_case=case) or ""
            found = networks.entity_network(user, entity_id, depth) if entity_id \
                else Network((), ())
            if not found.nodes:
                reading.log_read(user, [], channel="api", denied=True,
                                 detail=f"netwerk id {params['entity'][:64]}")
                raise exceptions.NotFound(NOT_FOUND)
            seeds, detail = [entity_id], f"netwerk van {entity_id}"
        found = networks.filtered(found, seeds, depth, link_types=kinds, start=start, end=end)
        networks.log_network(user, found, detail=f"{detail} {params.urlencode()}"[:200],
                             channel="api")
        # Names within a case the caller works on, pseudonyms elsewhere (decision 0054).
        return Response(scope.shown_network(user, found, via_case=case).to_json())


def _area(user, code: str) -> areas.ScanArea:
    """The area, or 404 (no such code) / 403 (not the caller's municipalities)."""
    try:
        return areas.resolve(user, area=code)
    except areas.AreaError as error:
        reading.log_read(user, [], channel="api", denied=True, detail=f"netwerk gebied {code}")
        if error.status == 404:
            raise exceptions.NotFound(error.message) from None
        if error.status == 403:
            raise exceptions.PermissionDenied(error.message) from None
        raise _invalid("area", error.message) from None
