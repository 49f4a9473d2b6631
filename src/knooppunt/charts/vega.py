"""Vega-Lite specifications built with Altair: trend with target line, and bars.

Specs carry their data inline as named datasets (no URLs; added after Altair built the
spec, because Altair deep-copies inline values on every build), so the server renders them
offline and the browser can draw the same spec interactively. In a trend, a value that is
None (suppressed or no data) stays in the data as null and breaks the line there (never a
line across it, never a 0); a grey band over that period carries the reason in the legend
(`Hidden`). A running period (`partial`) is not drawn as a point: a light blue band over
it says "lopend, t/m 5 dec (nog niet compleet)" in the legend, so a partial month never
looks like a drop (decision 0025); the table under the chart gives its figure so far.
In bars a None value is not drawn; the table says why.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import altair as alt

# Colour-blind-safe pairs (blue / orange, Okabe-Ito-like) plus a neutral grey.
REALISED = "#08519c"
TARGET = "#d55e00"
COMPARISON = "#6b6b6b"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
# Altair checks a spec against the Vega-Lite JSON schema on every to_dict(): ~100 ms a
# page. The builders below are fixed, so the tests validate them and pages do not.
VALIDATE = False
WIDTH = 560
HEIGHT = 220

CONFIG = {
    "font": FONT,
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1b1b1b",
             "titleColor": "#1b1b1b", "gridColor": "#e4e4e4"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
    "view": {"stroke": None},
}


@dataclass(frozen=True)
class Point:
    """One value of a series at a period start."""

    period: dt.date
    value: float | None
    series: str


@dataclass(frozen=True)
class Hidden:
    """A period whose value is not shown, and why (the legend's text)."""

    start: dt.date
    end: dt.date  # the start of the next period
    reason: str


HIDDEN_COLOURS = ["#bdbdbd", "#e0e0e0"]
RUNNING = "#c6dbef"  # the running period: light blue, apart from the grey of hidden
# A line breaks at null values instead of joining its neighbours (Vega-Lite >= 5.19).
BREAK_AT_NULL = "break-paths-show-path-domains"


def _iso(value: dt.date) -> str:
    return value.isoformat()


def trend_spec(
    points: Sequence[Point],
    *,
    y_title: str,
    x_title: str,
    targets: Sequence[Point] = (),
    time_unit: str = "yearmonth",
    width: int = WIDTH,
    height: int = HEIGHT,
    hidden: Sequence[Hidden] = (),
    partial: Hidden | None = None,
) -> dict:
    """Lines per series over time, with the target (streefcijfer) as a dashed line.

    `time_unit` is "yearmonth", "yearquarter" or "year": how the x axis is labelled.
    `points` may hold None values: the line breaks there; `hidden` names those periods and
    why. `partial` is the running period (its `reason` the legend text): a band, no point.
    """
    rows = [{"periode": _iso(p.period), "waarde": p.value, "reeks": p.series}
            for p in points]
    target_rows = [{"periode": _iso(p.period), "waarde": p.value, "reeks": p.series}
                   for p in targets if p.value is not None]
    bands = [*hidden, *([partial] if partial is not None else [])]
    band_rows = [{"periode": _iso(h.start), "tot": _iso(h.end), "reeks": h.reason}
                 for h in bands]
    series = tuple(dict.fromkeys(r["reeks"] for r in rows))
    target_series = tuple(dict.fromkeys(r["reeks"] for r in target_rows))
    reasons = tuple(dict.fromkeys(h.reason for h in hidden))
    running = (partial.reason,) if partial is not None else ()
    spec = json.loads(_trend_skeleton(series, target_series, bool(target_rows), y_title,
                                      x_title, time_unit, width, height, reasons, running))
    spec["datasets"] = {"gerealiseerd": rows, "streef": target_rows}
    if band_rows:
        spec["datasets"]["verborgen"] = band_rows
    spec["config"] = CONFIG
    return spec


@lru_cache(maxsize=512)
def _trend_skeleton(series: tuple[str, ...], target_series: tuple[str, ...],
                    with_target: bool, y_title: str, x_title: str, time_unit: str,
                    width: int, height: int, reasons: tuple[str, ...] = (),
                    running: tuple[str, ...] = ()) -> str:
    """The trend spec without its data, as JSON. Building it with Altair takes tens of
    milliseconds and depends only on these arguments, so it is built once per shape."""
    domain = list(series) + list(target_series) + list(reasons) + list(running)
    palette = [REALISED, COMPARISON, "#4292c6", "#9ecae1"][: len(series)]
    colours = (palette + [TARGET] * len(target_series) + HIDDEN_COLOURS[: len(reasons)]
               + [RUNNING] * len(running))
    colour = alt.Color("reeks:N", title=None, scale=alt.Scale(domain=domain, range=colours),
                       legend=alt.Legend(columns=2, labelLimit=320))
    x = alt.X("periode:T", timeUnit=time_unit, title=x_title)
    y = alt.Y("waarde:Q", title=y_title, scale=alt.Scale(zero=True))
    tooltip = [alt.Tooltip("periode:T", timeUnit=time_unit, title=x_title),
               alt.Tooltip("reeks:N", title=" "), alt.Tooltip("waarde:Q", title=y_title)]
    layers = []
    if reasons or running:
        # Bands behind the line where a value is hidden or the period still runs; the
        # legend says which.
        layers.append(
            alt.Chart(alt.NamedData(name="verborgen"))
            .mark_rect(opacity=0.6)
            .encode(x=alt.X("periode:T", title=x_title), x2="tot:T", color=colour,
                    tooltip=[alt.Tooltip("reeks:N", title=" ")])
        )
    layers.append(alt.Chart(alt.NamedData(name="gerealiseerd")).mark_line(
        point=True, strokeWidth=2.5, invalid=BREAK_AT_NULL).encode(
            x=x, y=y, color=colour, tooltip=tooltip))
    if with_target:
        layers.append(
            alt.Chart(alt.NamedData(name="streef"))
            .mark_line(strokeDash=[6, 4], strokeWidth=2, interpolate="step-after")
            .encode(x=x, y=y, color=colour, tooltip=tooltip)
        )
    chart = alt.layer(*layers).properties(width=width, height=height)
    return json.dumps(chart.to_dict(validate=VALIDATE))


def bar_spec(
    bars: Sequence[tuple[str, float | None]],
    *,
    x_title: str,
    highlight: str | None = None,
    width: int = WIDTH,
    reference: float | None = None,
    reference_label: str = "",
) -> dict:
    """Horizontal bars, largest first; `highlight` marks one category (e.g. own municipality).

    `reference` draws a vertical rule (e.g. index 100 = group average).
    """
    rows = [{"categorie": label, "waarde": value, "eigen": label == highlight}
            for label, value in bars if value is not None]
    height = max(40, 22 * len(rows))
    spec = json.loads(_bar_skeleton(x_title, width, height, reference is not None))
    spec["datasets"] = {"staven": rows,
                        "referentie": [{"ref": reference, "label": reference_label}]}
    spec["config"] = CONFIG
    return spec


@lru_cache(maxsize=512)
def _bar_skeleton(x_title: str, width: int, height: int, with_reference: bool) -> str:
    """The bar spec without its data, as JSON, built once per shape (as `_trend_skeleton`)."""
    bar = alt.Chart(alt.NamedData(name="staven")).mark_bar().encode(
        y=alt.Y("categorie:N", sort="-x", title=None),
        x=alt.X("waarde:Q", title=x_title),
        color=alt.Color("eigen:N", legend=None,
                        scale=alt.Scale(domain=[False, True], range=["#9ecae1", REALISED])),
        tooltip=[alt.Tooltip("categorie:N", title=" "), alt.Tooltip("waarde:Q", title=x_title)],
    )
    layers = [bar]
    if with_reference:
        rule = alt.Chart(alt.NamedData(name="referentie"))
        layers.append(rule.mark_rule(color=TARGET, strokeDash=[6, 4], strokeWidth=2).encode(
            x="ref:Q", tooltip=[alt.Tooltip("label:N", title=" ")]))
    return json.dumps(alt.layer(*layers).properties(width=width, height=height).to_dict(
        validate=VALIDATE))
