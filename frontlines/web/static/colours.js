// Colours of the map: ACLED's six event types, and sides of the control map.

export const EVENT_TYPES = [
  ["Battles", "#c62828"],
  ["Explosions/Remote violence", "#ef6c00"],
  ["Violence against civilians", "#6a1b9a"],
  ["Protests", "#1565c0"],
  ["Riots", "#00897b"],
  ["Strategic developments", "#546e7a"],
];
export const OTHER_EVENT = "#9e9e9e";

// A MapLibre expression colouring a feature by its event_type property.
export function eventColourExpression() {
  const expr = ["match", ["get", "event_type"]];
  for (const [type, colour] of EVENT_TYPES) expr.push(type, colour);
  expr.push(OTHER_EVENT);
  return expr;
}

// A stable colour for a side the sides table gives none (an actor of its own).
export function fallbackColour(name) {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return `hsl(${hash % 360}, 55%, 42%)`;
}

// A MapLibre expression colouring a feature by its side property.
export function sideColourExpression(colours) {
  const entries = Object.entries(colours);
  if (!entries.length) return OTHER_EVENT;
  const expr = ["match", ["get", "side"]];
  for (const [side, colour] of entries) expr.push(side, colour);
  expr.push(OTHER_EVENT);
  return expr;
}
