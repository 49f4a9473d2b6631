"""The area scan page (`/gebiedsscan/`): pick an area, see its scan with map and tables.

A GET form: an area (municipality or wijk from the user's own list), an address with a
radius, or a polygon drawn on the map (`static/knooppunt/draw.js` fills the field
`veelhoek` with its corners as "lon lat,lon lat,…" in WGS84, the ring closed implicitly;
`analytics.drawn` checks it as the API does). The scan comes from `analytics.areascan`
(scoped, suppressed, logged there); a refusal is shown on the page with its reason, with
status 400, 403 or 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from knooppunt.analytics import areas, areascan, drawn
from knooppunt.charts.area_map import area_map_svg
from knooppunt.charts.areascan import tables
from knooppunt.organisations import permissions


@login_required
@permissions.read_only
def area_scan(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not areas.may_scan(user):
        raise PermissionDenied(_("Uw rol geeft geen toegang tot gebiedsscans."))
    query = {key: request.GET.get(key, "").strip()[:100]
             for key in ("gebied", "adres", "straal")}
    polygon_text = request.GET.get("veelhoek", "").strip()[:MAX_POLYGON_TEXT]
    context = {"choices": areas.choices(user), "query": query,
               "radius_min": areas.MIN_RADIUS_M, "radius_max": areas.MAX_RADIUS_M,
               "polygon_text": polygon_text, "draw_config": draw_config(user)}
    status = 200
    if any(query.values()) or polygon_text:
        try:
            if polygon_text and any(query.values()):
                raise areas.AreaError(_("Kies een gebied, een adres met straal of een "
                                        "getekend gebied, niet meer dan één."))
            if polygon_text:
                area = drawn.drawn_area(user, polygon_from_text(polygon_text))
            else:
                area = areas.resolve(user, area=query["gebied"], address=query["adres"],
                                     radius=query["straal"] or None)
        except areas.AreaError as refused:
            context["error"] = refused.message
            context["error_field"] = refused.field
            status = refused.status
        else:
            found = areascan.scan(user, area, purpose="gebiedsscan (pagina)")
            context.update(scan=found, tables=tables(found), svg=area_map_svg(found),
                           print_url=print_url(user, query["gebied"]) if query["gebied"]
                           else "")
            # The area's place and company patterns, for entity readers (decision 0055).
            from knooppunt.entities.area_pages import pattern_context

            context["patterns"] = pattern_context(user, area, where="gebiedsscan")
    return render(request, "web/areascan.html", context, status=status)


def print_url(user, code: str) -> str:
    """The report form with the gebiedsscan and this municipality or wijk chosen, for a
    user who may make that report; "" otherwise. The printable scan is a report (HTML and
    PDF, same numbers as the page), so "print" on the page leads there."""
    from knooppunt.organisations.permissions import Action as Do
    from knooppunt.reports.access import area_builders

    if not permissions.may(user, Do.REPORT_MAKE) or not any(
            b.code == "gebiedsscan" for b in area_builders(user)):
        return ""
    return f"{reverse('reports:index')}?{urlencode({'soort': 'gebiedsscan', 'gebied': code})}"


MAX_POLYGON_TEXT = 12_000  # characters: the corners of the largest polygon allowed


def polygon_from_text(text: str) -> dict:
    """The page's compact corners ("lon lat,lon lat,…") as a GeoJSON Polygon; the ring is
    closed here (the form's format leaves it open). Numbers that are not numbers are
    passed on as text, so `analytics.drawn` refuses them with its own message."""
    ring: list[list[object]] = []
    for pair in text.split(","):
        parts = pair.split()
        values: list[object] = []
        for part in parts:
            try:
                values.append(float(part))
            except ValueError:
                values.append(part)
        ring.append(values)
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    return {"type": "Polygon", "coordinates": [ring]}


def draw_config(user) -> dict[str, object]:
    """What draw.js needs: the library, the user's boundaries, limits and its words."""
    from knooppunt.web import maplayers

    return {
        "maplibre": static("vendor/maplibre-gl/maplibre-gl.mjs"),
        "boundaries": reverse("api:area-boundaries") + "?level=gemeente",
        "bounds": maplayers.region_bounds_wgs84(user),
        "maxVertices": drawn.max_vertices(),
        "text": {
            "start": _("Klik op de kaart om hoekpunten te zetten."),
            "corners": _("Hoekpunten: %(n)s."),
            "tooFew": _("Zet minstens drie hoekpunten."),
            "tooMany": _("Niet meer dan %(n)s hoekpunten.") % {"n": drawn.max_vertices()},
            "noLibrary": _("De kaart kon niet worden geladen; kies een gebied of adres."),
        },
    }
