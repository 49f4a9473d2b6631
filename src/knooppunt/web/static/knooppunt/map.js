// The interactive map of /kaart/ (decision 0036): MapLibre GL JS from npm, served by
// Knooppunt; layers from /api/v1/map/... (scoped, suppressed, logged on the server).
// No online tiles: without a configured base map the areas lie on a plain background.
// Popups are built with textContent only, never HTML from data.

const config = JSON.parse(document.getElementById("map-config").textContent);
const form = document.getElementById("map-controls");
const statusLine = document.getElementById("map-status");
const legend = document.getElementById("map-legend");
const text = config.text;

const OUTSIDE = "#e4e4e4";
const ZERO = "#ffffff";
const SUPPRESSED = "#eef3fa";
const CLASS_FILLS = ["#d3e1f1", "#93b4da", "#4c7fbd", "#1d4e89"];
const GRID_FILLS = ["#fde0c5", "#facba6", "#f59e72", "#e35a3d"];
const NICE_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000];
const HOTSPOT_CLEAR = "#f0f0f0";
// The forecast layer: the forecast page's colours (top 1 %, top 5 %, the rest above 0).
const FORECAST_FILLS = { 1: "#b2182b", 5: "#ef8a62", rest: "#fddbc7" };
const hotspotColour = ["match", ["get", "class"]];
for (const c of config.hotspotClasses) { if (c.class !== 0) { hotspotColour.push(c.class, c.colour); } }
hotspotColour.push(HOTSPOT_CLEAR);
const hotspotLabel = Object.fromEntries(config.hotspotClasses.map((c) => [c.class, c.label]));
const methodLine = document.getElementById("map-method");
const vulnerableColour = ["match", ["get", "class"]];
for (const c of config.vulnerableClasses) { vulnerableColour.push(c.class, c.colour); }
vulnerableColour.push("#bbbbbb");
const vulnerableLabel = Object.fromEntries(config.vulnerableClasses.map((c) => [c.class, c.label]));
const themeColour = Object.fromEntries(config.themes.map((t) => [t.code, t.colour]));
const categoryName = Object.fromEntries(config.eventCategories.map((c) => [c.code, c.name]));
// The point layers, bottom to top, and the checkbox that switches each on.
const POINT_LAYERS = ["signals", "events", "cases"];
const POINT_FIELDS = { signals: "points", events: "events", cases: "cases" };

// Timings for benchmarks/map_benchmark.py and the browser test (performance.now(), ms).
const probe = (window.__kpMap = { timings: {}, layers: {}, errors: [] });

function say(message) { statusLine.textContent = message; }

// At most four classes of round width from `start` up to `maximum` (as the SVG maps).
function classes(maximum, start, fills) {
  if (maximum < Math.max(start, 1)) { return []; }
  const span = maximum - start + 1;
  let step = NICE_STEPS.find((s) => s * fills.length >= span) || NICE_STEPS.at(-1);
  step = Math.max(step, Math.ceil(span / fills.length));
  const result = [];
  let low = start;
  for (const fill of fills) {
    const high = low + step - 1;
    result.push({ low, high, fill });
    if (high >= maximum) { break; }
    low = high + 1;
  }
  return result;
}

function stepExpression(property, found, fallback) {
  const expression = ["step", ["to-number", ["get", property], 0], ZERO];
  for (const c of found) { expression.push(c.low, c.fill); }
  return found.length ? ["case", ["==", ["get", property], null], fallback, expression] : ZERO;
}

function query(extra = {}) {
  const data = new FormData(form);
  const params = new URLSearchParams();
  if (data.get("months") === "linked") { // the period of the hotspot page's link
    params.set("from", config.hotspotRequest.start);
    params.set("to", config.hotspotRequest.end);
  } else {
    const months = Number(data.get("months") || 12);
    const to = new Date();
    const from = new Date(to);
    from.setMonth(from.getMonth() - months);
    params.set("from", from.toISOString().slice(0, 10));
    params.set("to", to.toISOString().slice(0, 10));
  }
  if (data.get("theme")) { params.set("theme", data.get("theme")); }
  for (const [key, value] of Object.entries(extra)) { params.set(key, value); }
  return params.toString();
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

async function getPoints(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/vnd.knooppunt.points, application/json" } });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const reason = (body.invalidParams && body.invalidParams[0] && body.invalidParams[0].reason) || body.detail || body.title || response.status;
    throw new Error(String(reason));
  }
  return readPoints(await response.arrayBuffer());
}

function baseStyle() {
  const style = { version: 8, sources: {}, layers: [{ id: "background", type: "background", paint: { "background-color": "#f6f6f2" } }] };
  if (config.basemap && config.basemap.includes("{z}")) {
    style.sources.basemap = { type: "raster", tiles: [config.basemap], tileSize: 256 };
    style.layers.push({ id: "basemap", type: "raster", source: "basemap" });
  } else if (config.basemap) {
    return config.basemap; // a MapLibre style document
  }
  return style;
}

// shape: "box" (an area or cell), "dot", "square" or "diamond" (the point layers' forms)
function swatch(colour, label, shape = "box") {
  const item = document.createElement("li");
  const mark = document.createElement("span");
  mark.className = `map-legend__${shape}`;
  mark.dataset.colour = colour;
  const name = document.createElement("span");
  name.textContent = label;
  item.append(mark, name);
  return item;
}

function legendBlock(title, items) {
  const block = document.createElement("div");
  block.className = "map-legend__block";
  const heading = document.createElement("p");
  heading.className = "map-legend__title";
  heading.textContent = title;
  const list = document.createElement("ul");
  list.append(...items);
  block.append(heading, list);
  return block;
}

function classLabel(c) { return c.low === c.high ? String(c.low) : `${c.low}–${c.high}`; }

const state = { areaClasses: [], gridClasses: [], suppressed: false, points: {} };

function drawLegend() {
  const data = new FormData(form);
  const blocks = [];
  if (data.get("areas") || data.get("wijken")) {
    const measure = data.get("measure") === "cases" ? text.cases : text.signals;
    const items = [swatch(ZERO, "0"), ...state.areaClasses.map((c) => swatch(c.fill, classLabel(c)))];
    if (state.suppressed) { items.push(swatch(SUPPRESSED, text.suppressed)); }
    items.push(swatch(OUTSIDE, text.outside));
    blocks.push(legendBlock(measure, items));
  }
  if (data.get("grid")) {
    blocks.push(legendBlock(text.cell.replace("%(size)s", data.get("size")),
      state.gridClasses.map((c) => swatch(c.fill, classLabel(c)))));
  }
  if (data.get("hotspots")) {
    blocks.push(legendBlock(text.hotspots, config.hotspotClasses.map((c) => swatch(c.colour, c.label))));
  }
  if (data.get("forecast")) {
    blocks.push(legendBlock(text.forecast, [swatch(FORECAST_FILLS[1], text.forecastTop1),
      swatch(FORECAST_FILLS[5], text.forecastTop5), swatch(FORECAST_FILLS.rest, text.forecastRest)]));
  }
  if (data.get("vulnerable")) {
    blocks.push(legendBlock(text.vulnerable, config.vulnerableClasses.map((c) => swatch(c.colour, c.label, "dot"))));
  }
  if (data.get("points")) {
    blocks.push(legendBlock(text.signalPoints, config.themes.map((t) => swatch(t.colour, t.name, "dot"))));
  }
  if (data.get("events")) {
    blocks.push(legendBlock(text.eventPoints, config.eventCategories.map((c) => swatch(c.colour, c.name, "diamond"))));
  }
  if (data.get("cases")) {
    blocks.push(legendBlock(text.casePoints, config.themes.map((t) => swatch(t.colour, t.name, "square"))));
  }
  legend.replaceChildren(...blocks);
  // Colours through CSSOM (allowed by the policy), not through style attributes.
  legend.querySelectorAll("[data-colour]").forEach((el) => { el.style.backgroundColor = el.dataset.colour; });
}

function popupContent(title, rows, link, linkText = text.open) {
  const box = document.createElement("div");
  box.className = "map-popup";
  const heading = document.createElement("p");
  heading.className = "map-popup__title";
  heading.textContent = title;
  const list = document.createElement("dl");
  for (const [label, value] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = value;
    list.append(dt, dd);
  }
  box.append(heading, list);
  if (link) {
    const a = document.createElement("a");
    a.href = link;
    a.textContent = linkText;
    box.append(a);
  }
  return box;
}

function countText(value) {
  if (value === null) { return `< ${config.threshold}`; }
  return value === 0 ? text.zero : String(value);
}

// Signal points: a WebGL layer of its own instead of a GeoJSON source. A GeoJSON source
// tiles every point in a worker before the first frame (seconds for 100,000 points in
// Chromium's software renderer); here the points go to the GPU as one buffer and are
// drawn in one call, and a click finds the nearest point with a plain search.
const POINT_VERTEX = `#version 300 es
uniform mat4 u_matrix;
uniform float u_size;
in vec2 a_pos;
in vec4 a_colour;
out vec4 v_colour;
void main() {
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
  gl_PointSize = u_size;
  v_colour = a_colour;
}`;
// u_shape: 0 a dot (signals), 1 a square (cases), 2 a diamond (police incidents), so
// the layers differ by form as well as colour.
const POINT_FRAGMENT = `#version 300 es
precision mediump float;
uniform float u_edge;
uniform int u_shape;
in vec4 v_colour;
out vec4 colour;
void main() {
  vec2 d = abs(gl_PointCoord - vec2(0.5)) * 2.0;
  float r = u_shape == 0 ? length(d) : (u_shape == 1 ? max(d.x, d.y) : d.x + d.y);
  if (r > 1.0) { discard; }
  colour = r > 1.0 - u_edge ? vec4(1.0) : v_colour;
}`;
const SHAPES = { signals: 0, cases: 1, events: 2 };

function hexColour(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

const rgb = (colours) => Object.fromEntries(colours.map((c) => [c.code, hexColour(c.colour)]));
const layerColours = { signals: rgb(config.themes), cases: rgb(config.themes), events: rgb(config.eventCategories) };

function mercator(lon, lat) {
  const y = Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return [(lon + 180) / 360, 0.5 - y / (2 * Math.PI)];
}

// The compact answer of /api/v1/map/points/{layer} (web/mappoints.py): "KPP1", count,
// header length, a JSON header, then int32 ids, float32 Web Mercator x,y, uint8 category.
function readPoints(buffer) {
  const view = new DataView(buffer);
  const magic = String.fromCharCode(...new Uint8Array(buffer, 0, 4));
  if (magic !== "KPP1") { throw new Error(text.badPoints); }
  const n = view.getUint32(4, true);
  const length = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 12, length)));
  const start = 12 + length;
  return {
    header,
    ids: new Int32Array(buffer, start, n),
    xy: new Float32Array(buffer, start + 4 * n, 2 * n),
    category: new Uint8Array(buffer, start + 12 * n, n),
  };
}

class PointLayer {
  constructor(id, shape, onDrawn) {
    this.id = id;
    this.shape = shape;
    this.type = "custom";
    this.renderingMode = "2d";
    this.count = 0;
    this.visible = false;
    this.onDrawn = onDrawn;
  }

  onAdd(map, gl) {
    this.map = map;
    this.gl = gl;
    const shader = (kind, source) => {
      const s = gl.createShader(kind);
      gl.shaderSource(s, source);
      gl.compileShader(s);
      return s;
    };
    this.program = gl.createProgram();
    gl.attachShader(this.program, shader(gl.VERTEX_SHADER, POINT_VERTEX));
    gl.attachShader(this.program, shader(gl.FRAGMENT_SHADER, POINT_FRAGMENT));
    gl.linkProgram(this.program);
    this.positions = gl.createBuffer();
    this.colours = gl.createBuffer();
  }

  // The compact columns; `colours` maps a category code to [r, g, b].
  setColumns(points, colours) {
    const n = points.ids.length;
    const rgba = new Uint8Array(n * 4);
    const table = points.header.categories.map((code) => colours[code] || [51, 51, 51]);
    table.push([51, 51, 51]);
    for (let i = 0; i < n; i++) {
      const c = table[points.category[i]] || table.at(-1);
      rgba[4 * i] = c[0];
      rgba[4 * i + 1] = c[1];
      rgba[4 * i + 2] = c[2];
      rgba[4 * i + 3] = 255;
    }
    this.upload(points.xy, rgba, points.ids);
  }

  upload(pos, colours, ids) {
    const gl = this.gl;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.positions);
    gl.bufferData(gl.ARRAY_BUFFER, pos, gl.STATIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.colours);
    gl.bufferData(gl.ARRAY_BUFFER, colours, gl.STATIC_DRAW);
    this.pos = pos;
    this.ids = ids;
    this.count = ids.length;
    this.pending = true;
    this.map.triggerRepaint();
  }

  // features: GeoJSON points with id and properties.theme (/api/v1/map/signals; the
  // benchmark's baseline draws them this way)
  setData(features) {
    const n = features.length;
    const pos = new Float32Array(n * 2);
    const colours = new Uint8Array(n * 4);
    const ids = new Float64Array(n);
    const palette = Object.fromEntries(Object.entries(themeColour).map(([k, v]) => [k, hexColour(v)]));
    const other = [51, 51, 51];
    for (let i = 0; i < n; i++) {
      const f = features[i];
      const [x, y] = mercator(f.geometry.coordinates[0], f.geometry.coordinates[1]);
      pos[2 * i] = x;
      pos[2 * i + 1] = y;
      const c = palette[f.properties.theme] || other;
      colours.set(c, 4 * i);
      colours[4 * i + 3] = 255;
      ids[i] = f.id;
    }
    this.upload(pos, colours, ids);
  }

  show(on) {
    this.visible = on;
    this.map.triggerRepaint();
  }

  size() {
    const zoom = this.map.getZoom();
    return Math.min(12, Math.max(3, 3 + (zoom - 9) * 1.2)) * (window.devicePixelRatio || 1);
  }

  render(gl, args) {
    if (!this.visible) { return; }
    if (!this.count) { // an empty layer is "drawn" at once: say so
      if (this.pending) { this.pending = false; this.onDrawn(0); }
      return;
    }
    gl.useProgram(this.program);
    gl.uniformMatrix4fv(gl.getUniformLocation(this.program, "u_matrix"), false,
      args.defaultProjectionData.mainMatrix);
    const size = this.size();
    gl.uniform1f(gl.getUniformLocation(this.program, "u_size"), size);
    gl.uniform1f(gl.getUniformLocation(this.program, "u_edge"), size > 6 ? 2.0 / size : 0.0);
    gl.uniform1i(gl.getUniformLocation(this.program, "u_shape"), this.shape);
    const attribute = (name, buffer, width, type, normalised) => {
      const at = gl.getAttribLocation(this.program, name);
      gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
      gl.enableVertexAttribArray(at);
      gl.vertexAttribPointer(at, width, type, normalised, 0, 0);
    };
    attribute("a_pos", this.positions, 2, gl.FLOAT, false);
    attribute("a_colour", this.colours, 4, gl.UNSIGNED_BYTE, true);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.drawArrays(gl.POINTS, 0, this.count);
    if (this.pending) {
      gl.finish(); // the first frame with these points is drawn: time it
      this.pending = false;
      this.onDrawn(this.count);
    }
  }

  // The point nearest to a screen position, within `radius` pixels: its index or -1.
  nearest(map, point, radius) {
    if (!this.visible || !this.count) { return -1; }
    const lngLat = map.unproject(point);
    const [mx, my] = mercator(lngLat.lng, lngLat.lat);
    const worldPixels = 512 * 2 ** map.getZoom();
    const limit = (Math.max(radius, this.size() / (window.devicePixelRatio || 1) / 2 + 2) / worldPixels) ** 2;
    let best = -1;
    let bestDistance = limit;
    const pos = this.pos;
    for (let i = 0; i < this.count; i++) {
      const dx = pos[2 * i] - mx;
      const dy = pos[2 * i + 1] - my;
      const d = dx * dx + dy * dy;
      if (d <= bestDistance) { bestDistance = d; best = i; }
    }
    return best;
  }

  lngLat(index) {
    const x = this.pos[2 * index];
    const y = this.pos[2 * index + 1];
    const lon = x * 360 - 180;
    const lat = (360 / Math.PI) * Math.atan(Math.exp((0.5 - y) * 2 * Math.PI)) - 90;
    return [lon, lat];
  }
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
  const map = new maplibregl.Map({
    container: "kp-map",
    style: baseStyle(),
    bounds: config.bounds || [3.2, 50.7, 7.3, 53.7],
    fitBoundsOptions: { padding: 16 },
    canvasContextAttributes: { preserveDrawingBuffer: true }, // so the page prints
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
  });
  probe.map = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));
  const canvas = map.getCanvas();
  canvas.setAttribute("aria-label", document.getElementById("kp-map").getAttribute("aria-label"));
  const popup = new maplibregl.Popup({ closeButton: true, maxWidth: "22rem" });
  await new Promise((resolve) => map.on("load", resolve));

  const empty = { type: "FeatureCollection", features: [] };
  map.addSource("areas", { type: "geojson", data: empty });
  map.addSource("grid", { type: "geojson", data: empty });
  map.addLayer({ id: "areas-fill", type: "fill", source: "areas", paint: { "fill-color": OUTSIDE, "fill-opacity": 0.85 } });
  map.addLayer({ id: "areas-line", type: "line", source: "areas", paint: { "line-color": "#4a4a4a", "line-width": ["case", ["get", "own"], 1.4, 0.6] } });
  map.addSource("hotspots", { type: "geojson", data: empty });
  map.addLayer({ id: "hotspots-fill", type: "fill", source: "hotspots", layout: { visibility: "none" }, paint: { "fill-color": hotspotColour, "fill-opacity": ["case", ["==", ["get", "class"], 0], 0.35, 0.85], "fill-outline-color": "#ffffff" } });
  map.addLayer({ id: "grid-fill", type: "fill", source: "grid", layout: { visibility: "none" }, paint: { "fill-color": GRID_FILLS[0], "fill-opacity": 0.8, "fill-outline-color": "#ffffff" } });
  // The forecast of next month (decisions 0043, 0057): cells above 0, by top class.
  map.addSource("forecast", { type: "geojson", data: empty });
  map.addLayer({ id: "forecast-fill", type: "fill", source: "forecast", layout: { visibility: "none" },
    filter: [">", ["get", "forecast"], 0],
    paint: { "fill-color": ["match", ["get", "top"], "1", FORECAST_FILLS[1], "5", FORECAST_FILLS[5], FORECAST_FILLS.rest],
      "fill-opacity": 0.8, "fill-outline-color": "#ffffff" } });
  // Vulnerable places (decision 0041): circles by score class, above the cells.
  map.addSource("vulnerable", { type: "geojson", data: empty });
  map.addLayer({ id: "vulnerable-circle", type: "circle", source: "vulnerable", layout: { visibility: "none" },
    paint: { "circle-color": vulnerableColour, "circle-radius": ["interpolate", ["linear"], ["zoom"], 8, 3, 14, 8],
      "circle-stroke-color": "#ffffff", "circle-stroke-width": 1 } });
  // Point layers: signals (dots), police incidents (diamonds), cases (squares).
  const pointLayers = {};
  for (const layer of POINT_LAYERS) {
    pointLayers[layer] = new PointLayer(`points-${layer}`, SHAPES[layer], (count) => pointsDrawn(layer, count));
    map.addLayer(pointLayers[layer]);
  }
  probe.points = pointLayers.signals;
  probe.pointLayers = pointLayers;
  probe.query = query; // the benchmark asks the GeoJSON baseline with the same period

  const visible = (layer, on) => {
    if (layer in pointLayers) { pointLayers[layer].show(on); return; }
    map.setLayoutProperty(layer, "visibility", on ? "visible" : "none");
  };

  async function loadAreas() {
    const data = new FormData(form);
    const level = data.get("wijken") ? "wijk" : "gemeente";
    const showAreas = Boolean(data.get("areas") || data.get("wijken"));
    visible("areas-fill", showAreas);
    visible("areas-line", showAreas);
    if (!showAreas) { drawLegend(); return; }
    try {
      const areas = await getJSON(`${config.api.areas}?${query({ level })}`);
      const measure = data.get("measure") === "cases" && level === "gemeente" ? "cases" : "signals";
      const own = areas.features.filter((f) => f.properties.own);
      const values = own.map((f) => f.properties[measure]).filter((v) => v !== null && v !== undefined);
      state.suppressed = own.some((f) => f.properties[measure] === null);
      state.areaClasses = classes(Math.max(0, ...values), state.suppressed ? config.threshold : 1, CLASS_FILLS);
      map.setPaintProperty("areas-fill", "fill-color",
        ["case", ["!", ["get", "own"]], OUTSIDE, stepExpression(measure, state.areaClasses, SUPPRESSED)]);
      map.getSource("areas").setData(areas);
      state.measure = measure;
    } catch (error) {
      say(`${text.error} ${error.message}`);
    }
    drawLegend();
  }

  let gridTimer = null;
  async function loadGrid() {
    const data = new FormData(form);
    visible("grid-fill", Boolean(data.get("grid")));
    if (!data.get("grid")) { drawLegend(); return; }
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
    try {
      const grid = await getJSON(`${config.api.grid}?${query({ size: data.get("size"), bbox })}`);
      const counts = grid.features.map((f) => f.properties.count);
      state.gridClasses = classes(Math.max(0, ...counts), config.threshold, GRID_FILLS);
      map.setPaintProperty("grid-fill", "fill-color", stepExpression("count", state.gridClasses, SUPPRESSED));
      map.getSource("grid").setData(grid);
    } catch (error) {
      map.getSource("grid").setData(empty);
      say(`${text.error} ${error.message}`);
    }
    drawLegend();
  }

  // Hotspots: /api/v1/hotspots with the hotspot page's request when the map was opened
  // from it (source, kernel, step, points: `config.hotspotRequest`, made by
  // analytics.hotspot_request), and the map's own area, theme, period and cell size; the
  // service decides what this user gets (exact counts, z and p, or aggregates only).
  async function loadHotspots() {
    const data = new FormData(form);
    const on = Boolean(data.get("hotspots"));
    visible("hotspots-fill", on);
    methodLine.hidden = !on;
    if (!on) { drawLegend(); return; }
    const fromTo = new URLSearchParams(query());
    const params = new URLSearchParams(config.hotspotRequest || {});
    params.set("area", data.get("hotspotArea"));
    params.set("cellSize", data.get("size"));
    params.set("start", fromTo.get("from"));
    params.set("end", fromTo.get("to"));
    if ((params.get("points") || "signals") === "signals") { // a theme is of signals only
      if (data.get("theme")) { params.set("theme", data.get("theme")); } else { params.delete("theme"); }
    }
    probe.hotspotRequest = params.toString(); // for the tests
    say(text.hotspotsLoading);
    try {
      const cells = await getJSON(`${config.api.hotspots}?${params}`);
      map.getSource("hotspots").setData(cells);
      methodLine.textContent = `${text.method} ${cells.method.text}`;
      probe.hotspotCells = cells.features.length;
      probe.hotspotFeatures = cells.features; // for the browser test
      map.once("idle", () => { probe.timings.hotspotsRendered = performance.now(); });
      say("");
    } catch (error) {
      map.getSource("hotspots").setData(empty);
      methodLine.textContent = "";
      say(`${text.error} ${error.message}`);
    }
    drawLegend();
  }

  // The forecast layer: /api/v1/forecasts for the map's theme (or incidents dataset with
  // at most one code), the hotspot area and the forecast page's cell size; the server
  // decides what this user may see and which method is shown (the evaluation's rule).
  let forecastTarget = null;
  async function loadForecast() {
    const data = new FormData(form);
    const on = Boolean(data.get("forecast")) && Boolean(config.api.forecast);
    visible("forecast-fill", on);
    if (!on) { drawLegend(); return; }
    const codes = String(data.get("codes") || "").split(",").map((c) => c.trim()).filter(Boolean);
    // The forecast page's default cell size, which the scheduled evaluations use.
    const params = new URLSearchParams({ area: data.get("hotspotArea"), cellSize: String(config.forecastCellSize) });
    if (data.get("theme")) {
      params.set("theme", data.get("theme"));
    } else if (data.get("dataset") && codes.length <= 1) {
      params.set("incidents", data.get("dataset"));
      if (codes.length) { params.set("offence", codes[0]); }
    } else {
      map.getSource("forecast").setData(empty);
      say(text.forecastNeedsTarget);
      drawLegend();
      return;
    }
    probe.forecastRequest = params.toString(); // for the tests
    say(text.forecastLoading);
    try {
      const answer = await getJSON(`${config.api.forecast}?${params}`);
      map.getSource("forecast").setData(answer);
      forecastTarget = { answer, params };
      probe.forecast = answer;
      say(text.forecastLoaded.replace("%(period)s", answer.period)
        .replace("%(target)s", answer.target.label).replace("%(method)s", answer.method));
    } catch (error) {
      map.getSource("forecast").setData(empty);
      forecastTarget = null;
      say(`${text.error} ${error.message}`);
    }
    drawLegend();
  }

  function forecastPopup(p, lngLat) {
    const { answer, params } = forecastTarget;
    const page = new URLSearchParams({ doel: params.get("theme") || ["incidenten", params.get("incidents"), params.get("offence")].filter(Boolean).join(":"),
      gebied: params.get("area"), cel: params.get("cellSize") });
    const top = p.top === "1" ? text.forecastTop1 : p.top === "5" ? text.forecastTop5 : text.forecastRest;
    popup.setLngLat(lngLat).setDOMContent(popupContent(text.forecastCell.replace("%(id)s", p.id), [
      [text.forecastValue, String(p.forecast)], [text.forecastClass, top],
      [text.forecastMethod, answer.method], [text.forecastPeriod, answer.period]],
    `${config.api.forecastPage}?${page}`, text.openForecast)).addTo(map);
  }

  // Vulnerable places of one municipality: only list readers get the checkbox; the
  // server decides again (403 for anyone else) and logs the addresses shown.
  const vulnerableById = new Map();
  async function loadVulnerable() {
    const data = new FormData(form);
    const on = Boolean(data.get("vulnerable"));
    visible("vulnerable-circle", on);
    if (!on) { drawLegend(); return; }
    say(text.vulnerableLoading);
    try {
      const params = new URLSearchParams({ municipality: data.get("vulnerableMunicipality") });
      const places = await getJSON(`${config.api.vulnerable}?${params}`);
      vulnerableById.clear();
      for (const f of places.features) { vulnerableById.set(f.id, f); }
      map.getSource("vulnerable").setData(places);
      probe.vulnerableFeatures = places.features; // for the browser test
      say(text.vulnerableLoaded.replace("%(n)s", places.features.length.toLocaleString()));
    } catch (error) {
      map.getSource("vulnerable").setData(empty);
      say(`${text.error} ${error.message}`);
    }
    drawLegend();
  }

  // The popup of a place: its class, score, reasons with their contribution and the
  // latest visit step, from the layer's own answer (no second request).
  function vulnerablePopup(id) {
    const f = vulnerableById.get(id);
    const p = f.properties;
    const reasons = p.reasons.length
      ? p.reasons.map((r) => `${r.label}: ${r.value} (×${r.times.toLocaleString()})`).join("; ")
      : text.noReasons;
    const visit = p.visit ? `${p.visit.stepLabel} (${p.visit.outcomeLabel}), ${p.visit.on}` : text.notVisited;
    const link = `${config.vulnerableList}?gemeente=${encodeURIComponent(new FormData(form).get("vulnerableMunicipality"))}#plek-${f.id}`;
    return popupContent(text.vulnerablePlace.replace("%(rank)s", p.rank), [[text.place, p.address],
      [text.vulnerableClass, vulnerableLabel[p.class] ?? String(p.class)],
      [text.vulnerableScore, p.score.toLocaleString()], [text.usage, p.usage],
      [text.reasons, reasons], [text.visitState, visit]].filter((r) => r[1]), link, text.openList);
  }

  // One point layer from /api/v1/map/points/{layer} in the compact form.
  async function loadPoints(layer) {
    const data = new FormData(form);
    const on = Boolean(data.get(POINT_FIELDS[layer])) && Boolean(config.api.points);
    visible(layer, on);
    if (!on) { drawLegend(); return; }
    const extra = {};
    if (layer === "events") {
      if (data.get("dataset")) { extra.dataset = data.get("dataset"); }
      if (String(data.get("codes") || "").trim()) { extra.code = String(data.get("codes")).trim(); }
    }
    const params = new URLSearchParams(query(extra));
    if (layer === "events") { params.delete("theme"); }
    const timings = (probe.layers[layer] = { requested: performance.now() });
    if (layer === "signals") { probe.timings.pointsRequested = timings.requested; }
    try {
      const points = await getPoints(`${config.api.points}${layer}?${params}`);
      timings.fetched = performance.now();
      if (layer === "signals") { probe.timings.pointsFetched = timings.fetched; }
      pointLayers[layer].setColumns(points, layerColours[layer]);
      state.points[layer] = points.ids.length;
    } catch (error) {
      say(`${text.error} ${error.message}`);
    }
    drawLegend();
  }

  function pointsDrawn(layer, count) {
    probe.layers[layer].rendered = performance.now();
    probe.layers[layer].count = count;
    if (layer === "signals") {
      probe.timings.pointsRendered = probe.layers[layer].rendered;
      probe.pointCount = count;
    }
    say(text.loaded[layer].replace("%(n)s", count.toLocaleString()));
  }

  // The popup of a point: each layer asks its own scoped, logged endpoint.
  async function pointPopup(layer, id) {
    if (layer === "events") {
      const e = await getJSON(`${config.api.event}${id}`);
      return popupContent(`${text.event} ${e.id}`, [[text.code, `${e.code} ${e.label}`],
        [text.kind, categoryName[e.category] || e.category],
        [text.occurred, e.hour === null ? e.occurredOn : `${e.occurredOn} ${String(e.hour).padStart(2, "0")}:00`],
        [text.premises, e.premisesType], [text.area, e.areaName], [text.dataset, e.dataset]].filter((r) => r[1]));
    }
    if (layer === "cases") {
      const c = await getJSON(`${config.api.case}${id}`);
      return popupContent(c.reference, [[text.title, c.title], [text.theme, c.theme],
        [text.stage, c.stage], [text.opened, c.openedOn], [text.municipality, c.municipality]].filter((r) => r[1]),
      c.url, text.openCase);
    }
    const s = await getJSON(`${config.api.signal}${id}`);
    return popupContent(s.reference, [[text.theme, s.theme], [text.source, s.source],
      [text.date, s.receivedOn], [text.status, s.status], [text.place, s.address || s.municipality]].filter((r) => r[1]), s.url);
  }

  async function showAt(point, lngLat) {
    // The top layer first: cases are drawn over incidents over signals.
    for (const layer of [...POINT_LAYERS].reverse()) {
      const nearest = pointLayers[layer].nearest(map, point, 6);
      if (nearest < 0) { continue; }
      try {
        const content = await pointPopup(layer, pointLayers[layer].ids[nearest]);
        popup.setLngLat(pointLayers[layer].lngLat(nearest)).setDOMContent(content).addTo(map);
      } catch (error) {
        popup.setLngLat(lngLat).setDOMContent(popupContent(error.message, [])).addTo(map);
      }
      return;
    }
    const places = map.getLayoutProperty("vulnerable-circle", "visibility") === "none" ? []
      : map.queryRenderedFeatures(point, { layers: ["vulnerable-circle"] });
    if (places.length) {
      const f = vulnerableById.get(places[0].id);
      popup.setLngLat(f.geometry.coordinates).setDOMContent(vulnerablePopup(places[0].id)).addTo(map);
      return;
    }
    const hits = map.queryRenderedFeatures(point, { layers: ["forecast-fill", "hotspots-fill", "grid-fill", "areas-fill"].filter((l) => map.getLayoutProperty(l, "visibility") !== "none") });
    const hit = hits[0];
    if (!hit) { popup.setLngLat(lngLat).setDOMContent(popupContent(text.noFeature, [])).addTo(map); return; }
    const p = hit.properties;
    if (hit.layer.id === "forecast-fill" && forecastTarget) { forecastPopup(p, lngLat); return; }
    if (hit.layer.id === "hotspots-fill") {
      const shown = (v) => (v === null || v === undefined ? text.notShown : String(v));
      popup.setLngLat(lngLat).setDOMContent(popupContent(text.hotspotCell.replace("%(id)s", p.id), [
        [text.hotspotCount, countText(p.count ?? null)], ["z", shown(p.z)], ["p", shown(p.p)],
        ["p (FDR)", shown(p.pFdr)], [text.hotspotClass, hotspotLabel[p.class] ?? String(p.class)],
        [text.hotspotTrend, p.category && p.category !== "none" ? p.category : ""]].filter((r) => r[1]))).addTo(map);
      return;
    }
    if (hit.layer.id === "grid-fill") {
      popup.setLngLat(lngLat).setDOMContent(popupContent(text.cell.replace("%(size)s", p.size),
        [[text.signals, countText(p.count)], ["RD", `${p.x}, ${p.y}`]])).addTo(map);
      return;
    }
    const rows = [];
    if (p.own) {
      rows.push([text.signals, countText(p.signals ?? null)]);
      if ("cases" in p) { rows.push([text.cases, countText(p.cases ?? null)]); }
    } else {
      rows.push(["", text.outside]);
    }
    popup.setLngLat(lngLat).setDOMContent(popupContent(p.name, rows)).addTo(map);
  }

  map.on("click", (event) => showAt(event.point, event.lngLat));
  for (const layer of ["vulnerable-circle", "forecast-fill", "hotspots-fill", "grid-fill", "areas-fill"]) {
    map.on("mouseenter", layer, () => { canvas.style.cursor = "pointer"; });
    map.on("mouseleave", layer, () => { canvas.style.cursor = ""; });
  }
  // Keyboard: Enter shows what lies under the cross in the middle of the map.
  canvas.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      const centre = map.project(map.getCenter());
      showAt(centre, map.getCenter());
    } else if (event.key === "Escape") {
      popup.remove();
    }
  });
  map.on("moveend", () => {
    if (!new FormData(form).get("grid")) { return; }
    clearTimeout(gridTimer);
    gridTimer = setTimeout(loadGrid, 250);
  });
  form.addEventListener("change", (event) => {
    const name = event.target.name;
    const pointLayer = POINT_LAYERS.find((layer) => POINT_FIELDS[layer] === name);
    if (pointLayer) { loadPoints(pointLayer); return; }
    if (name === "dataset" || name === "codes") { loadPoints("events"); loadForecast(); return; }
    if (name === "forecast") { loadForecast(); return; }
    if (name === "hotspots") { loadHotspots(); return; }
    if (name === "hotspotArea") { loadHotspots(); loadForecast(); return; }
    if (name === "grid") { loadGrid(); return; }
    if (name === "vulnerable" || name === "vulnerableMunicipality") { loadVulnerable(); return; }
    if (name === "size") { loadGrid(); loadHotspots(); return; }
    if (name === "areas" || name === "wijken" || name === "measure") { loadAreas(); return; }
    loadAreas(); loadGrid(); loadHotspots(); loadForecast();
    for (const layer of POINT_LAYERS) { loadPoints(layer); }
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  document.querySelector("[data-map-print]")?.addEventListener("click", () => window.print());

  await loadAreas();
  map.once("idle", () => {
    probe.timings.areasRendered = performance.now();
    probe.ready = true;
    say("");
  });
  if (new FormData(form).get("grid")) { loadGrid(); }
  for (const layer of POINT_LAYERS) {
    if (new FormData(form).get(POINT_FIELDS[layer])) { loadPoints(layer); }
  }
  if (new FormData(form).get("hotspots")) { loadHotspots(); }
  if (new FormData(form).get("forecast")) { loadForecast(); }
  if (new FormData(form).get("vulnerable")) { loadVulnerable(); }
}

main();
