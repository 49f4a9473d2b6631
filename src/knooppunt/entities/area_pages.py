"""The network page of an area (`/netwerk/gebied/?gebied=WK015301`), its JSON for
`knooppunt/network.js`, its SVG for a report, and the area's pattern tables (also shown
on the area scan page). Decision 0055.

The area is a municipality or wijk code as the area scan takes it (`analytics.areas`):
a malformed code is 400, an unknown one 404, one outside the user's municipalities 403,
each with its reason on the page (problem+json for the JSON and SVG), nothing stored.
Roles and partners without access to entities get 404, as on the other network pages.
Every read writes the processing log with the node ids shown.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from knooppunt.analytics import areas
from knooppunt.analytics.areas import AreaError, ScanArea
from knooppunt.analytics.networks.layout import TooLarge
from knooppunt.api.problems import problem_http_response
from knooppunt.audit.log import Action
from knooppunt.charts.network_svg import network_svg
from knooppunt.organisations import permissions
from knooppunt.web.network_view import network_config

from . import area_networks, networks, reading
from .area_networks import AreaNetwork, AreaPatterns
from .network_pages import _answer, _refuse
from .querysets import may_read_entities

MAX_CODE = 20


def _reader(user) -> None:
    if not may_read_entities(user):
        _refuse(user, "gebied")


def _area(request: HttpRequest) -> ScanArea:
    """The area of `?gebied=`, or AreaError (400, 403, 404) with its reason."""
    code = request.GET.get("gebied", "")
    if not code.strip():
        raise AreaError(_("Kies een gemeente of wijk."))
    return areas.resolve(request.user, area=code[:MAX_CODE])


def _network(request: HttpRequest) -> AreaNetwork | HttpResponse:
    """The asked area's network for the JSON and the SVG, or the refusal to answer with
    (404 for a user who may not read entities, raised; problem+json for a bad area)."""
    _reader(request.user)
    try:
        area = _area(request)
    except AreaError as error:
        reading.log_read(request.user, [], denied=True,
                         detail=f"netwerk gebied {request.GET.get('gebied', '')[:MAX_CODE]!r}")
        return problem_http_response(error.status, error.message, request)
    return area_networks.area_network(request.user, area)


def _urls(code: str) -> dict[str, str]:
    query = "?" + urlencode({"gebied": code})
    return {name: reverse(f"area_networks:{name}") + query for name in ("data", "svg")}


def pattern_rules() -> dict[str, str]:
    """Each pattern's rule, in words, as the page states it."""
    return {
        "crowded": _("%(n)d of meer inschrijvingen (personen en bedrijven) op één adres")
        % {"n": area_networks.CROWDED_AT},
        "movers": _("een bedrijf met %(n)d of meer nieuwe adressen binnen %(years)d jaar")
        % {"n": area_networks.MOVES_AT, "years": area_networks.MOVE_YEARS},
        "short_lived": _("een bedrijf opgeheven binnen %(months)d maanden na de oprichting")
        % {"months": area_networks.SHORT_MONTHS},
        "officers": _("een persoon die %(n)d of meer bedrijven bestuurt die in het gebied "
                      "zijn ingeschreven") % {"n": area_networks.OFFICER_AT},
    }


def pattern_tables(found: AreaNetwork, patterns: AreaPatterns) -> dict[str, list[dict]]:
    """The patterns as rows for the tables: each entity as (id, label) for its link;
    `month` when the company is pseudonymised, so its dates are shown as months."""
    labels = {n.id: n.label for n in found.network.nodes}
    coarse = {n.id for n in found.network.nodes if n.attributes.get("pseudonymised")}

    def named(ids) -> list[tuple[str, str]]:
        return [(i, labels.get(i, i)) for i in ids]

    return {
        "crowded": [{"address": named([p.address])[0], "companies": named(p.companies),
                     "persons": len(p.persons), "registered": p.registered}
                    for p in patterns.crowded],
        "movers": [{"company": named([p.company])[0], "addresses": p.addresses,
                    "moves": [(day, *named([a])[0]) for day, a in p.moves],
                    "start": p.window_start, "end": p.window_end,
                    "month": p.company in coarse} for p in patterns.movers],
        "short_lived": [{"company": named([p.company])[0], "incorporated": p.incorporated,
                         "dissolved": p.dissolved, "days": p.days,
                         "month": p.company in coarse}
                        for p in patterns.short_lived],
        "officers": [{"officer": named([p.officer])[0], "companies": named(p.companies),
                      "count": len(p.companies)} for p in patterns.officers],
    }


PATTERN_AREA_KINDS = frozenset({"gemeente", "wijk"})


def pattern_context(user, area: ScanArea, *, where: str) -> dict[str, object] | None:
    """The area's patterns for a page, logged with the entities they name; None for a
    user who may not read entities, and for a buffer or drawn area (the area scan then
    shows no pattern section): a 25 m buffer or a polygon around one building would show
    the patterns of one door; patterns are for a municipality or wijk, as in the API."""
    if not may_read_entities(user) or area.kind not in PATTERN_AREA_KINDS:
        return None
    found, real_of = area_networks.shown(user, area_networks.area_network(user, area))
    patterns = area_networks.area_patterns(found)
    named = sorted(real_of.get(i, i) for i in patterns.entity_ids())
    if named:
        reading.log_read(user, named, action=Action.LIST,
                         detail=f"patronen gebied {area.code} ({where})")
    return {"tables": pattern_tables(found, patterns), "rules": pattern_rules(),
            "any": bool(patterns), "area_code": area.code,
            "pseudonymised": any(n.attributes.get("pseudonymised")
                                 for n in found.network.nodes),
            "network_url": reverse("area_networks:page") + "?" + urlencode(
                {"gebied": area.code}) if area.kind in ("gemeente", "wijk") else ""}


@login_required
@permissions.read_only
def area_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    _reader(user)
    code = request.GET.get("gebied", "").strip()[:MAX_CODE]
    context: dict[str, object] = {"choices": areas.choices(user), "code": code}
    if "gebied" not in request.GET:
        return render(request, "entities/area_network.html", context)
    try:
        area = _area(request)
    except AreaError as error:
        reading.log_read(user, [], denied=True, detail=f"netwerk gebied {code!r}")
        context["error"] = error.message
        return render(request, "entities/area_network.html", context, status=error.status)
    urls = _urls(area.code)
    context.update(area=area, config=network_config(urls["data"], urls["data"]),
                   svg_url=urls["svg"],
                   patterns=pattern_context(user, area, where="netwerkpagina"))
    return render(request, "entities/area_network.html", context)


@login_required
@permissions.read_only
def area_data(request: HttpRequest) -> HttpResponse:
    """The area's network as JSON, or `?knoop=`'s neighbourhood; filters as the case's."""
    found = _network(request)
    if isinstance(found, HttpResponse):
        return found
    return _answer(request, found.network, list(found.seeds),
                   f"netwerk gebied {found.area.code}")


@login_required
@permissions.read_only
def area_svg(request: HttpRequest) -> HttpResponse:
    """The area's network as an SVG for a report; too large a network is refused with the
    advice to choose a wijk."""
    found = _network(request)
    if isinstance(found, HttpResponse):
        return found
    area = found.area
    title = _("Netwerk van %(area)s") % {"area": area.name}
    shown_network = area_networks.shown(request.user, found)[0].network
    try:
        svg = network_svg(shown_network, title=title, description=_(
            "Personen, bedrijven en adressen in het gebied en hun verbanden, zoals u ze mag "
            "zien."))
    except TooLarge as error:
        return problem_http_response(400, _("%(why)s Kies een wijk.") % {"why": error},
                                     request)
    networks.log_network(request.user, found.network, detail=f"netwerk-svg gebied {area.code}")
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{area.code}-netwerk.svg"'
    return response
