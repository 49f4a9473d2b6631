"""Charts, maps and table exports for pages and reports; no models.

* `tables`: `Table`, the one shape every figure on a page has (rows, columns, source note);
  it is what the page shows as HTML, what the exports write and what charts draw from.
* `exports`: a `Table` as CSV (formula prefixes neutralised) or XLSX (openpyxl).
* `vega`: Vega-Lite specs built with Altair (trend with target line, bars).
* `render`: a Vega-Lite spec to SVG on the server with vl-convert-python (offline, cached).
* `scales`: classed, colour-blind-safe colour scales and the ranking colours.
* `geometry`, `labels`: RD New to SVG frames and label placement (shared by the
  choropleths, the hotspot map and the area-scan map).
* `choropleth`: an SVG map of areas coloured by class, with legend, text alternative and,
  only when the caller passes them, points.

Callers hand in figures that are already scoped and suppressed (`monitoring.queries`,
`organisations.scope`): nothing here reads data on its own, except boundaries.
"""
