// The view in the URL hash, so that a view can be shared:
//   #date=2017-08-20&map=8.50/34.2500/36.4500&w=7&actor=Hezbollah&type=Battles
// map is zoom/latitude/longitude; bbox=west,south,east,north is read too (fits the map to it).

const NUMBER = /^-?\d+(\.\d+)?$/;

export function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const view = {};
  const date = params.get("date");
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) view.date = date;
  const map = (params.get("map") || "").split("/");
  if (map.length === 3 && map.every((p) => NUMBER.test(p))) {
    const [zoom, lat, lon] = map.map(Number);
    if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) view.camera = { zoom, center: [lon, lat] };
  }
  const bbox = (params.get("bbox") || "").split(",");
  if (bbox.length === 4 && bbox.every((p) => NUMBER.test(p))) view.bbox = bbox.map(Number);
  const w = params.get("w");
  if (w !== null && /^\d+$/.test(w)) view.window = Number(w);
  if (params.has("actor")) view.actor = params.get("actor");
  if (params.has("type")) view.eventType = params.get("type");
  return view;
}

export function formatHash({ date, zoom, center, window, actor, eventType }) {
  const params = new URLSearchParams();
  if (date) params.set("date", date);
  if (center) params.set("map", `${zoom.toFixed(2)}/${center.lat.toFixed(4)}/${center.lng.toFixed(4)}`);
  params.set("w", String(window));
  if (actor) params.set("actor", actor);
  if (eventType) params.set("type", eventType);
  return "#" + params.toString().replace(/%2F/g, "/");
}
