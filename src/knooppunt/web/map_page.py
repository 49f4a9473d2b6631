"""What the interactive map page hands its script: API addresses, first view, themes.

The page (`web.views.region_map`) renders this as a JSON data block (`json_script`); the
script (`knooppunt/map.js`) reads it, so no inline script is needed (decision 0029).
"""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from knooppunt.forecasts.service import DEFAULT_CELL_SIZE as FORECAST_CELL_SIZE
from knooppunt.organisations import scope
from knooppunt.taxonomy.models import Theme

from . import maplayers

# Colour-blind-safe categorical colours (Okabe-Ito, then Paul Tol's "muted"), one a theme.
THEME_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9",
                 "#332288", "#882255", "#117733", "#999933", "#44aa99", "#aa4499")


def map_themes() -> list[dict[str, str]]:
    themes = Theme.objects.filter(active=True).order_by("order", "name")
    return [{"code": theme.code, "name": str(theme), "colour":
             THEME_COLOURS[i % len(THEME_COLOURS)]} for i, theme in enumerate(themes)]


# Police incidents by kind, in colours apart from the themes' (Paul Tol's "bright").
EVENT_COLOURS = {"misdrijf": "#ee6677", "overlast": "#228833", "overig": "#4477aa"}


def event_categories() -> list[dict[str, str]]:
    from knooppunt.events.models import OffenceCategory

    return [{"code": value, "name": str(label), "colour": EVENT_COLOURS.get(value, "#bbbbbb")}
            for value, label in OffenceCategory.choices]


def event_datasets(user) -> list[dict[str, str]]:
    """The incident datasets the user may read one by one (the events layer's choice)."""
    from knooppunt.events.points import datasets_for

    if not scope.sees_personal_data(user):
        return []
    return [{"code": dataset.code, "name": dataset.name} for dataset in datasets_for(user)]


def hotspot_classes() -> list[dict[str, object]]:
    """The Gi* classes with the colours of the hotspot page's SVG map (one legend)."""
    from knooppunt.charts.hotspot_map import CLASS_FILLS, class_labels

    return [{"class": value, "label": label, "colour": CLASS_FILLS.get(value, NOT_SIGNIFICANT)}
            for value, label in class_labels()]


NOT_SIGNIFICANT = "#f0f0f0"


def hotspot_areas(user) -> list[dict[str, str]]:
    """The areas the hotspot layer may ask for: those of the hotspot page's form."""
    from knooppunt.dashboards.hotspots import area_choices

    return [{"code": code, "name": name} for code, name in area_choices(user)]


def vulnerable_municipalities(user) -> list[dict[str, str]]:
    """The municipalities whose vulnerable places the user may see one by one (the list
    readers of decision 0041); empty for everyone else, who get no such layer."""
    return [{"code": m.code, "name": m.name} for m in
            scope.vulnerable_place_municipalities(user).order_by("name")]


# The layer's score classes (top 1/5/10 %), light to dark as the hotspot classes.
VULNERABLE_CLASSES = ((3, "#67001f"), (2, "#d6604d"), (1, "#f4a582"))


def vulnerable_classes() -> list[dict[str, object]]:
    labels = {3: _("hoogste 1 %"), 2: _("hoogste 5 %"), 1: _("hoogste 10 %")}
    return [{"class": value, "label": labels[value], "colour": colour}
            for value, colour in VULNERABLE_CLASSES]


def linked_hotspot_request(user, params) -> dict[str, object] | None:
    """The hotspot page's choices carried by a link to the map (`?hotspots=1&gebied=…`),
    read with the page's own form: the request (`analytics.hotspot_request`) as the API's
    parameters for the map's layer, the area by name and the page's query string for a
    link back. None when the link carries no valid choice (the map's defaults apply)."""
    from django.utils import timezone

    from knooppunt.analytics import hotspot_request
    from knooppunt.analytics.hotspot_service import default_period
    from knooppunt.dashboards.hotspots import HotspotForm

    if params.get("hotspots") != "1" or not params.get("gebied"):
        return None
    form = HotspotForm(params, user=user)
    if not form.is_valid():
        return None
    query = hotspot_request.from_page(form.cleaned_data, default_period(timezone.localdate()))
    names = {option.code: option.name for option in form.area_options}
    return {"params": hotspot_request.api_params(query),
            "area": {"code": query.area, "name": names.get(query.area, query.area)},
            "query": query, "page": hotspot_request.page_params(query)}


def map_config(user, linked: dict | None = None) -> dict[str, object]:
    """Everything the script needs; nothing personal (the layers come from the API).

    Point layers (`points`, `signal`, `event`, `case`) only for roles that see personal
    data: a bestuurder's map has areas, cells and hotspots, and the API refuses points.
    """
    personal = scope.sees_personal_data(user)
    return {
        "maplibre": static("vendor/maplibre-gl/maplibre-gl.mjs"),
        "api": {
            "areas": reverse("api:map-areas"),
            "grid": reverse("api:map-grid"),
            "signals": reverse("api:map-signals") if personal else "",
            "points": reverse("api:map-points", kwargs={"layer": "signals"})[:-len("signals")]
            if personal else "",
            "signal": reverse("api:map-signal", kwargs={"id": 0})[:-1],
            "event": reverse("api:event-detail", kwargs={"pk": 0})[:-1],
            "case": reverse("api:map-case", kwargs={"id": 0})[:-1],
            "hotspots": reverse("api:hotspots"),
            "vulnerable": reverse("api:map-vulnerable-places"),
            # The forecast layer (decisions 0043, 0057): for who sees the records only.
            "forecast": reverse("api:forecasts") if personal else "",
            "forecastPage": reverse("forecasts:evaluations") if personal else "",
        },
        "vulnerableClasses": vulnerable_classes(),
        "vulnerableList": reverse("web:vulnerable_places"),
        "hotspotClasses": hotspot_classes(),
        "forecastCellSize": FORECAST_CELL_SIZE,
        # The hotspot page's request when the map was opened from it (one definition:
        # `analytics.hotspot_request`); the layer sends it with the map's own controls.
        "hotspotRequest": linked["params"] if linked else None,
        "bounds": maplayers.region_bounds_wgs84(user),
        "basemap": getattr(settings, "KNOOPPUNT_BASEMAP_URL", ""),
        "threshold": settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD,
        "themes": map_themes(),
        "eventCategories": event_categories(),
        "text": {
            "signals": _("Signalen"),
            "cases": _("Casussen"),
            "suppressed": _("minder dan %(n)s (afgeschermd)") % {
                "n": settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD},
            "outside": _("buiten uw werkgebied"),
            "cell": _("Cel van %(size)s m"),
            "open": _("Open het signaal"),
            "loading": _("Kaart wordt geladen…"),
            "loaded": {
                "signals": _("%(n)s signalen als punt op de kaart."),
                "events": _("%(n)s politie-incidenten als punt op de kaart."),
                "cases": _("%(n)s casussen als punt op de kaart."),
            },
            "badPoints": _("Het antwoord van de server is geen puntenlaag."),
            "signalPoints": _("Signalen (punten)"),
            "eventPoints": _("Politie-incidenten (ruiten)"),
            "casePoints": _("Casussen (vierkanten)"),
            "event": _("Incident"),
            "code": _("Code"),
            "kind": _("Soort"),
            "occurred": _("Pleegdatum"),
            "premises": _("Soort locatie"),
            "area": _("Gebied (bron)"),
            "dataset": _("Bestand"),
            "title": _("Titel"),
            "stage": _("Fase"),
            "opened": _("Geopend"),
            "municipality": _("Gemeente"),
            "openCase": _("Open de casus"),
            "noLibrary": _("De kaartbibliotheek ontbreekt op de server. De beheerder installeert "
                           "haar met ./run.sh (npm ci in frontend/)."),
            "error": _("Deze laag kon niet worden geladen:"),
            "close": _("Sluiten"),
            "noFeature": _("Hier ligt niets om te tonen."),
            "zero": _("geen"),
            "theme": _("Thema"),
            "source": _("Bron"),
            "date": _("Ontvangen"),
            "status": _("Status"),
            "place": _("Adres"),
            "hotspots": _("Hotspots (Gi*)"),
            "hotspotCell": _("Hotspotcel %(id)s"),
            "hotspotCount": _("Aantal in de cel"),
            "hotspotClass": _("Klasse"),
            "hotspotTrend": _("Opkomend"),
            "notShown": _("niet getoond"),
            "method": _("Methode:"),
            "hotspotsLoading": _("Hotspots worden berekend…"),
            "vulnerable": _("Kwetsbare plekken (buitengebied)"),
            "vulnerableLoading": _("Kwetsbare plekken worden berekend…"),
            "vulnerableLoaded": _("%(n)s kwetsbare plekken op de kaart."),
            "vulnerablePlace": _("Kwetsbare plek %(rank)s"),
            "vulnerableClass": _("Klasse"),
            "vulnerableScore": _("Score (verwachte drugssignalen komend jaar)"),
            "usage": _("Gebruiksdoel"),
            "reasons": _("Redenen"),
            "noReasons": _("geen factor verandert de score met 10 procent of meer"),
            "visitState": _("Bezoek"),
            "notVisited": _("nog niet bezocht"),
            "openList": _("Naar de lijst"),
            "forecast": _("Voorspelling volgende maand (cellen van %(size)s m)") % {
                "size": FORECAST_CELL_SIZE},
            "forecastLoading": _("Voorspelling wordt berekend…"),
            "forecastNeedsTarget": _("Kies voor de voorspelling een thema, of een "
                                     "incidentenbestand (met hoogstens één incidentcode)."),
            "forecastLoaded": _("Voorspelling %(period)s van %(target)s; getoonde methode "
                                "%(method)s."),
            "forecastTop1": _("bij de 1 % hoogste cellen"),
            "forecastTop5": _("bij de 5 % hoogste cellen"),
            "forecastRest": _("overige cellen met een voorspelling boven 0"),
            "forecastCell": _("Voorspelling, cel %(id)s"),
            "forecastValue": _("Verwacht aantal (getoonde methode)"),
            "forecastMethod": _("Methode"),
            "forecastPeriod": _("Periode"),
            "forecastClass": _("Klasse"),
            "openForecast": _("Toets en uitleg op de voorspellingspagina"),
        },
    }
