// The Frontlines map: events, control areas, front lines and alerts for one day at a time.
// Reads only the same origin: the REST API (/dates, /events, /control, /alerts), the basemap
// (/tiles, /outlines.geojson) and /map/sides.json. No HTML is built from data (panels.js).

import { EVENT_TYPES, eventColourExpression, fallbackColour, sideColourExpression } from "./colours.js";
import { formatHash, parseHash } from "./hash.js";
import * as ui from "./panels.js";

const maplibregl = window.maplibregl;
const EMPTY = { type: "FeatureCollection", features: [] };
const PAGE_LIMIT = 5000;
const MAX_PAGES = 20;
const PLAY_STEP_MS = 700;
const $ = (id) => document.getElementById(id);

// Exposed for people debugging in the console and for the browser tests.
const app = (window.frontlines = {
  map: null, days: [], colours: {}, data: { events: EMPTY, control: EMPTY, alerts: EMPTY },
  loaded: null, errors: [], requests: 0, timings: {}, // ms since navigation start
});
const state = { index: 0, window: 7, actor: "", eventType: "", playing: false };
let loadSeq = 0;
let clusterMarkers = new Map();

// --- fetching --------------------------------------------------------------------------------

async function getJSON(url) {
  app.requests += 1;
  const response = await fetch(url, { headers: { Accept: "application/json, application/geo+json" } });
  let body = null;
  try { body = await response.json(); } catch (_) { /* not JSON */ }
  if (!response.ok) {
    const err = body && body.error;
    const text = err ? `${err.message}${err.fix ? ` (${err.fix})` : ""}` : `${response.status} ${response.statusText}`;
    throw new Error(`${url}: ${text}`);
  }
  return body;
}

const dayCache = new Map(); // "/control?at=..." -> Promise of GeoJSON
function cached(url) {
  if (!dayCache.has(url)) {
    const promise = getJSON(url);
    promise.catch(() => dayCache.delete(url));
    dayCache.set(url, promise);
  }
  return dayCache.get(url);
}

function shiftDay(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function windowStart(day) {
  return state.window > 0 ? shiftDay(day, 1 - state.window) : null;
}

async function fetchEvents(day) {
  const params = new URLSearchParams({ to: day, format: "geojson", limit: String(PAGE_LIMIT) });
  const from = windowStart(day);
  if (from) params.set("from", from);
  if (state.actor) params.set("actor", state.actor);
  if (state.eventType) params.set("event_type", state.eventType);
  const features = [];
  let cursor = null;
  let pages = 0;
  do {
    if (cursor) params.set("cursor", cursor);
    const page = await getJSON(`/events?${params}`);
    features.push(...page.features);
    cursor = page.next_cursor || null;
    pages += 1;
  } while (cursor && pages < MAX_PAGES);
  return { type: "FeatureCollection", features, truncated: Boolean(cursor) };
}

// --- the map ---------------------------------------------------------------------------------

function baseStyle() {
  return {
    version: 8,
    sources: {
      basemap: {
        type: "raster", tiles: [`${location.origin}/tiles/{z}/{x}/{y}.png`], tileSize: 256,
        minzoom: 0, maxzoom: 6,
        attribution: '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
      },
      outlines: {
        type: "geojson", data: `${location.origin}/outlines.geojson`,
        attribution: 'Outlines: <a href="https://www.naturalearthdata.com/">Natural Earth</a>',
      },
      control: { type: "geojson", data: EMPTY },
      alerts: { type: "geojson", data: EMPTY },
      events: { type: "geojson", data: EMPTY, cluster: true, clusterRadius: 40, clusterMaxZoom: 10 },
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#cfe0e8" } },
      { id: "land", type: "fill", source: "outlines", minzoom: 6,
        paint: { "fill-color": "#f2efe9", "fill-opacity": ["interpolate", ["linear"], ["zoom"], 6, 0, 8, 1] } },
      { id: "basemap", type: "raster", source: "basemap",
        paint: { "raster-opacity": ["interpolate", ["linear"], ["zoom"], 6, 1, 8, 0.3, 9, 0], "raster-saturation": -0.3 } },
      { id: "borders", type: "line", source: "outlines",
        paint: { "line-color": "#6d6d6d", "line-width": ["interpolate", ["linear"], ["zoom"], 3, 0.4, 9, 1.6] } },
    ],
  };
}

function addDataLayers(map) {
  const sideColour = sideColourExpression(app.colours);
  map.addLayer({ id: "control-areas", type: "fill", source: "control", filter: ["==", ["get", "kind"], "area"],
    paint: { "fill-color": sideColour, "fill-opacity": 0.28 } });
  map.addLayer({ id: "control-area-edges", type: "line", source: "control", filter: ["==", ["get", "kind"], "area"],
    paint: { "line-color": sideColour, "line-width": 1, "line-opacity": 0.7 } });
  const front = ["==", ["get", "kind"], "front_line"];
  map.addLayer({ id: "front-line-casing", type: "line", source: "control", filter: front,
    layout: { "line-cap": "round", "line-join": "round" }, paint: { "line-color": "#ffffff", "line-width": 6, "line-opacity": 0.8 } });
  map.addLayer({ id: "front-lines", type: "line", source: "control", filter: front,
    layout: { "line-join": "round" }, paint: { "line-color": "#111111", "line-width": 3, "line-dasharray": [2, 1] } });
  map.addLayer({ id: "control-points", type: "circle", source: "control", filter: ["==", ["get", "kind"], "control_point"],
    paint: { "circle-radius": 4, "circle-color": sideColour, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.2 } });
  map.addLayer({ id: "alerts", type: "circle", source: "alerts",
    paint: { "circle-radius": 11, "circle-opacity": 0, "circle-stroke-width": 2.5,
      "circle-stroke-color": ["match", ["get", "status"], "confirmed", "#d50000", "#ff9100"] } });
  map.addLayer({ id: "event-clusters", type: "circle", source: "events", filter: ["has", "point_count"],
    paint: { "circle-color": "#37474f", "circle-opacity": 0.85, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2,
      "circle-radius": ["step", ["get", "point_count"], 14, 10, 18, 50, 24, 200, 30] } });
  map.addLayer({ id: "event-points", type: "circle", source: "events", filter: ["!", ["has", "point_count"]],
    paint: { "circle-color": eventColourExpression(), "circle-radius": 7, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5 } });
}

function setSideColours(map, control) {
  let changed = false;
  for (const f of control.features) {
    const side = f.properties.side;
    if (side && !(side in app.colours)) { app.colours[side] = fallbackColour(side); changed = true; }
  }
  if (!changed) return;
  const expr = sideColourExpression(app.colours);
  map.setPaintProperty("control-areas", "fill-color", expr);
  map.setPaintProperty("control-area-edges", "line-color", expr);
  map.setPaintProperty("control-points", "circle-color", expr);
}

// Cluster sizes as HTML labels (the map has no glyph server, so no text layers).
function updateClusterLabels(map) {
  if (!map.getSource("events") || !map.isSourceLoaded("events")) return;
  const seen = new Map();
  for (const f of map.querySourceFeatures("events", { filter: ["has", "point_count"] })) {
    seen.set(f.properties.cluster_id, f);
  }
  for (const [id, f] of seen) {
    if (clusterMarkers.has(id)) continue;
    const label = ui.el("div", { class: "cluster-label" }, f.properties.point_count_abbreviated);
    clusterMarkers.set(id, new maplibregl.Marker({ element: label }).setLngLat(f.geometry.coordinates).addTo(map));
  }
  for (const [id, marker] of clusterMarkers) {
    if (!seen.has(id)) { marker.remove(); clusterMarkers.delete(id); }
  }
}

function clearClusterLabels() {
  for (const marker of clusterMarkers.values()) marker.remove();
  clusterMarkers = new Map();
}

function whenIdle(map, timeoutMs = 8000) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    map.once("idle", () => { clearTimeout(timer); resolve(true); });
    map.triggerRepaint();
  });
}

// --- one day ---------------------------------------------------------------------------------

function currentDay() {
  return app.days.length ? app.days[state.index].date : null;
}

function setStatus(text, isError = false) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", isError);
  status.setAttribute("role", isError ? "alert" : "status");
}

function fetchDay(day) {
  return Promise.all([fetchEvents(day), cached(`/control?at=${day}`), cached(`/alerts?at=${day}`)])
    .then(([events, control, alerts]) => ({ events, control, alerts }));
}

// Fetch (or take the prefetched) data of the slider's day, draw it, wait until the map is idle.
async function loadDay(prefetched = null) {
  const map = app.map;
  const day = currentDay();
  if (!day) return;
  const seq = ++loadSeq;
  setStatus(`Loading ${day}…`);
  let events, control, alerts;
  try {
    ({ events, control, alerts } = await (prefetched || fetchDay(day)));
  } catch (err) {
    if (seq !== loadSeq) return;
    app.errors.push(String(err.message || err));
    setStatus(`Could not load ${day}: ${err.message || err}`, true);
    stopPlaying();
    return;
  }
  if (seq !== loadSeq) return; // a newer day was asked for meanwhile
  app.data = { events, control, alerts };
  setSideColours(map, control);
  clearClusterLabels();
  map.getSource("events").setData(events);
  map.getSource("control").setData(control);
  map.getSource("alerts").setData(alerts);
  renderPanel(day, events, control, alerts);
  const idle = await whenIdle(map);
  if (seq !== loadSeq) return;
  updateClusterLabels(map);
  app.loaded = { day, events: events.features.length, control: control.features.length,
    alerts: alerts.features.length, idle, hash: location.hash };
  document.body.dataset.loadedDay = day;
  const from = windowStart(day);
  setStatus(`${events.features.length} event${events.features.length === 1 ? "" : "s"} on the map` +
    ` ${from ? `from ${from} ` : "up "}to ${day}${events.truncated ? " (first pages only: zoom or filter)" : ""}`);
  if (state.playing) setTimeout(stepPlay, PLAY_STEP_MS);
}

function renderPanel(day, events, control, alerts) {
  $("day-label").textContent = day;
  const from = windowStart(day);
  $("window-note").textContent = from === day ? `Showing events of ${day}.`
    : from ? `Showing events from ${from} to ${day}.` : `Showing every event up to ${day}.`;
  const counts = {};
  const actorNames = new Set();
  for (const f of events.features) {
    const p = f.properties;
    counts[p.event_type] = (counts[p.event_type] || 0) + 1;
    for (const name of [p.actor1, p.actor2]) if (name) actorNames.add(name);
  }
  $("legend-events").replaceChildren(...ui.legendEvents(counts));
  const sides = new Map();
  for (const f of control.features) {
    const p = f.properties;
    if (!p.side) continue;
    const km2 = p.kind === "area" ? p.km2 || 0 : 0;
    sides.set(p.side, (sides.get(p.side) || 0) + km2);
  }
  $("legend-sides").replaceChildren(...ui.legendSides(
    [...sides].map(([side, km2]) => [side, app.colours[side] || fallbackColour(side), km2])));
  const datalist = $("actor-names");
  const known = new Set([...datalist.options].map((o) => o.value));
  for (const name of [...actorNames].sort()) if (!known.has(name)) datalist.append(ui.el("option", { value: name }));
  const list = $("alerts-list");
  const items = alerts.features.map((f) => ui.alertItem(f.properties, () => {
    app.map.easeTo({ center: f.geometry.coordinates, zoom: Math.max(app.map.getZoom(), 10) });
    showPopup(f.geometry.coordinates, ui.alertPopup(f.properties));
  }));
  list.replaceChildren(...items);
  if (!items.length) list.append(ui.el("li", { class: "note" }, "No town under alert on this day."));
  $("alerts-count").textContent = `(${alerts.features.length})`;
}

// --- interaction -----------------------------------------------------------------------------

function showPopup(lngLat, content) {
  return new maplibregl.Popup({ maxWidth: "380px", closeButton: true }).setLngLat(lngLat).setDOMContent(content).addTo(app.map);
}

// Every event under the click (events placed at one town share its coordinates).
function openEventPopup(features) {
  const seen = new Set();
  const events = features.filter((f) => !seen.has(f.properties.event_id) && seen.add(f.properties.event_id));
  const box = ui.el("div", { class: "popup events-popup" });
  if (events.length > 1) box.append(ui.el("p", { class: "note" }, `${events.length} events here`));
  for (const feature of events.slice(0, 20)) {
    const section = ui.eventPopup(feature.properties);
    box.append(section);
    getJSON(`/events/${encodeURIComponent(feature.properties.event_id)}`)
      .then((detail) => ui.fillReports(section, detail))
      .catch((err) => ui.failReports(section, `Sources could not be loaded: ${err.message || err}`));
  }
  showPopup(events[0].geometry.coordinates, box);
}

function bindMapEvents(map) {
  map.on("click", "event-clusters", async (e) => {
    const f = e.features[0];
    const zoom = await map.getSource("events").getClusterExpansionZoom(f.properties.cluster_id);
    map.easeTo({ center: f.geometry.coordinates, zoom });
  });
  map.on("click", "event-points", (e) => openEventPopup(e.features));
  map.on("click", "control-points", (e) => {
    if (map.queryRenderedFeatures(e.point, { layers: ["event-points", "event-clusters"] }).length) return;
    showPopup(e.features[0].geometry.coordinates, ui.controlPopup(e.features[0].properties));
  });
  map.on("click", "alerts", (e) => {
    if (map.queryRenderedFeatures(e.point, { layers: ["event-points", "event-clusters", "control-points"] }).length) return;
    showPopup(e.features[0].geometry.coordinates, ui.alertPopup(e.features[0].properties));
  });
  for (const layer of ["event-clusters", "event-points", "control-points", "alerts"]) {
    map.on("mouseenter", layer, () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; });
  }
  map.on("moveend", writeHash);
  map.on("render", () => updateClusterLabels(map));
}

function writeHash() {
  if (!app.map) return;
  const hash = formatHash({ date: currentDay(), zoom: app.map.getZoom(), center: app.map.getCenter(),
    window: state.window, actor: state.actor, eventType: state.eventType });
  if (hash !== location.hash) history.replaceState(null, "", hash);
}

function setIndex(index) {
  state.index = Math.max(0, Math.min(app.days.length - 1, index));
  $("day").value = String(state.index);
  $("day-label").textContent = currentDay();
  writeHash();
}

function stepPlay() {
  if (!state.playing) return;
  if (state.index >= app.days.length - 1) { stopPlaying(); return; }
  setIndex(state.index + 1);
  loadDay();
}

function stopPlaying() {
  state.playing = false;
  $("play").textContent = "▶";
  $("play").setAttribute("aria-label", "Play: step through the days");
}

function bindControls() {
  let debounce = null;
  $("day").addEventListener("input", () => {
    stopPlaying();
    setIndex(Number($("day").value));
    clearTimeout(debounce);
    debounce = setTimeout(loadDay, 120);
  });
  $("play").addEventListener("click", () => {
    if (state.playing) { stopPlaying(); return; }
    state.playing = true;
    $("play").textContent = "⏸";
    $("play").setAttribute("aria-label", "Pause");
    if (state.index >= app.days.length - 1) setIndex(0);
    loadDay();
  });
  $("window").addEventListener("change", () => { state.window = Number($("window").value); writeHash(); loadDay(); });
  $("event-type").addEventListener("change", () => { state.eventType = $("event-type").value; writeHash(); loadDay(); });
  let actorDebounce = null;
  $("actor").addEventListener("input", () => {
    clearTimeout(actorDebounce);
    actorDebounce = setTimeout(() => { state.actor = $("actor").value.trim(); writeHash(); loadDay(); }, 300);
  });
  window.addEventListener("hashchange", () => applyView(parseHash(location.hash), true));
}

function applyView(view, reload) {
  if (view.window !== undefined) state.window = view.window;
  if (view.actor !== undefined) state.actor = view.actor;
  if (view.eventType !== undefined) state.eventType = view.eventType;
  $("window").value = String(state.window);
  if ($("window").value !== String(state.window)) {
    $("window").append(ui.el("option", { value: String(state.window) }, `in the ${state.window} days up to the day`));
    $("window").value = String(state.window);
  }
  $("actor").value = state.actor;
  if (state.eventType && ![...$("event-type").options].some((o) => o.value === state.eventType)) {
    $("event-type").append(ui.el("option", { value: state.eventType }, state.eventType));
  }
  $("event-type").value = state.eventType;
  if (view.date) {
    const at = app.days.findIndex((d) => d.date >= view.date);
    setIndex(at < 0 ? app.days.length - 1 : at);
  }
  if (app.map && view.camera) app.map.jumpTo(view.camera);
  else if (app.map && view.bbox) app.map.fitBounds([[view.bbox[0], view.bbox[1]], [view.bbox[2], view.bbox[3]]], { duration: 0 });
  if (reload) loadDay();
}

function renderHistogram(days) {
  const top = Math.max(1, ...days.map((d) => d.events));
  $("histogram").replaceChildren(...days.map((d) => ui.el("span", {
    class: d.events ? "bar" : "bar empty", title: `${d.date}: ${d.events}`,
    style: { height: `${Math.max(2, Math.round((d.events / top) * 100))}%` } })));
}

// Every calendar day from first to last, with the number of events on each.
function calendar(dates) {
  if (!dates.first || !dates.last) return [];
  const counts = new Map((dates.days || []).map((d) => [d.date, d.events]));
  const out = [];
  for (let day = dates.first; day <= dates.last; day = shiftDay(day, 1)) out.push({ date: day, events: counts.get(day) || 0 });
  return out;
}

// The first view: the control points (the theatre of the campaign), else the events shown.
function fitToData(map, data) {
  const bounds = new maplibregl.LngLatBounds();
  for (const key of ["control", "events"]) {
    for (const f of data[key].features) {
      if (f.geometry && f.geometry.type === "Point") bounds.extend(f.geometry.coordinates);
    }
    if (!bounds.isEmpty()) break;
  }
  if (!bounds.isEmpty()) map.fitBounds(bounds, { padding: 60, maxZoom: 10, duration: 0 });
}

async function main() {
  for (const [type] of EVENT_TYPES) $("event-type").append(ui.el("option", { value: type }, type));
  const view = parseHash(location.hash);
  let dates;
  try {
    const [datesBody, sidesBody] = await Promise.all([getJSON("/dates"), getJSON("/map/sides.json")]);
    dates = datesBody;
    app.colours = { ...sidesBody.sides };
  } catch (err) {
    setStatus(`Could not reach the Frontlines API: ${err.message || err}`, true);
    return;
  }
  app.days = calendar(dates);
  renderHistogram(app.days);
  $("legend-symbols").replaceChildren(...ui.legendSymbols());
  if (!app.days.length) { setStatus("The store holds no dated events yet: ingest some reports (frontlines ingest).", true); return; }
  $("day").max = String(app.days.length - 1);
  $("day").disabled = false;
  $("play").disabled = false;
  setIndex(app.days.length - 1);
  applyView(view, false); // day and filters now, the camera with the map
  // The day's data is fetched while MapLibre loads the style, tiles and outlines.
  app.timings.apiReady = performance.now();
  const first = fetchDay(currentDay());
  first.catch(() => {}); // reported by loadDay
  const bbox = !view.camera && view.bbox ? [[view.bbox[0], view.bbox[1]], [view.bbox[2], view.bbox[3]]] : undefined;
  const map = new maplibregl.Map({
    container: "map", style: baseStyle(), ...(view.camera || { center: [36.4, 34.3], zoom: 7 }),
    bounds: bbox, hash: false, attributionControl: false, maxZoom: 16,
  });
  app.map = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-right");
  map.addControl(new maplibregl.AttributionControl({ compact: false, customAttribution: "Frontlines" }), "bottom-right");
  if (!view.camera && !view.bbox) first.then((data) => fitToData(map, data), () => {});
  first.then(() => { app.timings.dataFetched = performance.now(); }, () => {});
  await new Promise((resolve) => map.on("load", resolve));
  app.timings.mapLoaded = performance.now();
  addDataLayers(map);
  bindMapEvents(map);
  bindControls();
  await loadDay(first);
  writeHash();
  app.readyMs = performance.now(); // since navigation start: the page-load benchmark's figure
  app.ready = true;
}

main();
