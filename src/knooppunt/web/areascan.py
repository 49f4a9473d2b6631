"""The area scan page (`/gebiedsscan/`): pick an area, see its scan with map and tables.

A GET form: an area (municipality or wijk from the user's own list) or an address with a
radius. The scan comes from `analytics.areascan` (scoped, suppressed, logged there); a
refusal is shown on the page with its reason, with status 400, 403 or 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from knooppunt.analytics import areas, areascan
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
    context = {"choices": areas.choices(user), "query": query,
               "radius_min": areas.MIN_RADIUS_M, "radius_max": areas.MAX_RADIUS_M}
    status = 200
    if any(query.values()):
        try:
            area = areas.resolve(user, area=query["gebied"], address=query["adres"],
                                 radius=query["straal"] or None)
        except areas.AreaError as refused:
            context["error"] = refused.message
            context["error_field"] = refused.field
            status = refused.status
        else:
            found = areascan.scan(user, area, purpose="gebiedsscan (pagina)")
            context.update(scan=found, tables=tables(found), svg=area_map_svg(found))
    return render(request, "web/areascan.html", context, status=status)
