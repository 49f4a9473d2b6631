// The network view (decision 0049): Cytoscape.js from npm, served by Knooppunt. The page
// hands a JSON data block (`network-config`): the library's URL, the network's URL (nodes
// and edges as analytics.networks.Network.to_json) and the expand URL (`?knoop=<id>`).
// Everything from data is shown with textContent, never as HTML. No inline script or style:
// colours of the legend are set through the CSSOM (decision 0029).

const config = JSON.parse(document.getElementById("network-config").textContent);
const container = document.getElementById("kp-network");
const panel = document.getElementById("network-panel");
const statusLine = document.getElementById("network-status");
const legend = document.getElementById("network-legend");
const form = document.getElementById("network-filters");
const text = config.text;

// Timings and state for the browser test and benchmarks/network_benchmark.py (ms).
const probe = (window.__kpNetwork = { ready: false, timings: {}, errors: [], expansions: 0 });

function say(message) { statusLine.textContent = message; }
function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_m, key) => String(values[key]));
}
const schemaName = Object.fromEntries(config.schemata.map((s) => [s.code, s.name]));
const linkName = Object.fromEntries(config.linkTypes.map((l) => [l.code, l.name]));

// Colours and dashes by one class per schema and link type: a plain value per class is
// resolved once per class, where a data() mapper is evaluated for each of 11,500 elements
// (benchmarks/network_benchmark.py, decision 0049).
function style() {
  const rules = [
    { selector: "node", style: {
      width: 14, height: 14, "border-width": 1.5, "border-color": "#ffffff" } },
    ...config.schemata.map((s) => ({ selector: `node.s-${s.code}`, style: { "background-color": s.colour } })),
    { selector: "node.s-hidden", style: { "background-color": config.hiddenColour } },
    // Labels only on nodes marked `labelled`: all of a small network, and in a large one the
    // chosen node and its neighbours (measuring 5,000 labels costs seconds).
    { selector: "node.labelled", style: {
      label: "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3,
      "min-zoomed-font-size": 7, "text-outline-color": "#ffffff", "text-outline-width": 2 } },
    { selector: "edge", style: {
      width: 1.2, "line-color": "#8a8a8a", "curve-style": "haystack", "haystack-radius": 0 } },
    ...config.linkTypes.map((l) => ({ selector: `edge.l-${l.code}`, style: l.dash
      ? { "line-color": l.colour, "line-style": "dashed", "line-dash-pattern": l.dash.split(" ").map(Number) }
      : { "line-color": l.colour } })),
    { selector: "node.more", style: { "border-color": "#1b1b1b", "border-style": "dashed", "border-width": 2 } },
    { selector: "node:selected", style: { "border-color": "#d55e00", "border-width": 4, "border-style": "solid" } },
    { selector: "edge:selected", style: { "line-color": "#d55e00", width: 3 } },
    { selector: ".filtered", style: { display: "none" } },
  ];
  return rules;
}


// Provenance, attributes and names stay beside the graph, by id: Cytoscape copies each
// element's data, and 5,000 nodes with 6,500 links of provenance cost it seconds.
const info = new Map();
probe.info = info;

function elementsOf(network) {
  const nodes = network.nodes.map((n) => {
    info.set(n.id, { name: n.label, schema: n.schema, hidden: n.hidden, hiddenCount: n.hiddenCount || 0 });
    const kind = n.hidden ? "s-hidden" : `s-${n.schema}`;
    return { group: "nodes", classes: n.hiddenCount ? `${kind} more` : kind, data: {
      id: n.id, label: n.hiddenCount ? `${n.label} (+${n.hiddenCount})` : n.label } };
  });
  const edges = network.edges.map((e) => {
    info.set(`edge:${e.id}`, { linkType: e.linkType, role: e.role || "", start: e.start || "",
      end: e.end || "", provenance: e.provenance || [] });
    return { group: "edges", classes: `l-${e.linkType}`, data: {
      id: e.id, source: e.source, target: e.target, linkType: e.linkType,
      start: e.start || "", end: e.end || "" } };
  });
  return [...nodes, ...edges];
}

// Filters from the form: link types and a date window (the same on the server's expand).
function chosen() {
  const data = new FormData(form);
  return { kinds: data.getAll("soort"), from: data.get("van") || "", to: data.get("tot") || "" };
}
function filterQuery() {
  const f = chosen();
  const params = new URLSearchParams();
  if (f.kinds.length && f.kinds.length < config.linkTypes.length) { params.set("soort", f.kinds.join(",")); }
  if (f.from) { params.set("van", f.from); }
  if (f.to) { params.set("tot", f.to); }
  return params.toString();
}
function passes(edge, f) {
  const d = edge.data();
  if (!f.kinds.includes(d.linkType)) { return false; }
  if (f.to && d.start && d.start > f.to) { return false; }
  if (f.from && d.end && d.end < f.from) { return false; }
  return true;
}
function applyFilters(cy) {
  const f = chosen();
  cy.batch(() => {
    cy.edges().forEach((e) => { e.toggleClass("filtered", !passes(e, f)); });
  });
}

// Cytoscape's own layouts, for small networks and for comparison in the benchmark.
function layoutOptions(count, name) {
  if (name === "cose") { return { name, animate: false, randomize: true, numIter: 1000, nodeDimensionsIncludeLabels: false }; }
  if (name === "concentric") {
    return { name, animate: false, concentric: (n) => n.degree(), levelWidth: () => 2, minNodeSpacing: 4, avoidOverlap: false, spacingFactor: 0.6 };
  }
  return { name, animate: false };
}

async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) { throw new Error(String(body.detail || body.title || response.status)); }
  return body;
}

function frame() { return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))); }

function showNode(cy, node) {
  node.closedNeighborhood().nodes().addClass("labelled");
  panel.replaceChildren();
  const d = info.get(node.id());
  const title = document.createElement("h2");
  title.textContent = d.name;
  const kind = document.createElement("p");
  kind.textContent = schemaName[d.schema] + (d.hidden ? ` (${text.hidden})` : "");
  panel.append(title, kind);
  if (d.hiddenCount) {
    const more = document.createElement("p");
    more.textContent = fill(text.hiddenMore, { n: d.hiddenCount });
    panel.append(more);
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = text.expand;
  button.addEventListener("click", () => expand(cy, node.id()));
  panel.append(button);
  const heading = document.createElement("h3");
  heading.textContent = text.links;
  const list = document.createElement("ul");
  node.connectedEdges().not(".filtered").forEach((edge) => { list.append(edgeItem(cy, edge, node.id())); });
  panel.append(heading, list);
}

function edgeItem(cy, edge, from) {
  const d = { ...edge.data(), ...info.get(`edge:${edge.id()}`) };
  const other = info.get(d.source === from ? d.target : d.source).name;
  const item = document.createElement("li");
  const line = document.createElement("span");
  let words = `${linkName[d.linkType]}${d.role ? ` (${d.role})` : ""}: ${other}`;
  if (d.start) { words += `, ${text.from} ${d.start}`; }
  if (d.end) { words += ` ${text.until} ${d.end}`; }
  line.textContent = words;
  const source = document.createElement("div");
  source.className = "provenance";
  source.textContent = `${text.provenance}: ` + (d.provenance.length
    ? d.provenance.map((p) => [p.organisation, p.date, p.origin].filter(Boolean).join(", ")).join("; ")
    : text.noProvenance);
  item.append(line, source);
  return item;
}

function showEdge(cy, edge) {
  panel.replaceChildren();
  const title = document.createElement("h2");
  title.textContent = linkName[edge.data("linkType")];
  const list = document.createElement("ul");
  list.append(edgeItem(cy, edge, edge.data("source")));
  panel.append(title, list);
}

// Expanding: the node's neighbours from the server, placed on a circle around it.
async function expand(cy, id) {
  const node = cy.getElementById(id);
  const url = `${config.expand}${config.expand.includes("?") ? "&" : "?"}knoop=${encodeURIComponent(id)}`;
  const query = filterQuery();
  try {
    const network = await getJSON(query ? `${url}&${query}` : url);
    const fresh = elementsOf(network).filter((e) => cy.getElementById(e.data.id).empty());
    const freshNodes = fresh.filter((e) => e.group === "nodes");
    const centre = node.position();
    const radius = 60 + 6 * freshNodes.length;
    freshNodes.forEach((e, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, freshNodes.length);
      e.position = { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
    });
    const added = cy.add(fresh);
    if (cy.nodes().length <= config.forceLayoutUpTo) { added.nodes().addClass("labelled"); }
    applyFilters(cy);
    probe.expansions += 1;
    probe.nodeCount = cy.nodes().length;
    say(freshNodes.length ? fill(text.expanded, { label: info.get(id).name, n: freshNodes.length })
      : fill(text.nothingNew, { label: info.get(id).name }));
    showNode(cy, node);
  } catch (error) {
    probe.errors.push(String(error));
    say(`${text.error} ${error.message}`);
  }
}

function buildLegend() {
  legend.replaceChildren();
  const nodes = document.createElement("div");
  const nodesTitle = document.createElement("p");
  nodesTitle.className = "map-legend__title";
  nodesTitle.textContent = text.legendNodes;
  const nodeList = document.createElement("ul");
  for (const s of [...config.schemata, { name: text.hidden, colour: config.hiddenColour }]) {
    const item = document.createElement("li");
    const dot = document.createElement("span");
    dot.className = "map-legend__dot";
    dot.style.backgroundColor = s.colour;
    const name = document.createElement("span");
    name.textContent = s.name;
    item.append(dot, name);
    nodeList.append(item);
  }
  nodes.append(nodesTitle, nodeList);
  const links = document.createElement("div");
  const linksTitle = document.createElement("p");
  linksTitle.className = "map-legend__title";
  linksTitle.textContent = text.legendLinks;
  const linkList = document.createElement("ul");
  for (const l of config.linkTypes) {
    const item = document.createElement("li");
    const line = document.createElement("span");
    line.className = "network-legend__line";
    line.style.borderTopColor = l.colour;
    line.style.borderTopStyle = l.dash ? "dashed" : "solid";
    const name = document.createElement("span");
    name.textContent = l.name;
    item.append(line, name);
    linkList.append(item);
  }
  links.append(linksTitle, linkList);
  legend.append(nodes, links);
}

// Keyboard: arrows walk the visible nodes (by label), Enter expands, Escape deselects.
function keyboard() {
  let index = -1;
  container.addEventListener("keydown", (event) => {
    if (!cy) { return; }
    const name = (n) => info.get(n.id()).name;
    const nodes = cy.nodes(":visible").sort((a, b) => name(a).localeCompare(name(b)));
    if (!nodes.length) { return; }
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step) {
      const current = cy.nodes(":selected")[0];
      index = current ? nodes.indexOf(current) : index;
      index = (index + step + nodes.length) % nodes.length;
      cy.elements().unselect();
      const node = nodes[index];
      node.select();
      cy.center(node);
      showNode(cy, node);
      event.preventDefault();
    } else if (event.key === "Enter" && cy.nodes(":selected").length) {
      expand(cy, cy.nodes(":selected")[0].id());
      event.preventDefault();
    } else if (event.key === "Escape") {
      cy.elements().unselect();
      panel.replaceChildren();
    }
  });
}

// A fast layout for large networks, computed here before the elements exist: rings around
// the centre, the most connected nodes inside (as cytoscape's concentric layout, but the
// positions go in with the elements, so no layout run moves 5,000 nodes one by one).
function ringPositions(network) {
  const degree = new Map(network.nodes.map((n) => [n.id, 0]));
  for (const e of network.edges) {
    degree.set(e.source, degree.get(e.source) + 1);
    degree.set(e.target, degree.get(e.target) + 1);
  }
  const order = network.nodes.map((n) => n.id)
    .sort((a, b) => degree.get(b) - degree.get(a) || (a < b ? -1 : 1));
  const spacing = 24;
  const positions = new Map();
  let ring = 0;
  let i = 0;
  while (i < order.length) {
    const radius = ring * spacing;
    const room = ring === 0 ? 1 : Math.floor((2 * Math.PI * radius) / spacing);
    for (let k = 0; k < room && i < order.length; k += 1, i += 1) {
      const angle = (2 * Math.PI * k) / room + ring * 0.5;
      positions.set(order[i], { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
    }
    ring += 1;
  }
  return positions;
}

let cy = null;
let library = null;

// A new Cytoscape instance for `network`: small networks are laid out by cose, large ones
// start with their ring positions (preset). Cytoscape's WebGL renderer only on request:
// in Chromium without a GPU it drew 5,000 nodes slower than the canvas (decision 0049).
async function open(network, forced, webgl) {
  const large = network.nodes.length > config.forceLayoutUpTo;
  const name = forced || (large ? "rings" : "cose");
  const elements = elementsOf(network);
  if (name === "rings") {
    const positions = ringPositions(network);
    for (const e of elements) { if (e.group === "nodes") { e.position = positions.get(e.data.id); } }
  }
  if (!large) { for (const e of elements) { if (e.group === "nodes") { e.classes += " labelled"; } } }
  if (cy) { cy.destroy(); }
  cy = library({ container, elements, style: style(), minZoom: 0.02, maxZoom: 1.6,
    layout: { name: name === "rings" ? "preset" : "grid" }, textureOnViewport: true,
    hideEdgesOnViewport: true, boxSelectionEnabled: false, selectionType: "single",
    webgl: webgl === true, pixelRatio: large ? 1 : "auto" });
  probe.cy = cy;
  cy.on("tap", "node", (event) => { showNode(cy, event.target); expand(cy, event.target.id()); });
  cy.on("tap", "edge", (event) => showEdge(cy, event.target));
  // A fresh network shows every link unless the form says otherwise: no pass over 6,500
  // edges when no filter is set.
  if (filterQuery()) { applyFilters(cy); }
  if (name !== "rings") {
    const run = cy.layout(layoutOptions(network.nodes.length, name));
    const done = run.promiseOn("layoutstop");
    run.run();
    await done;
  }
  cy.fit(undefined, 20);
  return name;
}

// Open a network at `url`; timings in `probe.timings` (the benchmark calls this again with
// other sizes and layouts).
async function load(url, layout, webgl) {
  const t0 = performance.now();
  const network = await getJSON(url);
  const t1 = performance.now();
  const name = await open(network, layout, webgl);
  const t2 = performance.now();
  await frame();
  const t3 = performance.now();
  probe.timings = { fetch: t1 - t0, layout: t2 - t1, render: t3 - t2, total: t3 - t0, layoutName: name,
    webgl: cy.renderer().webgl === true };
  probe.nodeCount = cy.nodes().length;
  say(fill(text.loaded, { nodes: network.nodes.length, edges: network.edges.length }));
}

async function start() {
  say(text.loading);
  buildLegend();
  try {
    ({ default: library } = await import(config.cytoscape));
  } catch (error) {
    say(text.noLibrary);
    probe.errors.push(String(error));
    return;
  }
  probe.load = load;
  form.addEventListener("change", () => { if (cy) { applyFilters(cy); } });
  keyboard();
  const hint = document.createElement("p");
  hint.textContent = text.choose;
  panel.replaceChildren(hint);
  try {
    await load(config.data);
    probe.ready = true;
  } catch (error) {
    probe.errors.push(String(error));
    say(`${text.error} ${error.message}`);
  }
}

start();
