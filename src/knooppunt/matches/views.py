"""The review queue (/koppelingen/), one candidate with its decisions, and the decision form.

Only analysts and coordinators who may see both sides see a candidate (`scope.matches_for`);
anyone else gets 403 on the queue and 404 on a candidate, the same as one that does not
exist. Every page logs the candidates and the entities it shows; a decision without a
reason is refused with the form kept, nothing stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knooppunt.audit.log import Action
from knooppunt.organisations import permissions, scope

from . import presenting, reviewing
from .models import State, Verdict
from .querysets import may_review_matches

PAGE_SIZE = 20
STATES = {"open": State.OPEN, "bevestigd": State.CONFIRMED, "afgewezen": State.REJECTED}


def _require_reviewer(user) -> None:
    if not may_review_matches(user):
        reviewing.log_read(user, [], denied=True, detail="koppelingen zonder toegang")
        raise PermissionDenied(_("Alleen analisten en coördinatoren beoordelen koppelingen."))


def _found(user, match_id: int):
    match = scope.matches_for(user).select_related("run").filter(pk=match_id).first()
    if match is None:
        reviewing.log_read(user, [], denied=True, detail=f"koppeling {match_id}")
        raise Http404(_("Er is geen kandidaat-koppeling met dit nummer die u mag zien."))
    return match


@login_required
@permissions.read_only
def queue(request: HttpRequest) -> HttpResponse:
    """Candidates of one state, most probable first, each with both sides and the waterfall."""
    user = request.user
    _require_reviewer(user)
    chosen = request.GET.get("stand", "open")
    state = STATES.get(chosen, State.OPEN)
    matches = scope.matches_for(user).filter(state=state).select_related("run").order_by(
        "-match_probability", "pk")
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("pagina"))
    views = presenting.views_of(user, list(page.object_list))
    reviewing.log_shown(user, views, action=Action.LIST, detail=f"wachtrij {state}")
    return render(request, "matches/queue.html", {
        "views": views, "page": page, "chosen": chosen if chosen in STATES else "open",
        "states": STATES, "max_reason": reviewing.MAX_REASON})


@login_required
@permissions.read_only
def detail(request: HttpRequest, match_id: int) -> HttpResponse:
    user = request.user
    _require_reviewer(user)
    view = presenting.views_of(user, [_found(user, match_id)], with_decisions=True)[0]
    reviewing.log_shown(user, [view])
    return render(request, "matches/detail.html", {"view": view,
                                                   "max_reason": reviewing.MAX_REASON})


@login_required
@require_POST
@permissions.guards(permissions.Action.MATCH_REVIEW)
def decide(request: HttpRequest, match_id: int) -> HttpResponse:
    """Confirm, reject or undo with a reason; back to where the form was."""
    user = request.user
    _require_reviewer(user)
    match = _found(user, match_id)
    verdict = request.POST.get("besluit", "")
    if verdict not in Verdict.values:
        verdict = ""
    try:
        reviewing.decide(user, match, verdict, request.POST.get("reden", ""))
    except reviewing.ReviewRefused as refused:
        view = presenting.views_of(user, [match], with_decisions=True)[0]
        reviewing.log_shown(user, [view])
        return render(request, "matches/detail.html", {
            "view": view, "max_reason": reviewing.MAX_REASON, "error": str(refused),
            "reason": request.POST.get("reden", "")[:reviewing.MAX_REASON]}, status=400)
    messages.success(request, {
        Verdict.CONFIRM: _("De koppeling is bevestigd."),
        Verdict.REJECT: _("De koppeling is afgewezen."),
        Verdict.UNDO: _("Het besluit is teruggedraaid.")}[verdict])
    if request.POST.get("terug") == "detail":
        return redirect("matches:detail", match_id=match.pk)
    return redirect("matches:queue")
