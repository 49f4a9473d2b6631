"""/api/v1/entities and /api/v1/links: entities and links the caller may see, the FtM
export of a case and the import of an FtM file into a case.

Scoped by `scope.entities_for` / `scope.current_statements_for` (rules in
`entities.querysets`); every list, detail and export writes the processing log, a refusal
too. An import is all or nothing: any problem gives 400 problem+json naming each line,
and nothing is stored.
"""

from __future__ import annotations

import json
import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.pagination import ApiPagination
from knooppunt.api.problems import problem_response
from knooppunt.api.schema import ApiAutoSchema
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.audit.log import Action
from knooppunt.organisations import scope

from .. import ftm, ftm_io, need_to_know, pseudonyms, reading, shown
from ..querysets import may_read_entities
from . import serializers as out

TAG = "Entiteiten en relaties"
NOT_FOUND = "Er is geen entiteit met dit id die u mag zien."
CASE_NOT_FOUND = "Er is geen casus met dit kenmerk die u mag zien."
REFERENCE = re.compile(r"[A-Za-z0-9-]{1,20}")
NAME = re.compile(r".{1,100}", re.S)
ENTITY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


class EntitySchema(ApiAutoSchema):
    problem_descriptions = {
        403: "De gebruiker achter de sleutel heeft geen rol of organisatie die entiteiten "
             "mag zien (partners en bestuurders zien ze niet)."}


class ReadsEntities(permissions.BasePermission):
    message = ("Uw rol of organisatie geeft geen toegang tot personen, bedrijven en hun "
               "relaties.")

    def has_permission(self, request, view) -> bool:
        return may_read_entities(request.user)


def _invalid(name: str, message: str, code: str = "invalid") -> exceptions.ValidationError:
    return exceptions.ValidationError({name: [exceptions.ErrorDetail(message, code)]})


def _check_params(params: QueryDict, allowed: dict[str, re.Pattern]) -> None:
    names = set(allowed) | {"page", "pageSize"}
    unknown = sorted(set(params) - names)
    if unknown:
        raise _invalid(unknown[0][:60], "Onbekende parameter; bekend zijn: "
                       + ", ".join(sorted(names)) + ".", "unknown_parameter")
    for name, pattern in allowed.items():
        value = params.get(name)
        if value is not None and not pattern.fullmatch(value):
            raise _invalid(name, "Ongeldige waarde.")


class EntityApiView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    schema = EntitySchema()
    permission_classes = [permissions.IsAuthenticated, ReadsEntities]
    write_actions: dict[str, str] = {}

    def permission_denied(self, request: Request, message=None, code=None) -> None:
        if request.user and request.user.is_authenticated:
            reading.log_read(request.user, [], channel="api", denied=True,
                             detail="rol of organisatie zonder toegang tot entiteiten")
        super().permission_denied(request, message=message, code=code)

    def _page(self, request: Request, queryset: QuerySet, detail: str, via_case=None
              ) -> Response:
        paginator = ApiPagination()
        # Paged in the order of the user's pseudonyms, not of the ids: rank by id would
        # leak KvK / BAG order beside a pseudonym (review finding M4). The whole scoped
        # list is ordered, so paging stays stable; one HMAC per entity, the same cost as
        # `pseudonyms.resolve` (decision 0054).
        organisation_id = need_to_know.pseudonym_organisation(request.user)
        ids = sorted(queryset.order_by().values_list("pk", flat=True),
                     key=lambda pk: pseudonyms.token(organisation_id, pk))
        page_ids = paginator.paginate_queryset(ids, request, view=self)
        found = {e.pk: e for e in queryset.filter(pk__in=page_ids)}
        views = reading.views_of(request.user, [found[pk] for pk in page_ids])
        reading.log_read(request.user, [v.id for v in views], action=Action.LIST,
                         channel="api", detail=detail)
        # Names only where the need-to-know rule allows (decision 0054); a link's ends too.
        ids = {v.id for v in views} | {end for v in views for end in v.ends if end}
        real = need_to_know.real_ids(request.user, ids, via_case=via_case)
        shown.log_switch(request.user, real & {v.id for v in views}, via_case, "api")
        return paginator.get_paginated_response(
            [shown.entity_view(request.user, v, real=real).as_api() for v in views])


SCHEMA_PARAM = OpenApiParameter("schema", OpenApiTypes.STR, enum=sorted(ftm.NODE_SCHEMATA),
                                description="FtM-schema, bijv. Person of Company.")
NAME_PARAM = OpenApiParameter("name", OpenApiTypes.STR, description="Deel van de naam.")
CASE_PARAM = OpenApiParameter("case", OpenApiTypes.STR, pattern=r"^[A-Za-z0-9-]{1,20}$",
                              description="Kenmerk van een casus die u mag zien.")
VIA_CASE_PARAM = OpenApiParameter(
    "case", OpenApiTypes.STR, pattern=r"^[A-Za-z0-9-]{1,20}$",
    description="Kenmerk van een casus waaraan uw organisatie deelneemt: entiteiten binnen "
    "drie stappen van de casus krijgt u met naam (need-to-know, vastgelegd in het "
    "verwerkingslogboek). Zonder casus: pseudoniemen (`pseudonymised: true`).")


def _via_case(user, params):
    """The case named by `case=` (404 when the user may not open it), or None."""
    if "case" not in params:
        return None
    return _case(user, params["case"])


def _resolve(user, value: str, via_case=None) -> str:
    """A token (psn-...) as the entity id it stands for; 404 when it stands for none, and
    for a real id of an entity the user sees as a pseudonym (`pseudonyms.resolve`)."""
    found = pseudonyms.resolve(user, value, via_case=via_case)
    if found is None:
        reading.log_read(user, [], channel="api", denied=True, detail=f"id {value[:64]}")
        raise exceptions.NotFound(NOT_FOUND)
    return found


class EntityListView(EntityApiView):
    problem_codes = {"get": [400, 404]}  # a bad filter; a page past the end

    @extend_schema(tags=[TAG], operation_id="entities_list",
                   summary="Personen, bedrijven, adressen en voertuigen",
                   description="De entiteiten waarvan u minstens één feit mag zien, met de "
                   "eigenschappen die u mag zien; filter op schema en naam.",
                   parameters=[SCHEMA_PARAM, NAME_PARAM, VIA_CASE_PARAM],
                   responses=out.EntityPage)
    def get(self, request: Request) -> Response:
        params = request.query_params
        _check_params(params, {"schema": re.compile("|".join(ftm.NODE_SCHEMATA)),
                               "name": NAME, "case": REFERENCE})
        via_case = _via_case(request.user, params)
        queryset = scope.entities_for(request.user).filter(schema__in=ftm.NODE_SCHEMATA)
        if "schema" in params:
            queryset = queryset.filter(schema=params["schema"])
        if "name" in params:
            named = scope.current_statements_for(request.user).filter(
                prop__in=("name", "full"), value__icontains=params["name"])
            # A name finds only what the user sees by name: otherwise the answer would tie a
            # pseudonym to the name asked for.
            ids = set(named.values_list("entity_id", flat=True))
            queryset = queryset.filter(pk__in=need_to_know.real_ids(
                request.user, ids, via_case=via_case))
        return self._page(request, queryset, params.urlencode()[:200], via_case)


class EntityDetailView(EntityApiView):
    problem_codes = {"get": [400, 404]}  # a malformed case; an entity not seen

    @extend_schema(tags=[TAG], operation_id="entities_retrieve",
                   summary="Eén entiteit met alle feiten en hun herkomst",
                   description="404 als de entiteit niet bestaat of als u er niets van mag zien.",
                   parameters=[OpenApiParameter("id", OpenApiTypes.STR, OpenApiParameter.PATH,
                                                description="FtM-id van de entiteit, of het "
                                                "pseudoniem-id (psn-...) dat u kreeg."),
                               VIA_CASE_PARAM],
                   responses=out.EntityDetailSerializer)
    def get(self, request: Request, id: str) -> Response:
        params = request.query_params
        _check_params(params, {"case": REFERENCE})
        via_case = _via_case(request.user, params)
        entity_id = _resolve(request.user, id, via_case) if ENTITY_ID.fullmatch(id) else None
        found = reading.detail(request.user, entity_id) if entity_id else None
        if found is None:
            reading.log_read(request.user, [], channel="api", denied=True,
                             detail=f"id {id[:64]}")
            raise exceptions.NotFound(NOT_FOUND)
        reading.log_read(request.user, [found.id], channel="api")
        refs = {v for s in found.statements for v in (s.value,)} | {found.id}
        real = need_to_know.real_ids(request.user, refs, via_case=via_case)
        shown.log_switch(request.user, real & {found.id}, via_case, "api")
        return Response(shown.entity_view(request.user, found, real=real)
                        .as_api(with_statements=True))


class LinkListView(EntityApiView):
    problem_codes = {"get": [400, 404]}

    @extend_schema(tags=[TAG], operation_id="links_list",
                   summary="Relaties (bestuurder, eigendom, familie, ...)",
                   description="Relaties die u mag zien, waarvan u beide uiteinden mag zien; "
                   "filter op soort en op een entiteit aan één van de uiteinden.",
                   parameters=[OpenApiParameter("schema", OpenApiTypes.STR,
                                                enum=sorted(ftm.EDGE_SCHEMATA),
                                                description="Soort relatie (FtM-schema)."),
                               OpenApiParameter("entity", OpenApiTypes.STR,
                                                description="Id (of pseudoniem-id) van een "
                                                "entiteit aan een uiteinde."),
                               VIA_CASE_PARAM],
                   responses=out.LinkPage)
    def get(self, request: Request) -> Response:
        params = request.query_params
        _check_params(params, {"schema": re.compile("|".join(ftm.EDGE_SCHEMATA)),
                               "entity": ENTITY_ID, "case": REFERENCE})
        user = request.user
        via_case = _via_case(user, params)
        if "entity" in params:
            params = params.copy()
            params["entity"] = _resolve(user, params["entity"], via_case)
        visible = scope.entities_for(user)
        queryset = visible.filter(schema__in=ftm.EDGE_SCHEMATA)
        if "schema" in params:
            queryset = queryset.filter(schema=params["schema"])
        ends = sorted({p for s in ftm.EDGE_SCHEMATA for p in ftm.edge_ends(s)})
        ends_stmts = scope.current_statements_for(user).filter(prop__in=ends)
        if "entity" in params:
            queryset = queryset.filter(pk__in=ends_stmts.filter(value=params["entity"])
                                       .values("entity_id"))
        # A link is shown only when the user may see both of its ends.
        hidden_end = ends_stmts.exclude(value__in=visible.values("pk")).values("entity_id")
        queryset = queryset.exclude(pk__in=hidden_end)
        return self._page(request, queryset, params.urlencode()[:200], via_case)


def _case(user, reference: str | None):
    if not reference or not REFERENCE.fullmatch(reference):
        raise _invalid("case", "Geef het kenmerk van de casus (case). / Give the case "
                       "reference (case).", "required")
    case = scope.cases_for(user).filter(reference=reference).first()
    if case is None:
        raise exceptions.NotFound(CASE_NOT_FOUND)
    return case


class EntityExportView(EntityApiView):
    # no case given; a case one's organisation does not take part in; a case not seen
    problem_codes = {"get": [400, 403, 404]}

    @extend_schema(tags=[TAG], operation_id="entities_export",
                   summary="FtM-export van een casus",
                   description="De entiteiten en relaties van een casus die u mag zien, als "
                   "FollowTheMoney JSON lines (één entiteit per regel, gesorteerd op id). "
                   "403 als uw organisatie niet aan de casus deelneemt (dan ziet u "
                   "pseudoniemen).",
                   parameters=[OpenApiParameter("case", OpenApiTypes.STR, required=True,
                                                pattern=r"^[A-Za-z0-9-]{1,20}$",
                                                description="Kenmerk van de casus.")],
                   responses={(200, "application/x-ndjson"): OpenApiResponse(
                       OpenApiTypes.STR, description="FtM JSON lines.")})
    def get(self, request: Request) -> HttpResponse:
        _check_params(request.query_params, {"case": REFERENCE})
        case = _case(request.user, request.query_params.get("case"))
        try:
            text = ftm_io.export_case(request.user, case)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        response = HttpResponse(text, content_type="application/x-ndjson; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{case.reference}.ftm.json"'
        return response


class EntityImportView(EntityApiView):
    problem_codes = {"post": [404]}  # a case the user may not open

    write_actions = {"post": "entity.import"}

    @extend_schema(tags=[TAG], operation_id="entities_import",
                   summary="FtM-bestand in een casus importeren",
                   description="Alles of niets: bij één fout (ongeldige JSON, onbekend schema of "
                   "eigenschap, een relatie naar een entiteit die u niet mag zien, een KvK-nummer "
                   "zonder 8 cijfers, een BSN dat de elfproef niet doorstaat, een geboortedatum "
                   "in de toekomst) wordt niets opgeslagen en noemt `invalidParams` elke regel. "
                   "Dezelfde ids met dezelfde feiten veranderen niets.",
                   request=out.ImportRequest, responses={200: out.ImportResult})
    def post(self, request: Request) -> Response:
        data = request.data
        if not isinstance(data, dict) or not isinstance(data.get("entities"), list) \
                or set(data) - {"case", "entities"}:
            raise _invalid("entities", "Stuur {\"case\": kenmerk, \"entities\": [FtM-"
                           "entiteiten]}. / Send {\"case\": reference, \"entities\": "
                           "[FtM entities]}.")
        case = _case(request.user, data.get("case") if isinstance(data.get("case"), str)
                     else None)
        text = "\n".join(json.dumps(item, ensure_ascii=False) for item in data["entities"])
        try:
            count, added = ftm_io.import_case(request.user, case, text)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except ftm_io.FtmRefused as refused:
            return problem_response(
                400, " / ".join(ftm_io.REFUSED), request,
                invalidParams=[{"name": f"entities[{p.line - 1}].{p.name}"[:80],
                                "code": "invalid", "reason": p.reason}
                               for p in refused.problems[:200]])
        return Response({"entities": count, "newStatements": added})



