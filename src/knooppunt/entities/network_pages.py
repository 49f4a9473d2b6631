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

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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

from . import networks, reading
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


def _entity(user, entity_id: str) -> str:
    if not may_read_entities(user) or not scope.entities_for(user).filter(pk=entity_id[:64]) \
            .exists():
        _refuse(user, f"id {entity_id}")
    return entity_id


def patterns(network: Network) -> dict[str, list]:
    """The descriptive patterns of a network: nothing here scores a person."""
    return {"crowded": crowded_addresses(network, CROWDED_AT),
            "movers": frequent_movers(network, MOVES_AT, MOVE_YEARS),
            "short_lived": short_lived(network),
            "officers": shared_officers(network)}


def _page(request: HttpRequest, *, title: str, data_url: str, back_url: str,
          pattern_network: Network, detail: str, svg_url: str = "") -> HttpResponse:
    """The page; the title names the case or entity, so its read is logged by the caller."""
    found = patterns(pattern_network)
    shown = sorted({i for items in found.values() for p in items
                    for i in (getattr(p, "address", None), getattr(p, "company", None),
                              getattr(p, "officer", None)) if i})
    if shown:
        reading.log_read(request.user, shown, action=Action.LIST, detail=f"patronen {detail}")
    labels = {n.id: n.label for n in pattern_network.nodes}
    officers = [(p, [(c, labels.get(c, c)) for c in p.companies]) for p in found["officers"]]
    return render(request, "entities/network.html", {
        "title": title, "back_url": back_url, "config": network_config(data_url, data_url),
        "patterns": found, "officers": officers, "svg_url": svg_url})


def _answer(request: HttpRequest, network: Network, seeds: list[str], detail: str
            ) -> HttpResponse:
    """The JSON of `network`, or of `?knoop=`'s neighbourhood; filtered; logged."""
    try:
        chosen = filters(request)
    except BadRequest as error:
        return problem_http_response(400, str(error), request)
    node = request.GET.get("knoop", "")
    if node:
        network = networks.entity_network(request.user, node[:64], chosen["depth"])
        if not network.nodes:
            reading.log_read(request.user, [], denied=True, detail=f"netwerk id {node[:64]}")
            return problem_http_response(404, NOT_YOURS, request)
        seeds, detail = [node], f"netwerk van {node[:64]}"
    network = networks.filtered(network, seeds, chosen["depth"],
                                link_types=chosen["link_types"], start=chosen["start"],
                                end=chosen["end"])
    networks.log_network(request.user, network, detail=detail)
    return JsonResponse(network.to_json())


@login_required
@permissions.read_only
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request.user, reference)
    record(user=request.user, action=Action.VIEW, obj=case, purpose=PURPOSE_CASE,
           detail="netwerk van de casus")
    return _page(request, title=_("Netwerk van casus %(ref)s") % {"ref": case.reference},
                 data_url=reverse("cases:network_data", args=[case.reference]),
                 back_url=reverse("cases:detail", args=[case.reference]),
                 pattern_network=networks.case_network(request.user, case, PATTERN_DEPTH),
                 detail=f"casus {case.reference}",
                 svg_url=reverse("cases:network_svg", args=[case.reference]))


@login_required
@permissions.read_only
def case_data(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request.user, reference)
    return _answer(request, networks.case_network(request.user, case),
                   networks.case_entity_ids(request.user, case),
                   f"netwerk casus {case.reference}")


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
    svg = network_svg(network, title=title, description=_(
        "Personen, bedrijven, adressen en voertuigen van de casus en hun verbanden, zoals "
        "u ze mag zien."))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{case.reference}-netwerk.svg"'
    return response


@login_required
@permissions.read_only
def entity_page(request: HttpRequest, entity_id: str) -> HttpResponse:
    entity_id = _entity(request.user, entity_id)
    network = networks.entity_network(request.user, entity_id, PATTERN_DEPTH)
    label = next((n.label for n in network.nodes if n.id == entity_id), entity_id)
    reading.log_read(request.user, [entity_id], detail="netwerk van de entiteit")
    return _page(request, title=_("Netwerk van %(label)s") % {"label": label},
                 data_url=reverse("entities:network_data", args=[entity_id]),
                 back_url=reverse("entities:detail", args=[entity_id]),
                 pattern_network=network, detail=f"entiteit {entity_id}")


@login_required
@permissions.read_only
def entity_data(request: HttpRequest, entity_id: str) -> HttpResponse:
    entity_id = _entity(request.user, entity_id)
    return _answer(request, networks.entity_network(request.user, entity_id), [entity_id],
                   f"netwerk van {entity_id}")
