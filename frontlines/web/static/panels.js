// DOM for the panel and popups. Every piece of data goes in as text (textContent,
// createTextNode), never as HTML.

import { EVENT_TYPES, OTHER_EVENT } from "./colours.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key === "style") Object.assign(node.style, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// The sentence as a <blockquote> with the trigger word marked (<mark class="trigger">).
export function highlightedSentence(sentence, trigger) {
  const quote = el("blockquote", { class: "sentence" });
  const text = sentence || "";
  let match = null;
  if (trigger) {
    const word = new RegExp(`(^|[^\\p{L}\\p{N}])(${escapeRegExp(trigger)})(?![\\p{L}\\p{N}])`, "iu");
    const found = word.exec(text);
    if (found) match = { start: found.index + found[1].length, end: found.index + found[0].length };
    else {
      const at = text.toLowerCase().indexOf(trigger.toLowerCase());
      if (at >= 0) match = { start: at, end: at + trigger.length };
    }
  }
  if (!match) {
    quote.append(text);
    return quote;
  }
  quote.append(text.slice(0, match.start), el("mark", { class: "trigger" }, text.slice(match.start, match.end)),
    text.slice(match.end));
  return quote;
}

function fieldRows(rows) {
  const dl = el("dl", { class: "fields" });
  for (const [label, value] of rows) {
    if (value === undefined || value === null || value === "") continue;
    dl.append(el("dt", {}, label), el("dd", {}, String(value)));
  }
  return dl;
}

function actors(event) {
  const first = [event.actor1, event.assoc_actor_1].filter(Boolean).join(" with ");
  const second = [event.actor2, event.assoc_actor_2].filter(Boolean).join(" with ");
  return second ? `${first} — ${second}` : first;
}

function safeLink(url, text) {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") {
      return el("a", { href: parsed.href, target: "_blank", rel: "noopener noreferrer" }, text);
    }
  } catch (_) { /* not a URL: shown as text */ }
  return document.createTextNode(text);
}

// Popup body for an event: its fields at once, then its reports once /events/{id} answers.
export function eventPopup(props) {
  const box = el("section", { class: "event-popup", "data-event-id": props.event_id });
  box.append(
    el("h3", {}, props.sub_event_type || props.event_type || "Event"),
    el("p", { class: "when-where" }, `${props.event_date} · ${props.location || "unknown place"}` +
      (props.country ? `, ${props.country}` : "")),
    fieldRows([
      ["Type", props.event_type], ["Actors", actors(props)], ["Fatalities", props.fatalities],
      ["Certainty", props.certainty], ["Claimed by", props.claim_source],
      ["Sources", props.sources], ["Geo precision", props.geo_precision],
    ]),
    highlightedSentence(props.sentence, props.trigger),
    el("div", { class: "reports" }, el("p", { class: "note" }, "Loading sources…")),
  );
  return box;
}

export function fillReports(box, detail) {
  const holder = box.querySelector(".reports");
  holder.replaceChildren();
  const reports = detail.reports || [];
  holder.append(el("h4", {}, `Reported by ${reports.length} report${reports.length === 1 ? "" : "s"}`));
  const list = el("ol", { class: "report-list" });
  for (const report of reports) {
    const label = [report.source || "unknown outlet", report.published].filter(Boolean).join(", ");
    const head = el("p", { class: "report-source" }, report.url ? safeLink(report.url, label) : label);
    const meta = [report.certainty, report.claim_source && `claimed by ${report.claim_source}`]
      .filter(Boolean).join(" · ");
    list.append(el("li", {}, head, highlightedSentence(report.sentence, report.trigger),
      meta ? el("p", { class: "note" }, meta) : null));
  }
  holder.append(list);
  const why = Object.entries(detail.why || {});
  if (why.length) {
    holder.append(el("h4", {}, "Why"), fieldRows(why.map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
  }
}

export function failReports(box, message) {
  box.querySelector(".reports").replaceChildren(el("p", { class: "error" }, message));
}

export function controlPopup(props) {
  let sources = props.sources;
  if (typeof sources === "string") { try { sources = JSON.parse(sources); } catch (_) { sources = [sources]; } }
  return el("div", { class: "popup control-popup" },
    el("h3", {}, props.name),
    fieldRows([["Held by", props.side], ["State", props.state], ["Since", props.since],
      ["Rule", props.rule], ["Why", props.why], ["Sources", (sources || []).join(", ")]]));
}

export function alertPopup(props) {
  return el("div", { class: "popup alert-popup" },
    el("h3", {}, props.place),
    el("p", {}, props.message),
    fieldRows([["Severity", props.severity], ["Status", props.status], ["Rule", props.rule]]));
}

export function alertItem(props, onSelect) {
  const button = el("button", { type: "button", class: `alert ${props.severity || ""}` },
    el("strong", {}, props.place), " ",
    el("span", { class: `badge ${props.status}` }, props.status), " ",
    el("span", { class: "note" }, `${props.severity} · ${props.rule}`),
    el("span", { class: "message" }, props.message));
  button.addEventListener("click", onSelect);
  return el("li", {}, button);
}

export function legendEvents(counts) {
  const items = EVENT_TYPES.map(([type, colour]) => el("li", { "data-type": type },
    el("span", { class: "swatch dot", style: { background: colour } }), type,
    el("span", { class: "count" }, String(counts[type] || 0))));
  const known = new Set(EVENT_TYPES.map(([type]) => type));
  for (const [type, n] of Object.entries(counts)) {
    if (!known.has(type)) items.push(el("li", { "data-type": type },
      el("span", { class: "swatch dot", style: { background: OTHER_EVENT } }), type, el("span", { class: "count" }, String(n))));
  }
  return items;
}

export function legendSides(sides) {
  return sides.map(([side, colour, km2]) => el("li", { "data-side": side },
    el("span", { class: "swatch area", style: { background: colour } }), side,
    el("span", { class: "count" }, km2 ? `${Math.round(km2).toLocaleString("en")} km²` : "")));
}

export function legendSymbols() {
  return [
    el("li", {}, el("span", { class: "swatch cluster" }), "Cluster of events (click to zoom)"),
    el("li", {}, el("span", { class: "swatch front" }), "Front line"),
    el("li", {}, el("span", { class: "swatch point" }), "Control point (coloured by holder)"),
    el("li", {}, el("span", { class: "swatch ring" }), "Town under alert"),
  ];
}
