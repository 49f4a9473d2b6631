// The forecast map of /voorspellingen/ (decision 0043): the cells of the method users may
// see from /api/v1/forecasts (scoped on the server), coloured by the top 1 % / 5 % of the
// area and by the forecast; a click asks /api/v1/forecasts/cells/<cell> for the
// explanation. A second layer (the radio buttons "per cel / per wijk", decision 0056) draws
// the same forecast summed per wijk from /api/v1/forecasts?per=wijk. MapLibre GL JS from npm, served by Knooppunt; no online tiles. Everything
// from data is written with textContent, never as HTML.

const config = JSON.parse(document.getElementById("forecast-config").textContent);
const text = config.text;
const statusLine = document.getElementById("forecast-status");
const reasonLine = document.getElementById("forecast-reason");
const legend = document.getElementById("forecast-legend");
const explanation = document.getElementById("forecast-explanation-body");
const wijkTable = document.querySelector("#forecast-wijken tbody");
const outsideLine = document.getElementById("forecast-outside");
const WIJK_FILLS = ["#f7fcf5", "#a1d99b", "#238b45"];
const decisionCell = document.getElementById("decision-cell");
const lang = config.language === "en" ? "en" : "nl";

const TOP1 = "#b2182b";
const TOP5 = "#ef8a62";
const FILLS = ["#ffffff", "#fddbc7", "#f4a582"];
// For the browser test: what was drawn and clicked (no eval under the policy).
const probe = (window.__kpForecast = { ready: false, errors: [] });

function say(message) { statusLine.textContent = message; }

function params() {
  const q = config.query;
  const p = new URLSearchParams({ area: q.area, horizon: String(q.horizon), cellSize: String(q.cellSize) });
  // The target: a theme's signals, or police incidents (a dataset, optionally one offence).
  if (q.theme) { p.set("theme", q.theme); } else { p.set("incidents", q.incidents); }
  if (q.offence) { p.set("offence", q.offence); }
  if (q.month) { p.set("month", q.month); }
  return p;
}

async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const reason = (body.invalidParams && body.invalidParams[0] && body.invalidParams[0].reason) || body.detail || body.title || response.status;
    throw new Error(String(reason));
  }
  return body;
}

function element(tag, content, className) {
  const node = document.createElement(tag);
  if (content !== undefined) { node.textContent = content; }
  if (className) { node.className = className; }
  return node;
}

function swatch(colour, label) {
  const item = element("li");
  const mark = element("span", undefined, "map-legend__box");
  mark.style.backgroundColor = colour;
  item.append(mark, element("span", label));
  return item;
}

function number(value) {
  return value === null || value === undefined ? "–" : Number(value).toLocaleString(lang === "en" ? "en-GB" : "nl-NL", { maximumFractionDigits: 3 });
}

function describe(answer) {
  const parts = [`${text.method} ${answer.method}.`, answer.reason[lang]];
  reasonLine.textContent = parts.join(" ");
  const meta = element("p");
  meta.textContent = `${text.period} ${answer.period}. ${text.data} ${answer.dataVersion}. ${text.evaluation} ${answer.evaluatedAt || text.none}.`;
  reasonLine.append(document.createElement("br"), meta);
  if (answer.comparison) {
    const c = answer.comparison["0.05"] || {};
    const pct = (v) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)} %`);
    reasonLine.append(element("p", text.compared.replace("%(events)s", answer.comparison.events).replace("%(hit5)s", pct(c.hitRate)).replace("%(pai5)s", number(c.pai)).replace("%%", "%")));
  }
  if (answer.refusal) {
    const refused = element("strong", `${text.refused} ${answer.refusal[lang]}`);
    refused.setAttribute("role", "alert");
    reasonLine.prepend(refused, document.createElement("br"));
  }
}

function fillWijken(rows) {
  wijkTable.replaceChildren();
  const sorted = [...rows].sort((a, b) => (b.share ?? -1) - (a.share ?? -1));
  for (const row of sorted) {
    const tr = element("tr");
    tr.append(element("th", row.name), element("td", row.share === null ? "–" : `${(row.share * 100).toFixed(1)} %`), element("td", number(row.forecast)), element("td", number(row.cells)));
    tr.firstChild.setAttribute("scope", "row");
    wijkTable.append(tr);
  }
}

function showExplanation(body) {
  explanation.replaceChildren();
  explanation.append(element("h4", text.cell.replace("%(id)s", body.cell)));
  const facts = element("dl", undefined, "forecast-facts");
  const add = (term, value) => { facts.append(element("dt", term), element("dd", value)); };
  add(text.forecast, `${number(body.forecast)} (${body.method})`);
  add(text.period, body.period);
  explanation.append(facts);
  explanation.append(element("h5", text.baselines));
  const methods = element("ul", undefined, "forecast-methods");
  for (const [name, value] of Object.entries(body.methods)) { methods.append(element("li", `${name}: ${number(value)}`)); }
  explanation.append(methods);
  if (!body.learned) { explanation.append(element("p", text.noLearned)); return; }
  explanation.append(element("h5", text.contributions));
  if (!body.learned.shown) { explanation.append(element("p", text.learnedNotShown)); }
  const list = element("ol", undefined, "forecast-contributions");
  for (const c of body.learned.contributions) {
    const sign = c.contribution > 0 ? "+" : "";
    list.append(element("li", `${c.label[lang]} (${c.feature}, ${text.value} ${number(c.value)}): ${sign}${number(c.contribution)}`));
  }
  explanation.append(list);
  if (decisionCell) { decisionCell.value = body.cell; }
}

async function main() {
  let maplibregl;
  try {
    maplibregl = await import(config.maplibre);
  } catch (error) {
    say(text.noLibrary);
    probe.errors.push(String(error));
    return;
  }
  say(text.loading);
  let answer;
  try {
    answer = await getJSON(`${config.api.forecast}?${params()}`);
  } catch (error) {
    say(`${text.error} ${error.message}`);
    probe.errors.push(error.message);
    probe.refused = error.message;
    return;
  }
  describe(answer);
  fillWijken(answer.wijken);
  const values = answer.features.map((f) => f.properties.forecast).filter((v) => v > 0);
  const high = values.length ? Math.max(...values) : 1;
  const lngs = [];
  const lats = [];
  for (const f of answer.features) {
    for (const [lng, lat] of f.geometry.coordinates[0]) { lngs.push(lng); lats.push(lat); }
  }
  const map = new maplibregl.Map({
    container: "forecast-map",
    style: { version: 8, sources: {}, layers: [{ id: "background", type: "background", paint: { "background-color": "#f6f6f2" } }] },
    bounds: [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)],
    fitBoundsOptions: { padding: 16 },
    canvasContextAttributes: { preserveDrawingBuffer: true },
    attributionControl: false,
    dragRotate: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));
  await new Promise((resolve) => map.on("load", resolve));
  map.addSource("cells", { type: "geojson", data: answer });
  map.addLayer({
    id: "cells-fill", type: "fill", source: "cells",
    paint: {
      "fill-color": ["match", ["get", "top"], "1", TOP1, "5", TOP5,
        ["interpolate", ["linear"], ["get", "forecast"], 0, FILLS[0], high / 4, FILLS[1], high, FILLS[2]]],
      "fill-opacity": 0.85, "fill-outline-color": "#dddddd",
    },
  });
  const cellLegend = [swatch(TOP1, text.top1), swatch(TOP5, text.top5), swatch(FILLS[1], text.rest)];
  // A past period: the cells where the user's signals fell, outlined over the forecast.
  if (config.query.month) {
    map.addLayer({ id: "cells-actual", type: "line", source: "cells", filter: [">", ["coalesce", ["get", "actual"], 0], 0], paint: { "line-color": "#1f2933", "line-width": 2.5 } });
    const mark = swatch("#ffffff", text.actual);
    mark.firstChild.style.outline = "2.5px solid #1f2933";
    cellLegend.push(mark);
  }
  legend.replaceChildren(...cellLegend);
  // The wijk layer: the same forecast summed per wijk, coloured by its share of the total.
  let wijkLegend = [];
  try {
    const wijken = await getJSON(`${config.api.forecast}?${params()}&per=wijk`);
    const highest = Math.max(0.0001, ...wijken.features.map((f) => f.properties.share || 0));
    map.addSource("wijken", { type: "geojson", data: wijken });
    map.addLayer({ id: "wijken-fill", type: "fill", source: "wijken", layout: { visibility: "none" },
      paint: { "fill-color": ["interpolate", ["linear"], ["coalesce", ["get", "share"], 0], 0, WIJK_FILLS[0], highest / 2, WIJK_FILLS[1], highest, WIJK_FILLS[2]], "fill-opacity": 0.8 } });
    map.addLayer({ id: "wijken-line", type: "line", source: "wijken", layout: { visibility: "none" }, paint: { "line-color": "#555555", "line-width": 1 } });
    wijkLegend = [swatch(WIJK_FILLS[0], text.wijkLow), swatch(WIJK_FILLS[2], text.wijkHigh.replace("%(share)s", `${(highest * 100).toFixed(1)} %`))];
    const out = wijken.outsideWijken;
    outsideLine.textContent = text.outside.replace("%(cells)s", out.cells).replace("%(forecast)s", number(out.forecast)).replace("%(total)s", number(out.total));
    probe.wijken = wijken;
  } catch (error) {
    probe.errors.push(error.message);
  }
  for (const radio of document.querySelectorAll("input[name=forecast-layer]")) {
    radio.addEventListener("change", () => {
      const wijk = radio.value === "wijken" && radio.checked;
      if (!map.getLayer("wijken-fill")) { return; }
      map.setLayoutProperty("wijken-fill", "visibility", wijk ? "visible" : "none");
      map.setLayoutProperty("wijken-line", "visibility", wijk ? "visible" : "none");
      map.setLayoutProperty("cells-fill", "visibility", wijk ? "none" : "visible");
      legend.replaceChildren(...(wijk ? wijkLegend : cellLegend));
      probe.layer = wijk ? "wijken" : "cells";
    });
  }
  const popup = new maplibregl.Popup({ closeButton: true });
  async function explain(cellId, lngLat) {
    try {
      const body = await getJSON(`${config.api.cell}${encodeURIComponent(cellId)}?${params()}`);
      showExplanation(body);
      probe.explained = body;
      popup.setLngLat(lngLat).setDOMContent(element("p", `${text.cell.replace("%(id)s", cellId)}: ${number(body.forecast)}`)).addTo(map);
    } catch (error) {
      explanation.replaceChildren(element("p", `${text.error} ${error.message}`));
      probe.errors.push(error.message);
    }
  }
  // The cell under a point: the drawn feature, or (before the new view is drawn) the cell
  // whose ring holds it.
  function cellAt(point, lngLat) {
    const hit = map.queryRenderedFeatures(point, { layers: ["cells-fill"] })[0];
    if (hit) { return hit.properties.id; }
    const found = answer.features.find((f) => {
      const ring = f.geometry.coordinates[0];
      const lngs = ring.map((c) => c[0]);
      const lats = ring.map((c) => c[1]);
      return lngLat.lng >= Math.min(...lngs) && lngLat.lng <= Math.max(...lngs) &&
        lngLat.lat >= Math.min(...lats) && lngLat.lat <= Math.max(...lats);
    });
    return found ? found.id : null;
  }
  map.on("click", (event) => {
    probe.clicked = (probe.clicked || 0) + 1;
    const id = cellAt(event.point, event.lngLat);
    if (id) { explain(id, event.lngLat); }
  });
  map.on("mouseenter", "cells-fill", () => { map.getCanvas().style.cursor = "pointer"; });
  map.on("mouseleave", "cells-fill", () => { map.getCanvas().style.cursor = ""; });
  probe.map = map;
  probe.answer = answer;
  probe.explain = explain;
  map.once("idle", () => {
    probe.ready = true;
    say(`${text.cells.replace("%(n)s", answer.features.length)} ${text.clickCell}`);
  });
}

main();
