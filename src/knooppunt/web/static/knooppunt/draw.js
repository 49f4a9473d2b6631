// Drawing an area for the gebiedsscan (/gebiedsscan/, issue 14): a small
// click-to-add-corner tool on MapLibre GL JS (the library of /kaart/, decision 0036).
// A click (or Enter on the focused map: a corner at the crosshair) adds a corner; the
// ring closes itself. The corners go to the GET form as "lon lat,lon lat,…" (WGS84,
// five decimals, about a metre); the server checks the polygon (analytics.drawn) and
// refuses a wrong one with its reason. No data from the server is put in as HTML.

const config = JSON.parse(document.getElementById("draw-config").textContent);
const text = config.text;
const input = document.getElementById("id_veelhoek");
const form = document.getElementById("draw-form");
const statusLine = document.getElementById("draw-status");
const submit = form.querySelector("[data-draw-submit]");
const corners = [];
// For the browser test: the map, its state and errors.
const probe = (window.__kpDraw = { ready: false, errors: [], corners });

function say(message) { statusLine.textContent = message; }

function round(value) { return Math.round(value * 1e5) / 1e5; }

function fromField(value) {
  for (const pair of value.split(",")) {
    const [lon, lat] = pair.trim().split(/\s+/).map(Number);
    if (Number.isFinite(lon) && Number.isFinite(lat)) { corners.push([lon, lat]); }
  }
  if (corners.length > 1 && corners[0].join() === corners.at(-1).join()) { corners.pop(); }
}

function shapes() {
  const features = corners.map((c) => ({ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: c } }));
  if (corners.length >= 3) {
    features.push({ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [[...corners, corners[0]]] } });
  } else if (corners.length === 2) {
    features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: corners } });
  }
  return { type: "FeatureCollection", features };
}

function update(map) {
  input.value = corners.map((c) => `${c[0]} ${c[1]}`).join(",");
  submit.disabled = corners.length < 3;
  const source = map && map.getSource("drawn");
  if (source) { source.setData(shapes()); }
  if (corners.length === 0) { say(text.start); return; }
  say(text.corners.replace("%(n)s", String(corners.length)) + (corners.length < 3 ? ` ${text.tooFew}` : ""));
}

function add(map, lngLat) {
  if (corners.length >= config.maxVertices) { say(text.tooMany); return; }
  corners.push([round(lngLat.lng), round(lngLat.lat)]);
  update(map);
}

async function boundaries() {
  const response = await fetch(config.boundaries, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } });
  if (!response.ok) { throw new Error(`boundaries ${response.status}`); }
  return response.json();
}

async function main() {
  fromField(input.value);
  update(null);
  let maplibregl;
  try {
    maplibregl = await import(config.maplibre);
  } catch (error) {
    say(text.noLibrary);
    probe.errors.push(String(error));
    return;
  }
  const map = new maplibregl.Map({
    container: "kp-draw-map",
    style: { version: 8, sources: {}, layers: [{ id: "background", type: "background", paint: { "background-color": "#f6f6f2" } }] },
    bounds: config.bounds || [3.2, 50.7, 7.3, 53.7],
    fitBoundsOptions: { padding: 16 },
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    doubleClickZoom: false, // a quick second click is a corner, not a zoom
  });
  probe.map = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));
  const canvas = map.getCanvas();
  canvas.setAttribute("aria-label", document.getElementById("kp-draw-map").getAttribute("aria-label"));
  map.on("load", async () => {
    try {
      map.addSource("areas", { type: "geojson", data: await boundaries() });
      map.addLayer({ id: "areas-fill", type: "fill", source: "areas", paint: { "fill-color": "#ffffff", "fill-opacity": 0.6 } });
      map.addLayer({ id: "areas-line", type: "line", source: "areas", paint: { "line-color": "#6b6b6b", "line-width": 1 } });
    } catch (error) {
      probe.errors.push(String(error));
    }
    map.addSource("drawn", { type: "geojson", data: shapes() });
    map.addLayer({ id: "drawn-fill", type: "fill", source: "drawn", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#1d4e89", "fill-opacity": 0.2 } });
    map.addLayer({ id: "drawn-line", type: "line", source: "drawn", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#1d4e89", "line-width": 2 } });
    map.addLayer({ id: "drawn-corners", type: "circle", source: "drawn", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-radius": 4, "circle-color": "#1d4e89", "circle-stroke-color": "#ffffff", "circle-stroke-width": 1 } });
    if (corners.length >= 3) {
      const lons = corners.map((c) => c[0]);
      const lats = corners.map((c) => c[1]);
      map.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], { padding: 40, animate: false });
    }
    update(map);
    probe.ready = true;
  });
  map.on("click", (event) => add(map, event.lngLat));
  canvas.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); add(map, map.getCenter()); }
  });
  form.querySelector("[data-draw-undo]").addEventListener("click", () => { corners.pop(); update(map); });
  form.querySelector("[data-draw-clear]").addEventListener("click", () => { corners.length = 0; update(map); });
}

main().catch((error) => { probe.errors.push(String(error)); });
