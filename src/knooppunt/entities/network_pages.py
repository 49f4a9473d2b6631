"""The network pages of a case (`/casussen/<kenmerk>/netwerk/`) and of an entity
(`/entiteiten/<id>/netwerk/`): the browser view of decision 0049 on scoped data, with the
patterns of `analytics.networks` listed beside it.

The page hands `knooppunt/network.js` two URLs: the network itself and the expand URL,
which answers `?knoop=<id>` with that entity's neighbourhood as the user may see it
(`entities.networks`, need-to-know per node and edge), walked through the link types and
dates of the filter form. Each JSON read and each page with patterns is logged with the
node ids it shows. Partners and roles without access to entities get 404, the same as a
case or entity that does not exist.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from knooppunt.analytics.networks import (
    Network,
    crowded_addresses,
    frequent_movers,
    shared_officers,
    short_lived,
)
from knooppunt.api.problems import problem_http_response
from knooppunt.audit.log import Action, record
from knooppunt.cases.services import PURPOSE_CASE
from knooppunt.charts.network_svg import network_svg
from knooppunt.organisations import permissions, scope
from knooppunt.web.network_view import BadRequest, filters, network_config

from . import networks, pseudonyms, reading, shown
from .querysets import may_read_entities

# Small networks: three registrations at one address already say something in a case;
# the national default of the pattern (five) is for areas.
CROWDED_AT = 3
# Three addresses within three years: the demo's mover moves once a year, which the
# core's default window (two years) would not show until its fourth address.
MOVES_AT, MOVE_YEARS = 3, 3
PATTERN_DEPTH = 2
NOT_YOURS = ("Deze knoop bestaat niet of u mag hem niet zien. / This node does not exist "
             "or is not yours to see.")


def _refuse(user, what: str) -> None:
    reading.log_read(user, [], denied=True, detail=f"netwerk {what[:64]}")
    raise Http404(_("Er is geen netwerk dat u mag zien."))


def _case(user, reference: str):
    case = scope.cases_for(user).filter(reference=reference[:20]).first() \
        if may_read_entities(user) else None
    if case is None:
        _refuse(user, f"casus {reference}")
    return case


def _entity(user, entity_id: str, via_case=None) -> str:
    """The entity id behind `entity_id` the user may see: a pseudonym's token, or a real id
    where the user sees the entity by name (`pseudonyms.resolve`)."""
    found = pseudonyms.resolve(user, entity_id[:64], via_case=via_case) \
        if may_read_entities(user) else None
    if not found or not scope.entities_for(user).filter(pk=found).exists():
        _refuse(user, f"id {entity_id}")
    return found


def _via_case(request: HttpRequest):
    """The case named by `?casus=` when the user may open it (it may give names), else None."""
    reference = request.GET.get("casus", "")[:20]
    if not reference or not may_read_entities(request.user):
        return None
    return scope.cases_for(request.user).filter(reference=reference).first()


def _with_case(url: str, case) -> str:
    return f"{url}?{urlencode({'casus': case.reference})}" if case is not None else url


def patterns(network: Network) -> dict[str, list]:
    """The descriptive patterns of a network: nothing here scores a person."""
    return {"crowded": crowded_addresses(network, CROWDED_AT),
            "movers": frequent_movers(network, MOVES_AT, MOVE_YEARS),
            "short_lived": short_lived(network),
            "officers": shared_officers(network)}


def _page(request: HttpRequest, *, title: str, data_url: str, back_url: str,
          pattern_network: Network, detail: str, svg_url: str = "", via_case=None,
          real_ids: dict[str, str] | None = None) -> HttpResponse:
    """The page; the title names the case or entity, so its read is logged by the caller.
    `pattern_network` is as shown (`scope.shown_network`): ids may be pseudonyms' tokens,
    `real_ids` maps them back for the log."""
    found = patterns(pattern_network)
    shown = sorted({i for items in found.values() for p in items
                    for i in (getattr(p, "address", None), getattr(p, "company", None),
                              getattr(p, "officer", None)) if i})
    if shown:
        reading.log_read(request.user, sorted((real_ids or {}).get(i, i) for i in shown),
                         action=Action.LIST, detail=f"patronen {detail}")
    labels = {n.id: n.label for n in pattern_network.nodes}
    officers = [(p, [(c, labels.get(c, c)) for c in p.companies]) for p in found["officers"]]
    pseudonymised = any(n.attributes.get("pseudonymised") for n in pattern_network.nodes)
    return render(request, "entities/network.html", {
        "title": title, "back_url": back_url, "config": network_config(data_url, data_url),
        "patterns": found, "officers": officers, "svg_url": svg_url,
        "via": f"?{urlencode({'casus': via_case.reference})}" if via_case else "",
        "pseudonymised": pseudonymised})


def _shown_patterns(user, network: Network, via_case) -> dict:
    """The network as shown, and its shown ids mapped back to the real ones (the nodes keep
    their order through `pseudonyms.network`), for `_page`."""
    shown_network = scope.shown_network(user, network, via_case=via_case)
    return {"pattern_network": shown_network,
            "real_ids": {s.id: n.id for s, n in zip(shown_network.nodes, network.nodes,
                                                    strict=True)}}


def _answer(request: HttpRequest, network: Network, seeds: list[str], detail: str,
            via_case=None) -> HttpResponse:
    """The JSON of `network`, or of `?knoop=`'s neighbourhood; filtered; logged; names or
    pseudonyms by `scope.shown_network` (a node may be asked by its token)."""
    try:
        chosen = filters(request)
    except BadRequest as error:
        return problem_http_response(400, str(error), request)
    node = request.GET.get("knoop", "")
    if node:
        node = pseudonyms.resolve(request.user, node[:64], via_case=via_case) or ""
        network = networks.entity_network(request.user, node, chosen["depth"]) if node \
            else Network((), ())
        if not network.nodes:
            reading.log_read(request.user, [], denied=True, detail=f"netwerk id {node[:64]}")
            return problem_http_response(404, NOT_YOURS, request)
        seeds, detail = [node], f"netwerk van {node[:64]}"
    network = networks.filtered(network, seeds, chosen["depth"],
                                link_types=chosen["link_types"], start=chosen["start"],
                                end=chosen["end"])
    networks.log_network(request.user, network, detail=detail)
    return JsonResponse(scope.shown_network(request.user, network, via_case=via_case)
                        .to_json())


@login_required
@permissions.read_only
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request.user, reference)
    record(user=request.user, action=Action.VIEW, obj=case, purpose=PURPOSE_CASE,
           detail="netwerk van de casus")
    return _page(request, title=_("Netwerk van casus %(ref)s") % {"ref": case.reference},
                 data_url=reverse("cases:network_data", args=[case.reference]),
                 back_url=reverse("cases:detail", args=[case.reference]),
                 **_shown_patterns(request.user, networks.case_network(
                     request.user, case, PATTERN_DEPTH), case),
                 detail=f"casus {case.reference}",
                 svg_url=reverse("cases:network_svg", args=[case.reference]), via_case=case)


@login_required
@permissions.read_only
def case_data(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request.user, reference)
    return _answer(request, networks.case_network(request.user, case),
                   networks.case_entity_ids(request.user, case),
                   f"netwerk casus {case.reference}", via_case=case)


@login_required
@permissions.read_only
def case_svg(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's network as an SVG for a report or print (the reports have no case
    report to carry it): the same scoped network as the page opens with; logged."""
    case = _case(request.user, reference)
    record(user=request.user, action=Action.VIEW, obj=case, purpose=PURPOSE_CASE,
           detail="netwerk-svg van de casus")
    network = networks.case_network(request.user, case)
    networks.log_network(request.user, network, detail=f"netwerk-svg casus {case.reference}")
    title = _("Netwerk van casus %(ref)s") % {"ref": case.reference}
    return _svg(scope.shown_network(request.user, network, via_case=case), title,
                f"{case.reference}-netwerk.svg")


def _svg(network: Network, title: str, filename: str) -> HttpResponse:
    """The SVG of a network as shown (names or pseudonyms decided by the caller's scope)."""
    svg = network_svg(network, title=title, description=_(
        "Personen, bedrijven, adressen en voertuigen en hun verbanden, zoals u ze mag zien."))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@permissions.read_only
def entity_page(request: HttpRequest, entity_id: str) -> HttpResponse:
    asked = entity_id
    via_case = _via_case(request)
    entity_id = _entity(request.user, entity_id, via_case)
    network = networks.entity_network(request.user, entity_id, PATTERN_DEPTH)
    reading.log_read(request.user, [entity_id], detail="netwerk van de entiteit")
    shown_parts = _shown_patterns(request.user, network, via_case)
    network = shown_parts["pattern_network"]
    shown_id = shown.shown_id(request.user, entity_id, [n.id for n in network.nodes])
    if shown_id != asked:  # asked by real id, shown as a pseudonym: the URL carries the token
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse("entities:network", args=[shown_id]) + query)
    label = next((n.label for n in network.nodes if n.id == shown_id), asked)
    return _page(request, title=_("Netwerk van %(label)s") % {"label": label},
                 data_url=_with_case(reverse("entities:network_data", args=[shown_id]),
                                     via_case),
                 back_url=_with_case(reverse("entities:detail", args=[shown_id]), via_case),
                 svg_url=_with_case(reverse("entities:network_svg", args=[shown_id]),
                                    via_case),
                 detail=f"entiteit {entity_id}", via_case=via_case, **shown_parts)


@login_required
@permissions.read_only
def entity_data(request: HttpRequest, entity_id: str) -> HttpResponse:
    via_case = _via_case(request)
    entity_id = _entity(request.user, entity_id, via_case)
    return _answer(request, networks.entity_network(request.user, entity_id), [entity_id],
                   f"netwerk van {entity_id}", via_case=via_case)


@login_required
@permissions.read_only
def entity_svg(request: HttpRequest, entity_id: str) -> HttpResponse:
    """An entity's network as SVG: names or pseudonyms as on its page; logged."""
    via_case = _via_case(request)
    entity_id = _entity(request.user, entity_id, via_case)
    network = networks.entity_network(request.user, entity_id)
    networks.log_network(request.user, network, detail=f"netwerk-svg van {entity_id}")
    shown_network = scope.shown_network(request.user, network, via_case=via_case)
    shown_id = shown.shown_id(request.user, entity_id, [n.id for n in shown_network.nodes])
    label = next((n.label for n in shown_network.nodes if n.id == shown_id), shown_id)
    return _svg(shown_network, _("Netwerk van %(label)s") % {"label": label},
                f"{shown_id}-netwerk.svg")
