"""Dashboard pages: the mayor's municipality overview and the analyst's drill-down.

Figures come from `monitoring.queries` (scoped, suppressed); signals as points are on the
interactive map (`/kaart/`, decision 0036), which the analysis page links to. Every table
exports with `?export=csv|xlsx&tabel=<key>` on the same URL, so an export holds exactly
what the page shows. An area the user may not see
answers 404, like one that does not exist.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from knooppunt.audit.log import PURPOSE_EXPORT, Action, record
from knooppunt.charts.exports import export_response
from knooppunt.monitoring import areas as area_lookup
from knooppunt.monitoring import memo, queries
from knooppunt.monitoring.models import AreaLevel, PeriodType
from knooppunt.organisations import permissions, scope
from knooppunt.taxonomy.models import Theme

from . import fragments, navigation, panels
from .filters import EXPORT_FORMATS, DashboardFilterForm
from .vega_bundle import bundle

TREND_YEARS = 3
RANKING_INDICATORS = 4
DEFAULT_INDICATOR = "signalen-totaal"


def _optional(build, *args, **kwargs):
    """A panel, or None when the data layer does not provide it (yet) for this case."""
    try:
        return build(*args, **kwargs)
    except NotImplementedError:
        return None
    except ValueError:
        return None  # e.g. no peer group or no values for this indicator and period


def _export(request: HttpRequest, found: list, area_code: str) -> HttpResponse:
    fmt = request.GET.get("export", "")
    key = request.GET.get("tabel", "")
    panel = next((p for p in found if p is not None and p.key == key), None)
    if fmt not in EXPORT_FORMATS or panel is None:
        raise Http404(_("Onbekende export."))
    record(user=request.user, action=Action.EXPORT, object_type="monitoring.figures",
           object_ids=[area_code], purpose=PURPOSE_EXPORT,
           detail=f"{fmt}; tabel {key}; {request.GET.urlencode()}"[:500])
    return export_response(panel.table, fmt, filename=f"{area_code}-{key}")


def _themes() -> list[tuple[str, str]]:
    """The active themes for the filter form (read once per request: the page builds its
    form twice when nothing is cached, once for the form and once for the panels)."""
    return memo.get("dashboard-themes", lambda: [
        (t.code, t.name) for t in Theme.objects.filter(active=True).order_by("order", "name")])


def _form(request: HttpRequest, user) -> DashboardFilterForm:
    return DashboardFilterForm(request.GET or None, indicators=queries.indicators(user),
                               themes=_themes(), user=user)


def _pick_indicator(user, form: DashboardFilterForm, default: str) -> queries.IndicatorInfo:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    code = data.get("indicator") or ""
    theme = data.get("thema") or ""
    options = queries.indicators(user, theme or None) or queries.indicators(user)
    chosen = next((i for i in options if i.code == code), None)
    if chosen is None:
        chosen = next((i for i in options if i.code == default), options[0] if options else None)
    if chosen is None:
        raise Http404(_("Er zijn nog geen indicatoren."))
    return chosen


def _params(form: DashboardFilterForm) -> dict[str, object]:
    if not (form.is_bound and form.is_valid()):
        return {}
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}


def _latest(info: queries.IndicatorInfo, period_type: str) -> dt.date:
    """The last period with figures, else today's period."""
    from knooppunt.monitoring.models import IndicatorValue

    last = (IndicatorValue.objects.filter(indicator__code=info.code, period_type=period_type)
            .order_by("-period_start").values_list("period_start", flat=True).first())
    return last or timezone.localdate()


@login_required
@require_GET
@permissions.read_only
def index(request: HttpRequest) -> HttpResponse:
    """The user's first municipality, or the analysis page when they serve none."""
    served = sorted(scope.figure_municipality_codes(request.user))
    if served:
        return redirect("dashboards:municipality", code=served[0])
    return redirect("dashboards:analysis")


@login_required
@require_GET
@memo.per_request
@permissions.read_only
def municipality(request: HttpRequest, code: str) -> HttpResponse:
    """The mayor's one-screen overview: key figures, trend, target, benchmark, map, alerts.

    The panels come from the fragment cache when this scope, language, day and data
    version already built them (the compute job warms them); authentication, the scope
    check and the frame with the form and CSRF token are done for every request."""
    user = request.user
    try:
        area = queries.area(user, AreaLevel.MUNICIPALITY, code.upper())
    except (queries.UnknownArea, queries.NotAllowed) as error:
        raise Http404(_("Gemeente niet gevonden.")) from error
    data = request.GET if request.GET else None
    if request.GET.get("export"):
        form = blank_form(user, data)
        valid = not form.is_bound or form.is_valid()
        found = list(overview(user, area, _year(form), form).values())[1:] if valid else []
        return _export(request, found, area.code)
    typed = (area.code, sorted(request.GET.lists()))
    state = fragments.get(user, "municipality-form", typed)
    if state is None:
        form = blank_form(user, data)
        context = {"area": area, "form": form, "year": _year(form), "params": _params(form),
                   "threshold": settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD}
        if form.is_bound and not form.is_valid():  # the messages, no figures; not kept
            return render(request, "dashboards/municipality.html", context, status=400)
        state = form_state(area, form)
        fragments.put(user, "municipality-form", typed, state)
    year = state["year"]
    built = fragments.fragment(
        user, "municipality", (area.code, year, *state["choices"]),
        lambda: overview_html(user, area, year, blank_form(user, data)))
    return render(request, "dashboards/municipality.html", {
        "area": area, "year": year, "params": state["params"],
        "threshold": settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD,
        "form_html": mark_safe(state["html"]),  # noqa: S308 - rendered by our template
        "panels_html": mark_safe(built["html"]),  # noqa: S308 - rendered by our template
        "indicator_code": built["indicator"]})


def _year(form: DashboardFilterForm) -> int:
    return (form.cleaned_data.get("jaar") if form.is_bound and form.is_valid() else None) \
        or timezone.localdate().year


def form_state(area, form: DashboardFilterForm) -> dict[str, object]:
    """What the overview needs from its valid filter form, and the form as HTML.

    Kept in the fragment cache per query string (under the figure scope, language, day
    and data version, which decide the indicators offered and the years allowed):
    validating and drawing a select of every indicator costs more than the rest of a
    cached page."""
    return {"year": _year(form), "params": _params(form), "choices": _choices(form),
            "html": render_to_string("dashboards/_municipality_form.html",
                                     {"form": form, "area": area})}


def _choices(form: DashboardFilterForm) -> tuple[str, str]:
    """The filters the overview depends on besides area and year: indicator and theme."""
    data = form.cleaned_data if form.is_bound else {}
    return data.get("indicator") or "", data.get("thema") or ""


def overview_html(user, area, year: int, form: DashboardFilterForm) -> dict[str, str]:
    """The overview's panels as HTML (what the fragment cache keeps) and its indicator.

    The export links in it carry the filters that decide the panels, not the request's
    query string, so the same HTML serves every URL that shows these panels."""
    panels_found = overview(user, area, year, form)
    indicator, theme = _choices(form)
    export_query = {"jaar": year, "indicator": indicator, "thema": theme}
    context = {**panels_found, "year": year,
               "export_path": reverse("dashboards:municipality", args=[area.code]),
               "export_query": {k: v for k, v in export_query.items() if v}}
    context["specs"] = [p for p in list(panels_found.values())[1:]
                        if p is not None and p.spec]
    return {"html": render_to_string("dashboards/_municipality_panels.html", context),
            "indicator": panels_found["indicator"].code}


def overview(user, area, year: int, form: DashboardFilterForm) -> dict[str, object]:
    """The panels of the mayor's page (also used to warm the figure cache): the chosen
    indicator first, then key figures, trend, targets, benchmark, alerts and map."""
    info = _pick_indicator(user, form, DEFAULT_INDICATOR)
    key = _optional(panels.key_figures, user, area, year)
    if key and key.extra["figures"] and not (form.is_bound and form.cleaned_data.get(
            "indicator")):
        info = key.extra["figures"][0][0].indicator
    first = dt.date(year - TREND_YEARS + 1, 1, 1)
    last = min(dt.date(year, 12, 31), timezone.localdate())  # no months still to come
    trend = _optional(panels.trend, user, info, area, PeriodType.MONTH, first, last)
    target = _optional(panels.targets, user, area, year)
    bench = _optional(panels.benchmark, user, info, area, year) if info.per_1000 else None
    alerts = _optional(panels.alerts, user, area)
    region_map = _region_map(user, info, area, year)
    return {"indicator": info, "key": key, "trend": trend, "targets": target,
            "benchmark": bench, "alerts": alerts, "map": region_map}


def blank_form(user, data: dict | None = None) -> DashboardFilterForm:
    """The filter form as a first visit (no query string) sees it, or as `data` fills it."""
    form = DashboardFilterForm(data, indicators=queries.indicators(user), themes=_themes())
    if data is not None:
        form.is_valid()
    return form


def _region_map(user, info, area, year, *, period_type=PeriodType.YEAR,
                start=None, params=None):
    """The municipality among the others of its safety region, coloured by the indicator."""
    from knooppunt.geo.models import Municipality

    region_id = Municipality.objects.filter(code=area.municipality_code or area.code) \
        .values_list("safety_region_id", flat=True).first()
    codes = list(Municipality.objects.filter(safety_region_id=region_id)
                 .values_list("code", flat=True)) if region_id else [area.code]
    try:
        figures = panels.cached(user).values(user, info.code, AreaLevel.MUNICIPALITY, period_type,
                                 start or dt.date(year, 1, 1), codes=codes)
    except (NotImplementedError, ValueError):
        return None
    links = {f.area.code: panels.drill_url(f.area.code, params or {}) for f in figures}
    title = _("%(indicator)s per gemeente in de veiligheidsregio, %(period)s") % {
        "indicator": info.name,
        "period": figures[0].period.label if figures else year}
    svg = panels.area_map(figures, info, title=title, highlight=area.code, links=links,
                          context_codes=codes, css_id="map-region")
    table = panels.Table(
        key="kaart", title=title,
        columns=[panels.Column("gemeente", _("Gemeente")),
                 panels.Column("waarde", _("Waarde"), panels._value_kind(info)),
                 panels.Column("per_1000", _("Per 1.000 inwoners"), panels.NUMBER, 2)],
        rows=[{"gemeente": f.area.name, "waarde": panels.figure_cell(f),
               "per_1000": f.per_1000} for f in figures],
        note=panels._source_note(figures, info) + " · " + _(
            "Grenzen 2024: CBS, Kadaster/PDOK."),
    )
    return panels.Panel(key="kaart", title=title, table=table, chart=svg)


@login_required
@require_GET
@memo.per_request
@permissions.read_only
def analysis(request: HttpRequest) -> HttpResponse:
    """The analyst's drill-down: region → municipality → wijk → buurt, with filters."""
    user = request.user
    form = _form(request, user)
    valid = not form.is_bound or form.is_valid()
    context: dict[str, object] = {"form": form, "params": _params(form)}
    found: list = []
    if not valid:
        return render(request, "dashboards/analysis.html", context, status=400)
    default = DEFAULT_INDICATOR
    if not scope.figure_municipality_codes(user):
        # No served municipality: only figures from published statistics can be shown.
        default = next((i.code for i in queries.indicators(user) if i.public), default)
    info = _pick_indicator(user, form, default)
    code = (form.cleaned_data.get("gebied") if form.is_bound else "") or _default_area(user)
    level = area_lookup.level_of(code)
    try:
        area = queries.area(user, level, code, public=info.public)
    except (queries.UnknownArea, queries.NotAllowed) as error:
        raise Http404(_("Gebied niet gevonden.")) from error
    bound = form.cleaned_data if form.is_bound else {}
    period_type = bound.get("periode") or PeriodType.YEAR
    if period_type not in info.period_types:
        period_type = info.period_types[-1]
    latest = _latest(info, period_type)
    period_type, start = form.period_start(latest) if form.is_bound else \
        (period_type, dt.date(latest.year, 1, 1) if period_type == PeriodType.YEAR else latest)
    params = {**_params(form), "gebied": area.code}
    first = dt.date(start.year - TREND_YEARS + 1, 1, 1)
    trend = _optional(panels.trend, user, info, area, period_type, first, start)
    # A buurt has nothing inside it to break down.
    breakdown = _optional(panels.breakdown, user, info, area, period_type, start, params) \
        if area.level in area_lookup.CHILD_LEVEL else None
    if breakdown is not None and breakdown.extra.get("figures"):
        breakdown.chart = panels.area_map(
            breakdown.extra["figures"], info, title=breakdown.title,
            links=breakdown.extra["links"], css_id="map-breakdown")
    ranking = None
    if area_lookup.CHILD_LEVEL.get(area.level) == AreaLevel.MUNICIPALITY:
        # The chosen indicator beside the others of the chosen theme (or the first ones).
        others = [i for i in queries.indicators(user, bound.get("thema") or None)
                  if i.per_1000 and i.code != info.code and PeriodType.YEAR in i.period_types]
        candidates = [info, *others[:RANKING_INDICATORS - 1]]
        ranking = _optional(panels.ranking, user, candidates, area, start.year)
    alerts = _optional(panels.alerts, user, area)
    region_map = None
    local = area.level in (AreaLevel.MUNICIPALITY, AreaLevel.DISTRICT, AreaLevel.NEIGHBOURHOOD)
    if local:
        municipality_code = area.municipality_code or area.code
        municipality_ref = queries.area(user, AreaLevel.MUNICIPALITY, municipality_code,
                                        public=info.public)
        region_map = _region_map(user, info, municipality_ref, start.year,
                                 period_type=period_type, start=start, params=params)
    if area.level == AreaLevel.COUNTRY:
        region_map = _national_map(user, info, period_type, start, params)
    found = [trend, breakdown, ranking, alerts, region_map]
    if request.GET.get("export"):
        return _export(request, found, area.code)
    context.update({
        "area": area, "indicator": info, "period_type": period_type, "start": start,
        "period_label": panels.period_label(period_type, start),
        "crumbs": navigation.parents(area.level, area.code), "trend": trend,
        "breakdown": breakdown, "ranking": ranking, "alerts": alerts, "map": region_map,
        # Signals as points: on the interactive map (decision 0036), no longer in this SVG.
        "map_url": _interactive_map_url(user, info) if region_map is not None else "",
        "params": params, "specs": [p for p in found if p is not None and p.spec],
    })
    return render(request, "dashboards/analysis.html", context)


def _interactive_map_url(user, info) -> str:
    """/kaart/ with the indicator's theme chosen, for roles that may see signal points."""
    if not scope.sees_personal_data(user):
        return ""
    query = f"?thema={info.theme_code}" if info.theme_code else ""
    return reverse("web:map") + query


def _national_map(user, info, period_type: str, start: dt.date, params: dict):
    """All 342 municipalities (those whose figures the user may see) on one map."""
    try:
        figures = panels.cached(user).values(user, info.code, AreaLevel.MUNICIPALITY,
                                             period_type, start)
    except (NotImplementedError, ValueError):
        return None
    if not figures:
        return None
    title = _("%(indicator)s per gemeente, %(period)s") % {
        "indicator": info.name, "period": figures[0].period.label}
    links = {f.area.code: panels.drill_url(f.area.code, params) for f in figures}
    svg = panels.area_map(figures, info, title=title, links=links, css_id="map-national")
    table = panels.Table(
        key="kaart", title=title,
        columns=[panels.Column("code", _("Code")), panels.Column("gemeente", _("Gemeente")),
                 panels.Column("waarde", _("Waarde"), panels._value_kind(info)),
                 panels.Column("per_1000", _("Per 1.000 inwoners"), panels.NUMBER, 2)],
        rows=[{"code": f.area.code, "gemeente": f.area.name,
               "waarde": panels.figure_cell(f), "per_1000": f.per_1000}
              for f in figures],
        note=panels._source_note(figures, info) + " · " + _(
            "Grenzen 2024: CBS, Kadaster/PDOK."),
    )
    return panels.Panel(key="kaart", title=title, table=table, chart=svg,
                        extra={"links": links})


def _default_area(user) -> str:
    """The safety region of the user's first municipality, else the whole country."""
    from knooppunt.geo.models import Municipality

    served = sorted(scope.figure_municipality_codes(user))
    if served:
        region = Municipality.objects.filter(code=served[0]).values_list(
            "safety_region__code", flat=True).first()
        if region:
            return region
        return served[0]
    return "NL01"


@require_GET
@permissions.read_only
def vega_script(request: HttpRequest) -> HttpResponse:
    """Vega, Vega-Lite and Vega-Embed from the vl-convert-python package (no CDN)."""
    text, etag = bundle()
    if request.headers.get("If-None-Match") == f'"{etag}"':
        return HttpResponse(status=304)
    response = HttpResponse(text, content_type="text/javascript; charset=utf-8")
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response
