"""The chart of a stored evaluation: PAI at 5 % of the area per held-out month, a line per
method (the baselines and the learned model), drawn on the server as the dashboards draw
trends (`charts.vega.trend_spec`, `charts.render.chart_svg`).

The method users see comes first, so it gets the dark blue of the palette, and it is
named in the legend, the title and the description. A month without a value (no events,
or a method that could not forecast) stays null: the line breaks there, never a 0. The
numbers themselves stay in the table beside the chart.
"""

from __future__ import annotations

import datetime as dt
import math

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from knooppunt.charts.render import chart_svg
from knooppunt.charts.vega import Point, trend_spec

from .models import ForecastEvaluation

SHARE = "0.05"  # the share of the area the chart shows (the 1 % stays in the tables)
METRIC = "pai"


def _month(label: str) -> dt.date:
    year, month = label.split("-")
    return dt.date(int(year), int(month), 1)


def _value(month: dict, method: str) -> float | None:
    value = (month.get("methods", {}).get(method) or {}).get(SHARE, {}).get(METRIC)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def evaluation_chart(evaluation: ForecastEvaluation, css_id: str) -> SafeString | None:
    """The chart as inline SVG with its title and description, or None when the
    evaluation holds no PAI at 5 % at all (nothing to draw)."""
    months = evaluation.scores or []
    methods = list(dict.fromkeys(m for month in months for m in month.get("methods", {})))
    if evaluation.shown_method in methods:  # first: the emphasised colour
        methods.remove(evaluation.shown_method)
        methods.insert(0, evaluation.shown_method)
    shown_label = _("%(method)s (getoond)") % {"method": evaluation.shown_method}
    points, gaps = [], []
    for month in months:
        for method in methods:
            value = _value(month, method)
            label = shown_label if method == evaluation.shown_method else method
            points.append(Point(_month(month["month"]), value, label))
            if value is None:
                gaps.append(f"{method} {month['month']}")
    if not any(p.value is not None for p in points):
        return None
    spec = trend_spec(points, y_title=_("PAI bij 5 % van het gebied"),
                      x_title=_("Geteste maand"))
    title = _("PAI bij 5 %% van het gebied per geteste maand en methode; getoond: "
              "%(method)s") % {"method": evaluation.shown_method}
    description = _(
        "Lijngrafiek van de PAI bij 5 %% van het gebied voor de maanden %(first)s tot en "
        "met %(last)s, een lijn per methode (%(methods)s); de getoonde methode is "
        "%(method)s. De cijfers staan in de tabel eronder.") % {
        "first": months[0]["month"], "last": months[-1]["month"],
        "methods": ", ".join(methods), "method": evaluation.shown_method}
    if gaps:
        description += " " + _("Geen waarde (de lijn is daar onderbroken): %(gaps)s.") % {
            "gaps": ", ".join(gaps)}
    return chart_svg(spec, title=title, description=description, css_id=css_id)
