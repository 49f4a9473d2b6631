"""The network view's server side: what the page hands `knooppunt/network.js`, the JSON
the script reads, and the example page with a generated network (decision 0049).

The script reads a network as `Network.to_json()` from a URL and asks an expand URL with
`?knoop=<id>` for a node's neighbours. Any page that shows a network (a case's, an
entity's, an area's) supplies those two URLs and renders `web/_network.html`; the glue to
the entity model is one function that makes a `Network` of what the user may see
(`scope`, logged) and answers `network_answer(request, network)`.

The example page (`/netwerk/voorbeeld/`) exists only in DEBUG or the demo: a generated,
synthetic network (`analytics.networks.synthetic`), no record of anyone, so nothing to
scope or log. It serves the browser test and `benchmarks/network_benchmark.py`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from knooppunt.analytics.networks import LINK_TYPES, MAX_DEPTH, Network, UnknownNode
from knooppunt.analytics.networks import neighbourhood as expand
from knooppunt.analytics.networks.synthetic import MAX_SIZE, generated_network
from knooppunt.api.problems import problem_http_response
from knooppunt.charts.network_svg import (
    HIDDEN_FILL,
    LINK_DASHES,
    LINK_STROKES,
    SCHEMA_FILLS,
    link_labels,
    schema_labels,
)
from knooppunt.organisations import permissions

# Above this many nodes the browser places nodes on rings (most connected inside) instead
# of the force-directed cose, whose cost grows with the square of the nodes
# (benchmarks/network_benchmark.py, decision 0049).
FORCE_LAYOUT_UP_TO = 150
EXAMPLE_SIZE = 60
EXAMPLE_START = "c1"


class BadRequest(ValueError):
    """A parameter that cannot be used; the message is Dutch / English."""


def network_config(data_url: str, expand_url: str) -> dict[str, object]:
    """What the script needs besides the network: library, URLs, colours, texts."""
    return {
        "cytoscape": static("vendor/cytoscape/cytoscape.esm.min.mjs"),
        "data": data_url,
        "expand": expand_url,
        "forceLayoutUpTo": FORCE_LAYOUT_UP_TO,
        "schemata": [{"code": code, "name": name, "colour": SCHEMA_FILLS[code]}
                     for code, name in schema_labels().items()],
        "hiddenColour": HIDDEN_FILL,
        "linkTypes": [{"code": code, "name": name, "dash": LINK_DASHES[code],
                       "colour": LINK_STROKES.get(code, "#8a8a8a")}
                      for code, name in link_labels().items()],
        "text": {
            "loading": _("Netwerk wordt geladen…"),
            "loaded": _("%(nodes)s knopen en %(edges)s verbanden."),
            "expanded": _("%(label)s uitgebreid: %(n)s nieuwe knopen."),
            "nothingNew": _("%(label)s heeft geen andere verbanden die u mag zien."),
            "error": _("Het netwerk kon niet worden geladen:"),
            "noLibrary": _("De netwerkbibliotheek ontbreekt op de server. De beheerder "
                           "installeert haar met ./run.sh (npm ci in frontend/)."),
            "hiddenMore": _("%(n)s verbanden afgeschermd: u mag weten dat ze bestaan, "
                            "niet wat ze zijn."),
            "hidden": _("afgeschermd"),
            "links": _("Verbanden"),
            "provenance": _("Herkomst"),
            "noProvenance": _("geen herkomst vastgelegd"),
            "from": _("vanaf"),
            "until": _("tot"),
            "expand": _("Uitbreiden"),
            "legendNodes": _("Knopen"),
            "legendLinks": _("Verbanden"),
            "choose": _("Kies een knoop (klik, of pijltoetsen en Enter) om zijn verbanden "
                        "en hun herkomst te zien."),
        },
    }


def _day(value: str, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name}: geen datum als 2024-05-31. / {name}: not a date like "
                         "2024-05-31.") from None


def filters(request: HttpRequest) -> dict[str, object]:
    """Link types (`soort`, comma-separated), date window (`van`, `tot`) and depth
    (`diepte`) from the query string; BadRequest for what cannot be used."""
    kinds = [k for k in request.GET.get("soort", "").split(",") if k]
    unknown = sorted(set(kinds) - set(LINK_TYPES))
    if unknown:
        raise BadRequest(f"soort: onbekend verband {', '.join(unknown)}. / soort: unknown "
                         "link type.")
    start, end = _day(request.GET.get("van", ""), "van"), _day(request.GET.get("tot", ""), "tot")
    if start and end and end < start:
        raise BadRequest("tot ligt voor van. / tot is before van.")
    depth = request.GET.get("diepte", "1")
    if not depth.isdigit() or not 1 <= int(depth) <= MAX_DEPTH:
        raise BadRequest(f"diepte: een getal van 1 tot en met {MAX_DEPTH}. / diepte: a "
                         f"number from 1 to {MAX_DEPTH}.")
    return {"link_types": set(kinds) or None, "start": start, "end": end,
            "depth": int(depth)}


def network_answer(request: HttpRequest, network: Network) -> HttpResponse:
    """The JSON of `network`, or of a node's neighbourhood when `?knoop=` names one.
    Bad parameters: 400 problem+json with a Dutch and English reason, nothing kept."""
    try:
        chosen = filters(request)
        node = request.GET.get("knoop", "")
        if node:
            network = expand(network, [node], chosen["depth"], link_types=chosen["link_types"],
                             start=chosen["start"], end=chosen["end"])
    except BadRequest as error:
        return problem_http_response(400, str(error), request)
    except UnknownNode:
        return problem_http_response(404, "Deze knoop bestaat niet of u mag hem niet zien. / "
                                          "This node does not exist or is not yours to see.",
                                     request)
    return JsonResponse(network.to_json())


def _example_allowed() -> None:
    if not (settings.DEBUG or getattr(settings, "DEMO_MODE", False)):
        raise Http404


def _example_size(request: HttpRequest) -> int:
    value = request.GET.get("knopen", str(EXAMPLE_SIZE))
    if not value.isdigit() or not 12 <= int(value) <= MAX_SIZE:
        raise BadRequest(f"knopen: een getal van 12 tot en met {MAX_SIZE}. / knopen: a "
                         f"number from 12 to {MAX_SIZE}.")
    return int(value)


@login_required
@permissions.read_only
def example(request: HttpRequest) -> HttpResponse:
    """The example page: a generated network, opened at one company (or whole: ?alles=1)."""
    _example_allowed()
    try:
        size = _example_size(request)
    except BadRequest as error:
        return render(request, "web/error.html", {"code": 400, "message": str(error)},
                      status=400)
    base = reverse("web:network_example_data") + f"?knopen={size}"
    start = base if request.GET.get("alles") == "1" else f"{base}&knoop={EXAMPLE_START}"
    context = {"config": network_config(start, base), "size": size}
    return render(request, "web/network_example.html", context)


@login_required
@permissions.read_only
def example_data(request: HttpRequest) -> HttpResponse:
    """The generated network's JSON (`?knopen=`, `?knoop=`, filters as `network_answer`)."""
    _example_allowed()
    try:
        size = _example_size(request)
    except BadRequest as error:
        return problem_http_response(400, str(error), request)
    return network_answer(request, generated_network(size))
