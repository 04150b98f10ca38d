// The world map: Natural Earth countries (world-atlas, 1:110m) in an Equal
// Earth projection, with facilities drawn as points, own party's in one
// colour and partners' in another. Each point is focusable and names the
// facility, so the map is usable from the keyboard and by screen readers.
import { geoEqualEarth, geoGraticule10, geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import world from "world-atlas/countries-110m.json";
import type { Facility } from "./api";

const SVG = "http://www.w3.org/2000/svg";

function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

// Drawn over the map: routes as lines (lon, lat pairs; d3-geo follows
// great circles between them) and markers such as ships or waypoints.
export interface Overlay {
  lines?: { coords: [number, number][]; cls: string; label: string }[];
  marks?: { lon: number; lat: number; cls: string; label: string; text?: string }[];
}

export function worldMap(
  facilities: Facility[],
  ownParty: string,
  onPick?: (f: Facility) => void,
  overlay: Overlay = {},
): SVGSVGElement {
  const width = 960;
  const height = 480;
  const topo = world as unknown as Topology<{ countries: GeometryCollection; land: GeometryCollection }>;
  const land = feature(topo, topo.objects.land);
  const borders = mesh(topo, topo.objects.countries, (a, b) => a !== b);
  // Framed on the facilities (with a margin) when there are several, so
  // ports a few kilometres apart stay distinguishable; else the world.
  const points = [
    ...facilities.map((f) => [f.position.lon, f.position.lat]),
    ...(overlay.lines ?? []).flatMap((l) => l.coords),
    ...(overlay.marks ?? []).map((m) => [m.lon, m.lat]),
  ];
  const margin = 48;
  const projection = geoEqualEarth().fitExtent(
    [
      [margin, margin],
      [width - margin, height - margin],
    ],
    points.length > 1 ? { type: "MultiPoint", coordinates: points } : { type: "Sphere" },
  );
  const path = geoPath(projection);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "map", role: "img" });
  svg.setAttribute("aria-label", `World map of ${facilities.length} facilities`);
  svg.append(
    s("path", { d: path({ type: "Sphere" }) ?? "", class: "sphere" }),
    s("path", { d: path(geoGraticule10()) ?? "", class: "graticule" }),
    s("path", { d: path(land) ?? "", class: "land" }),
    s("path", { d: path(borders) ?? "", class: "borders" }),
  );
  for (const l of overlay.lines ?? []) {
    const p = s("path", { d: path({ type: "LineString", coordinates: l.coords }) ?? "", class: `route ${l.cls}` });
    const t = s("title", {});
    t.textContent = l.label;
    p.append(t);
    svg.append(p);
  }
  // Partners first, so own facilities are drawn on top where they overlap.
  const ordered = [...facilities].sort((a, b) => Number(a.owner === ownParty) - Number(b.owner === ownParty));
  for (const f of ordered) {
    const p = projection([f.position.lon, f.position.lat]);
    if (!p) continue;
    const own = f.owner === ownParty;
    const g = s("g", { class: `facility ${own ? "own" : "partner"}`, tabindex: 0, role: "button" });
    g.setAttribute("aria-label", `${f.name} (${f.code}), ${own ? "own" : "partner"} ${f.kind}`);
    g.dataset.code = f.code;
    const title = s("title", {});
    title.textContent = `${f.name} — ${f.code} (${f.owner}, ${f.kind})`;
    g.append(title, s("circle", { cx: p[0], cy: p[1], r: 5 }));
    if (onPick) {
      g.addEventListener("click", () => onPick(f));
      g.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          onPick(f);
        }
      });
    }
    svg.append(g);
  }
  // Labels of marks close together are stacked rather than drawn over each other.
  const placed: [number, number][] = [];
  for (const m of overlay.marks ?? []) {
    const p = projection([m.lon, m.lat]);
    if (!p) continue;
    let dy = -4;
    while (placed.some(([x, y]) => Math.abs(x - p[0]) < 90 && Math.abs(y - (p[1] + dy)) < 13)) dy += 14;
    placed.push([p[0], p[1] + dy]);
    const g = s("g", { class: `mark ${m.cls}`, tabindex: 0, transform: `translate(${p[0]},${p[1]})` });
    g.setAttribute("aria-label", m.label);
    const t = s("title", {});
    t.textContent = m.label;
    g.append(t, s("path", { d: "M0,-9 L6,5 L-6,5 Z" }));
    if (m.text) {
      const label = s("text", { x: 8, y: dy });
      label.textContent = m.text;
      g.append(label);
    }
    svg.append(g);
  }
  return svg;
}

export function mapLegend(ownParty: string, extra: [string, string][] = []): HTMLElement {
  const el = document.createElement("p");
  el.className = "legend";
  const own = document.createElement("span");
  own.className = "key own";
  own.textContent = `own (${ownParty})`;
  const partner = document.createElement("span");
  partner.className = "key partner";
  partner.textContent = "partner";
  el.append(own, partner);
  for (const [cls, text] of extra) {
    const k = document.createElement("span");
    k.className = `key ${cls}`;
    k.textContent = text;
    el.append(k);
  }
  return el;
}
