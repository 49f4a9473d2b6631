"""/api/v1/matches: the review queue of candidate matches, and confirm/reject/undo.

Scoped by `scope.matches_for` (rules in `matches.querysets`): only analysts and
coordinators, only candidates whose two entities they may both see. Every list, detail
and decision writes the processing log. A decision needs a reason; a refusal is
problem+json (400 no or bad reason, 409 a decision that does not fit the state) and
stores nothing.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
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
from knooppunt.entities.api.views import _check_params, _invalid
from knooppunt.organisations import scope

from .. import presenting, reviewing
from ..models import State, Verdict
from ..querysets import may_review_matches
from . import serializers as out

TAG = "Koppelingen"
NOT_FOUND = ("Er is geen kandidaat-koppeling met dit nummer die u mag zien. / There is no "
             "candidate match with this number that you may see.")
ID_PARAM = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                            description="Nummer van de kandidaat-koppeling.")


class MatchSchema(ApiAutoSchema):
    problem_descriptions = {
        403: "Alleen analisten en coördinatoren van een organisatie die entiteiten mag zien "
             "beoordelen koppelingen (partners en bestuurders niet)."}


class ReviewsMatches(permissions.BasePermission):
    message = ("Uw rol of organisatie geeft geen toegang tot kandidaat-koppelingen. / Your "
               "role or organisation gives no access to candidate matches.")

    def has_permission(self, request, view) -> bool:
        return may_review_matches(request.user)


class MatchApiView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    schema = MatchSchema()
    permission_classes = [permissions.IsAuthenticated, ReviewsMatches]
    write_actions: dict[str, str] = {}

    def permission_denied(self, request: Request, message=None, code=None) -> None:
        if request.user and request.user.is_authenticated:
            reviewing.log_read(request.user, [], channel="api", denied=True,
                               detail="rol of organisatie zonder toegang tot koppelingen")
        super().permission_denied(request, message=message, code=code)

    def found(self, request: Request, id: int):
        match = scope.matches_for(request.user).select_related("run").filter(pk=id).first()
        if match is None:
            reviewing.log_read(request.user, [], channel="api", denied=True,
                               detail=f"koppeling {id}")
            raise exceptions.NotFound(NOT_FOUND)
        return match


class MatchListView(MatchApiView):
    problem_codes = {"get": [400, 404]}

    @extend_schema(tags=[TAG], operation_id="matches_list",
                   summary="Kandidaat-koppelingen tussen personen",
                   description="Voorgestelde koppelingen waarvan u beide personen mag zien, "
                   "de waarschijnlijkste eerst; filter op stand. Nooit een samenvoeging.",
                   parameters=[OpenApiParameter("state", OpenApiTypes.STR,
                                                enum=State.values,
                                                description="open, confirmed of rejected.")],
                   responses=out.MatchPage)
    def get(self, request: Request) -> Response:
        params = request.query_params
        _check_params(params, {"state": re.compile("|".join(State.values))})
        queryset = scope.matches_for(request.user)
        if "state" in params:
            queryset = queryset.filter(state=params["state"])
        paginator = ApiPagination()
        page = paginator.paginate_queryset(queryset.order_by("-match_probability", "pk"),
                                           request, view=self)
        views = presenting.views_of(request.user, page)
        reviewing.log_shown(request.user, views, action=Action.LIST, channel="api",
                            detail=params.urlencode()[:200])
        return paginator.get_paginated_response([v.as_api() for v in views])


class MatchDetailView(MatchApiView):
    @extend_schema(tags=[TAG], operation_id="matches_retrieve",
                   summary="Eén kandidaat-koppeling met de uitleg per veld",
                   description="Beide personen zoals u ze nu mag zien, de uitleg per veld "
                   "(waarden zoals bij het scoren), de run en de besluiten.",
                   parameters=[ID_PARAM], responses=out.MatchDetailSerializer)
    def get(self, request: Request, id: int) -> Response:
        match = self.found(request, id)
        view = presenting.views_of(request.user, [match], with_decisions=True)[0]
        reviewing.log_shown(request.user, [view], channel="api")
        return Response(view.as_api(detail=True))


def _decision_view(verdict: str, summary: str, description: str) -> type[MatchApiView]:
    class DecisionView(MatchApiView):
        problem_codes = {"post": [409]}
        write_actions = {"post": "match.review"}

        @extend_schema(tags=[TAG], operation_id=f"matches_{verdict}", summary=summary,
                       description=description + " Een reden is verplicht; zonder reden "
                       "wordt niets vastgelegd.", parameters=[ID_PARAM],
                       request=out.DecisionRequest, responses=out.MatchDetailSerializer)
        def post(self, request: Request, id: int) -> Response:
            match = self.found(request, id)
            data = request.data
            if not isinstance(data, dict) or set(data) - {"reason"}:
                raise _invalid("reason", "Stuur {\"reason\": \"...\"}. / Send "
                               "{\"reason\": \"...\"}.")
            try:
                reviewing.decide(request.user, match, verdict, data.get("reason"),
                                 channel="api")
            except DjangoPermissionDenied as error:
                raise exceptions.PermissionDenied(str(error)) from error
            except reviewing.ReviewRefused as refused:
                if refused.code == "state":
                    return problem_response(409, str(refused), request)
                raise _invalid(refused.field, str(refused), refused.code) from refused
            view = presenting.views_of(request.user, [self.found(request, id)],
                                       with_decisions=True)[0]
            reviewing.log_shown(request.user, [view], channel="api")
            return Response(view.as_api(detail=True))

    DecisionView.__name__ = DecisionView.__qualname__ = f"Match{verdict.title()}View"
    return DecisionView


MatchConfirmView = _decision_view(
    Verdict.CONFIRM, "Kandidaat-koppeling bevestigen",
    "Bevestig dat beide records dezelfde persoon zijn (alleen vanuit open).")
MatchRejectView = _decision_view(
    Verdict.REJECT, "Kandidaat-koppeling afwijzen",
    "Wijs af: het zijn verschillende personen (alleen vanuit open); wordt niet opnieuw "
    "voorgesteld.")
MatchUndoView = _decision_view(
    Verdict.UNDO, "Besluit over een koppeling terugdraaien",
    "Een nieuw besluit dat het vorige terugdraait: de koppeling is weer open.")
