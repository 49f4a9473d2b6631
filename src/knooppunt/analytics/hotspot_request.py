"""One definition of a hotspot request, shared by the hotspot page, the map and the API.

A request is `hotspot_service.Query`. It arrives in two spellings: the hotspot page's
form (`/dashboard/hotspots/`, Dutch names: gebied, thema, bron, van, tot, cel, kern,
stap, punten, dataset, code) and the API's query string (`/api/v1/hotspots`: area, theme,
source, start, end, cellSize, kernel, step, points, dataset, code). This module turns
either into a `Query` and a `Query` back into either, so the page's link to the map, the
map's hotspot layer and the API ask for the same thing and no parameter is dropped on
the way (the map once forgot source, period, kernel and step).
"""

from __future__ import annotations

from datetime import date

from .hotspot_service import Query
from .hotspots import QUARTIC, QUEEN

# The page's value of `punten` for each points source of the API.
PAGE_POINTS = {"signals": "signalen", "events": "incidenten"}


def from_page(data: dict, default_period: tuple[date, date]) -> Query:
    """The request of the hotspot page's cleaned form data (`dashboards.hotspots`)."""
    points = {}
    if data.get("punten") == PAGE_POINTS["events"]:
        points = {"points": "events", "dataset": data["dataset"],
                  "codes": (data["code"],) if data.get("code") else ()}
    return Query(
        area=data["gebied"], start=data.get("van") or default_period[0],
        end=data.get("tot") or default_period[1], cell_size=data.get("cel") or 250,
        theme=data.get("thema") or "", source=data.get("bron") or "",
        kernel=data.get("kern") or QUARTIC, step=data.get("stap") or "", **points)


def from_api(p: dict, default_period: tuple[date, date]) -> Query:
    """The request of the API's validated parameters (`analytics.api.HotspotParams`)."""
    return Query(
        area=p.get("area", ""), start=p.get("start", default_period[0]),
        end=p.get("end", default_period[1]), cell_size=int(p.get("cellSize", 250)),
        theme=p["theme"].code if p.get("theme") else "",
        source=p["source"].code if p.get("source") else "",
        kernel=p.get("kernel", QUARTIC), bandwidth=p.get("bandwidth"),
        weights=p.get("weights", QUEEN), band=p.get("band"), step=p.get("step", ""),
        points=p.get("points", "signals"), dataset=p.get("dataset", ""),
        codes=tuple(c.strip() for c in p["code"].split(",")) if p.get("code") else ())


def api_params(query: Query) -> dict[str, str]:
    """The API's query string for `query` (what the map's hotspot layer sends)."""
    params = {"area": query.area, "start": query.start.isoformat(),
              "end": query.end.isoformat(), "cellSize": str(query.cell_size),
              "kernel": query.kernel, "weights": query.weights, "points": query.points}
    optional = {"theme": query.theme, "source": query.source, "step": query.step,
                "dataset": query.dataset, "code": ",".join(query.codes),
                "bandwidth": "" if query.bandwidth is None else f"{query.bandwidth:g}",
                "band": "" if query.band is None else f"{query.band:g}"}
    params.update({key: value for key, value in optional.items() if value})
    return params


def page_params(query: Query) -> dict[str, str]:
    """The hotspot page's query string for `query` (what the link to the map carries;
    the map reads it with the page's own form)."""
    params = {"gebied": query.area, "van": query.start.isoformat(),
              "tot": query.end.isoformat(), "cel": str(query.cell_size),
              "kern": query.kernel, "punten": PAGE_POINTS[query.points]}
    optional = {"thema": query.theme, "bron": query.source, "stap": query.step,
                "dataset": query.dataset, "code": query.codes[0] if query.codes else ""}
    params.update({key: value for key, value in optional.items() if value})
    return params
