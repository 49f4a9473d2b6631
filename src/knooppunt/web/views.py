"""Start page, map, health check and error pages.

Login and two-step verification live in `web.account`; `LoginView` is re-exported here.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from knooppunt import __version__
from knooppunt.organisations import permissions, scope

from . import overview
from .account import LoginView
from .map_page import (
    event_datasets,
    hotspot_areas,
    linked_hotspot_request,
    map_config,
    map_themes,
    vulnerable_municipalities,
)
from .maplayers import GRID_SIZES

__all__ = ["LoginView", "error_400", "error_403", "error_404", "error_500", "healthz", "home",
           "region_map"]

@never_cache
@permissions.read_only
def healthz(request: HttpRequest) -> JsonResponse:
    """Up or not. Only the beheerder learns the version and database (decision 0029):
    an anonymous caller would learn which known weaknesses to try."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        database = "error"
    status = 200 if database == "ok" else 503
    body = {"status": "ok" if status == 200 else "error"}
    user = getattr(request, "user", None)
    if scope.is_beheerder(user) and user.is_verified():
        body.update({"version": __version__, "database": database, "vendor": connection.vendor})
    return JsonResponse(body, status=status)


def _own_municipalities(user) -> list:
    return list(scope.municipalities_for(user).select_related("safety_region").order_by("name"))


@login_required
@permissions.read_only
def home(request: HttpRequest) -> HttpResponse:
    """Per role: aggregates of the user's area for everyone, own signals for case workers."""
    user = request.user
    period = overview.Period.year_to_date()
    municipalities = _own_municipalities(user)
    _own, area_name = overview.own_area(user)
    personal = scope.sees_personal_data(user)
    current, previous = overview.area_totals(user, period)
    area_figures = overview.area_figures(user, municipalities, period)
    theme_figures = overview.theme_figures(user, period)
    shown_values = [current, previous]
    shown_values += [v for f in area_figures for v in (f.shown, f.shown_previous)]
    shown_values += [v for f in theme_figures for v in (f.shown, f.shown_previous)]
    context = {
        "period": period,
        "year": period.start.year,
        "municipalities": municipalities,
        "area_name": area_name,
        "area_figures": area_figures,
        "theme_figures": theme_figures,
        "area_total": current,
        "area_total_previous": previous,
        "has_suppressed": any(value is None for value in shown_values),
        "visible": overview.visible_figures(user, period) if personal else None,
        "case_figures": overview.case_figures(user) if personal else None,
    }
    return render(request, "web/home.html", context)


@login_required
@permissions.read_only
def region_map(request: HttpRequest) -> HttpResponse:
    """The interactive map of the user's safety region(s) (MapLibre GL JS, decision 0036).

    The page itself shows no record: the layers come from `/api/v1/map/...`, which scope,
    suppress and log. The table beside the map has the same counts per municipality as the
    areas layer (aggregates, small counts hidden) for readers who do not use the map.
    """
    user = request.user
    period = overview.Period.year_so_far()  # counts of the year so far, no comparison
    municipalities = _own_municipalities(user)
    figures = overview.area_figures(user, municipalities, period)
    themes = map_themes()
    # A link from the hotspot page carries its whole request (area, theme, source,
    # period, cell size, kernel, step, points), read with the page's own form.
    linked = linked_hotspot_request(user, request.GET)
    areas = hotspot_areas(user)
    if linked and linked["area"]["code"] not in {a["code"] for a in areas}:
        areas.append(linked["area"])  # a wijk of the hotspot page
    query = linked["query"] if linked else None
    context = {
        "figures": figures,
        "year": period.start.year,
        "period": period,
        "config": map_config(user, linked),
        "has_area": bool(municipalities),
        "personal": scope.sees_personal_data(user),
        "event_datasets": event_datasets(user),
        "themes": themes,
        # A link from a dashboard may choose the theme (?thema=hennepteelt).
        "chosen_theme": query.theme if query else request.GET.get("thema", ""),
        "grid_sizes": GRID_SIZES,
        # ... and the hotspot layer (?hotspots=1&gebied=GM0153&cel=250&... from
        # /dashboard/hotspots/).
        "hotspot_areas": areas,
        "show_hotspots": request.GET.get("hotspots") == "1",
        "show_forecast": request.GET.get("voorspelling") == "1",
        "chosen_area": query.area if query else request.GET.get("gebied", ""),
        "chosen_size": query.cell_size if query else _grid_size(request.GET.get("cel", "")),
        "linked": linked,
        "linked_page": urlencode(linked["page"]) if linked else "",
        "vulnerable_municipalities": vulnerable_municipalities(user),
        "show_vulnerable": request.GET.get("kwetsbaar") == "1",
        "chosen_municipality": request.GET.get("gemeente", ""),
        "threshold": settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD,
    }
    return render(request, "web/map.html", context)


def _grid_size(value: str) -> int:
    """A cell size from a link, or 250 m when it is not one of the map's sizes."""
    return int(value) if value.isdigit() and int(value) in GRID_SIZES else 250


def _error(request: HttpRequest, code: int, message: str = "") -> HttpResponse:
    return render(request, "web/error.html", {"code": code, "message": message}, status=code)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, str(exception or ""))


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No request context: the database or a context processor may be what failed.
    html = loader.get_template("web/error_500.html").render({})
    return HttpResponseServerError(html)
