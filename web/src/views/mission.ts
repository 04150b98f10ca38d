// The mission planner: one of the party's units, an origin and a
// destination (facility codes or "LAT,LON"), a departure, a speed and an
// objective go to the server's mission planner (the sea lanes for ships,
// geodesics for aircraft); the route, the refuelling stops and the fuel
// profile come back and are drawn on the map, in a chart and in tables. A
// requester may then have the draft support orders for the partner stops
// created, which go through the order lifecycle like any other.
import { call, enc, type Facility } from "../api";
import { facilities, units } from "../data";
import { actionForm, errorBox, field, h, loading, section, svg, table } from "../dom";
import { mapLegend, worldMap, type Overlay } from "../map";
import { fill, findRoute, type ApiRoute } from "../routes";
import { has, party } from "../session";

interface Place {
  code: string;
  name: string;
  lat: number;
  lon: number;
}
interface Leg {
  from: Place;
  to: Place;
  distance_nm: number;
  depart: string;
  arrive: string;
  fuel_departure: number;
  fuel_used: number;
  fuel_arrival: number;
}
interface Stop {
  facility: string;
  name: string;
  partner: boolean;
  grade: string;
  arrive: string;
  depart: string;
  fuel_arrival: number;
  fuel_to_request: number;
  cost: string;
}
export interface MissionPlan {
  unit: string;
  feasible: boolean;
  reason?: string;
  fuel_unit: string;
  agreement: string;
  partner: string;
  reserve: number;
  total_nm: number;
  total_hours: number;
  partner_stops: number;
  cost: string;
  min_fuel: number | null;
  legs: Leg[];
  stops: Stop[];
  excluded: { facility: string; reason: string }[];
  // Legs as LineStrings (properties.leg, 1-based) along the sea lanes, and
  // stops as Points (properties.facility).
  geojson?: { features: { geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[] };
  orders?: { number: string; facility: string; state?: string }[];
}

const fixed = (v: number, d = 1) => v.toLocaleString("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d });
const time = (iso: string) => iso.replace("T", " ").replace(/:00Z$/, "Z");

// Leg i's line as [lon, lat] pairs: the sea-lane path from the plan's
// GeoJSON, else the great circle between its ends.
function legCoords(plan: MissionPlan, i: number): [number, number][] {
  const f = plan.geojson?.features.find((x) => x.geometry.type === "LineString" && x.properties.leg === i + 1);
  const pts = (f?.geometry.coordinates ?? []) as [number, number][];
  const l = plan.legs[i];
  return pts.length > 1 ? pts : [[l.from.lon, l.from.lat], [l.to.lon, l.to.lat]];
}

export function missionOverlay(plan: MissionPlan, cls = "mission"): Overlay {
  return {
    lines: plan.legs.map((l, i) => ({
      coords: legCoords(plan, i),
      cls,
      label: `Leg ${i + 1}: ${l.from.code || "start"} to ${l.to.code || "end"}, ${fixed(l.distance_nm)} nm`,
    })),
    marks: plan.stops.map((s) => {
      const leg = plan.legs.find((l) => l.to.code === s.facility);
      return {
        lon: leg?.to.lon ?? 0,
        lat: leg?.to.lat ?? 0,
        cls: s.partner ? "stop partner-stop" : "stop own-stop",
        label: `Stop ${s.facility}: request ${fixed(s.fuel_to_request)} ${plan.fuel_unit} of ${s.grade}`,
        text: s.facility,
      };
    }),
  };
}

// Fuel on board against distance sailed: down along each leg, up at each
// stop, with the reserve as a dashed line.
function fuelChart(plan: MissionPlan): SVGSVGElement {
  const W = 640, H = 230, L = 60, R = 12, T = 24, B = 34;
  const pts: { nm: number; fuel: number }[] = [];
  let nm = 0;
  for (const l of plan.legs) {
    pts.push({ nm, fuel: l.fuel_departure });
    nm += l.distance_nm;
    pts.push({ nm, fuel: l.fuel_arrival });
  }
  const maxFuel = Math.max(1, ...pts.map((p) => p.fuel), plan.reserve);
  const x = (v: number) => L + (v / Math.max(1, nm)) * (W - L - R);
  const y = (v: number) => T + (1 - v / maxFuel) * (H - T - B);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart fuel", role: "img" });
  chart.setAttribute("aria-label", `Fuel on board over ${fixed(nm, 0)} nm, lowest ${fixed(plan.min_fuel ?? 0)} ${plan.fuel_unit}`);
  for (let i = 0; i <= 4; i++) {
    const v = (maxFuel * i) / 4;
    chart.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }), svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, fixed(v, 0)));
  }
  chart.append(
    svg("line", { x1: L, x2: W - R, y1: y(plan.reserve), y2: y(plan.reserve), class: "reserve" }),
    svg("text", { x: W - R, y: y(plan.reserve) - 4, "text-anchor": "end", class: "reserve-label" }, `reserve ${fixed(plan.reserve)}`),
    svg("path", { d: pts.map((p, i) => `${i ? "L" : "M"}${x(p.nm).toFixed(1)},${y(p.fuel).toFixed(1)}`).join(""), class: "fuel-line" }),
    svg("text", { x: L, y: H - 8 }, "0 nm"),
    svg("text", { x: W - R, y: H - 8, "text-anchor": "end" }, `${fixed(nm, 0)} nm`),
    svg("text", { x: 4, y: 12 }, `fuel on board (${plan.fuel_unit})`),
  );
  let at = 0;
  for (const l of plan.legs.slice(0, -1)) {
    at += l.distance_nm;
    chart.append(svg("text", { x: x(at), y: H - 20, "text-anchor": "middle", class: "stop-label" }, l.to.code));
  }
  return chart;
}

function isoFromLocal(v: string): string {
  return v ? new Date(`${v}:00Z`).toISOString().replace(/\.\d{3}Z$/, "Z") : "";
}

export async function missionView(main: HTMLElement): Promise<void> {
  main.append(h("h1", null, "Mission planner"));
  const wait = main.appendChild(loading("units and facilities"));
  const [route, ordersRoute, us, fs] = await Promise.all([
    findRoute("POST", /^\/mission-plans$/),
    findRoute("POST", /^\/mission-plans\/orders$/),
    units(),
    facilities(),
  ]);
  wait.remove();
  if (!route) {
    main.append(h("p", { class: "empty" }, "This server has no mission-planning route."));
    return;
  }
  if (route.roles.length && !has(...route.roles)) {
    main.append(h("div", { class: "error", role: "alert" }, `Planning a mission is for the roles ${route.roles.join(", ")}.`));
    return;
  }
  if (!us.length) {
    main.append(h("p", { class: "empty" }, `${party()} has no units to plan for.`));
    return;
  }
  // Ships first, then aircraft: the units that make voyages or ferry flights.
  const movers = [...us].sort((a, b) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === "ship" ? -1 : b.kind === "ship" ? 1 : a.kind.localeCompare(b.kind)));
  const unit = h("select", { "data-field": "unit" }, movers.map((u) => h("option", { value: u.code }, `${u.code} — ${u.name} (${u.kind})`)));
  const places = h("datalist", { id: "places" }, fs.map((f) => h("option", { value: f.code }, `${f.name} (${f.owner})`)));
  const own = fs.find((f) => f.owner === party() && /port|naval/.test(f.kind)) ?? fs.find((f) => f.owner === party());
  const from = h("input", { "data-field": "from", list: "places", value: own?.code ?? "", autocomplete: "off" });
  const to = h("input", { "data-field": "to", list: "places", autocomplete: "off" });
  const start = new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 11) + "08:00";
  const depart = h("input", { "data-field": "departure", type: "datetime-local", value: start });
  const speed = h("input", { "data-field": "speed", type: "number", min: "1", step: "0.5", placeholder: "cruise speed" });
  const objective = h(
    "select",
    { "data-field": "objective" },
    [["time", "shortest time"], ["distance", "shortest distance"], ["partner-stops", "fewest partner stops"], ["cost", "lowest fuel cost"]].map(([v, t]) => h("option", { value: v }, t)),
  );
  const cruise = h("span", { class: "hint" });
  const showCruise = () => {
    const u = us.find((x) => x.code === unit.value);
    cruise.textContent = u && u.cruise_speed_kn ? `cruise ${u.cruise_speed_kn} kn, ${u.fuel_grade}` : "";
  };
  unit.addEventListener("change", showCruise);
  showCruise();
  const out = h("div", { "aria-live": "polite" });
  // One key per plan shown: pressing "Create" again after a lost answer
  // returns the orders already made instead of drafting them twice.
  let draftKey = "";

  const request = (createOrders: boolean) => {
    const body: Record<string, unknown> = {
      unit: unit.value,
      from: from.value.trim(),
      to: to.value.trim(),
      departure: isoFromLocal(depart.value),
      objective: objective.value,
    };
    if (speed.value) body.speed = Number(speed.value);
    return createOrders ? send(ordersRoute!, body, { "Idempotency-Key": draftKey }) : send(route, body);
  };
  const form = actionForm(
    "Plan a mission",
    "plan",
    [
      places,
      h(
        "div",
        { class: "row" },
        h("div", { class: "field" }, h("label", { for: "m-unit" }, "Unit"), Object.assign(unit, { id: "m-unit" }), cruise),
        field("m-from", "Origin", from, "facility code or LAT,LON"),
        field("m-to", "Destination", to, "facility code or LAT,LON"),
      ),
      h("div", { class: "row" }, field("m-depart", "Departure (UTC)", depart), field("m-speed", "Speed (kn)", speed), field("m-objective", "Objective", objective)),
    ],
    "Plan",
    async () => {
      out.replaceChildren(loading("the plan"));
      try {
        const plan = await request(false);
        drawPlan(plan);
        return plan.feasible
          ? `${plan.legs.length} legs, ${fixed(plan.total_nm, 0)} nm in ${fixed(plan.total_hours / 24)} days, ${plan.stops.length} stops.`
          : `No feasible plan: ${plan.reason ?? ""}`;
      } catch (e) {
        out.replaceChildren();
        throw e;
      }
    },
  );
  main.append(form, out);
  const seaRoute = await findRoute("GET", /^\/sea-routes$/);
  if (seaRoute && (!seaRoute.roles.length || has(...seaRoute.roles))) main.append(seaRouteForm(seaRoute, fs));

  const drawPlan = (plan: MissionPlan) => {
    const ov = missionOverlay(plan);
    const used = new Set([...plan.legs.flatMap((l) => [l.from.code, l.to.code])]);
    const map = worldMap(
      fs.filter((f) => used.has(f.code)),
      party(),
      undefined,
      ov,
    );
    map.setAttribute("aria-label", `Route of ${plan.unit}: ${plan.legs.length} legs, ${fixed(plan.total_nm, 0)} nm`);
    const legRows = plan.legs.map((l, i) => [
      String(i + 1),
      l.from.code || `${l.from.lat.toFixed(2)},${l.from.lon.toFixed(2)}`,
      l.to.code || `${l.to.lat.toFixed(2)},${l.to.lon.toFixed(2)}`,
      fixed(l.distance_nm),
      time(l.depart),
      time(l.arrive),
      fixed(l.fuel_departure),
      fixed(l.fuel_used),
      fixed(l.fuel_arrival),
    ]);
    const stopRows = plan.stops.map((s) => [s.facility, s.partner ? "partner" : "own", s.grade, time(s.arrive), time(s.depart), `${fixed(s.fuel_to_request)} ${plan.fuel_unit}`, s.partner ? s.cost : "—"]);
    const orders = h("div", { "aria-live": "polite" });
    draftKey = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
    const canDraft = !!ordersRoute && has("requester") && plan.feasible && plan.partner_stops > 0;
    out.replaceChildren(
      plan.feasible ? "" : h("div", { class: "error", role: "alert" }, `No feasible plan: ${plan.reason ?? "unknown reason"}`),
      h(
        "div",
        { class: "split" },
        section("Route", "route-h", map, mapLegend(party(), [["mission", "route"], ["stop", "refuelling stop"]])),
        section(
          "Summary",
          "sum-h",
          h(
            "dl",
            { class: "facts" },
            [
              ["Unit", plan.unit],
              ["Distance", `${fixed(plan.total_nm, 0)} nm`],
              ["Time", `${fixed(plan.total_hours)} h (${fixed(plan.total_hours / 24)} days)`],
              ["Stops", `${plan.stops.length} (${plan.partner_stops} partner)`],
              ["Lowest fuel", plan.min_fuel === null ? "—" : `${fixed(plan.min_fuel)} ${plan.fuel_unit}`],
              ["Reserve", `${fixed(plan.reserve)} ${plan.fuel_unit}`],
              ["Partner fuel cost", plan.cost],
              ["Agreement", plan.agreement || "—"],
            ].map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
          ),
          canDraft
            ? h("button", {
                type: "button",
                onclick: async (e: Event) => {
                  const b = e.currentTarget as HTMLButtonElement;
                  b.disabled = true;
                  orders.replaceChildren(loading("the draft orders"));
                  try {
                    const res = await request(true);
                    const made = res.orders ?? [];
                    orders.replaceChildren(
                      h("p", { class: "notice", role: "status" }, `${made.length} draft ${made.length === 1 ? "order" : "orders"} created.`),
                      h("ul", null, made.map((o) => h("li", null, h("a", { href: `/orders/${enc(o.number)}`, "data-link": true }, o.number), ` at ${o.facility}`))),
                    );
                  } catch (err) {
                    orders.replaceChildren(errorBox(err));
                    b.disabled = false;
                  }
                },
              }, "Create the draft orders")
            : null,
          orders,
        ),
      ),
      section("Fuel profile", "fuel-h", fuelChart(plan)),
      section("Legs", "legs-h", table(["Leg", "From", "To", "nm", "Depart", "Arrive", `Fuel out (${plan.fuel_unit})`, "Used", "Fuel in"], legRows, "Legs")),
      section("Stops", "stops-h", table(["Stop", "Owner", "Grade", "Arrive", "Depart", "Request", "Cost"], stopRows, "Refuelling stops")),
      plan.excluded.length
        ? h("details", { class: "card" }, h("summary", null, `Facilities not used (${plan.excluded.length})`), table(["Facility", "Why"], plan.excluded.map((x) => [x.facility, x.reason]), "Facilities not used"))
        : "",
    );
  };
}

const send = (route: ApiRoute, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call<MissionPlan>("POST", fill(route), body, headers);

interface SeaRoute {
  distance_nm: number;
  geodesic_nm: number;
  duration_hours?: number;
  arrival?: string;
  passages: { id: string; name: string; from_start_nm: number; until_nm: number; arrival?: string; leaving?: string }[];
  waypoints: [number, number][]; // [lat, lon]
  geometry?: { coordinates: [number, number][] };
}

// A sea route alone, between two positions, reference ports or facilities
// (a facility code is sent as its position), with the passages it uses.
function seaRouteForm(route: ApiRoute, fs: Facility[]): HTMLElement {
  const from = h("input", { "data-field": "from", list: "places", autocomplete: "off" });
  const to = h("input", { "data-field": "to", list: "places", autocomplete: "off" });
  const avoid = h("input", { "data-field": "avoid", placeholder: "suez,malacca" });
  const draught = h("input", { "data-field": "max_draught", type: "number", min: "0", step: "0.1" });
  const speed = h("input", { "data-field": "speed", type: "number", min: "1", step: "0.5" });
  const out = h("div", { "aria-live": "polite" });
  const place = (v: string) => {
    const f = fs.find((x) => x.code === v.trim());
    return f ? `${f.position.lat},${f.position.lon}` : v.trim();
  };
  const form = actionForm(
    "Sea route only",
    "sea-route",
    [
      h("p", { class: "muted" }, "The shortest sea route between two facilities, reference ports (such as visakhapatnam) or positions (LAT,LON), without refuelling."),
      h("div", { class: "row" }, field("r-from", "From", from), field("r-to", "To", to), field("r-avoid", "Avoid passages", avoid)),
      h("div", { class: "row" }, field("r-draught", "Draught (m)", draught), field("r-speed", "Speed (kn)", speed)),
    ],
    "Find route",
    async () => {
      const q = new URLSearchParams({ from: place(from.value), to: place(to.value) });
      if (avoid.value.trim()) q.set("avoid", avoid.value.trim());
      if (draught.value) q.set("max_draught", draught.value);
      if (speed.value) q.set("speed", speed.value);
      out.replaceChildren(loading("the route"));
      let r: SeaRoute;
      try {
        r = await call<SeaRoute>("GET", `${fill(route)}?${q}`);
      } catch (e) {
        out.replaceChildren();
        throw e;
      }
      const coords = r.geometry?.coordinates ?? r.waypoints.map(([lat, lon]): [number, number] => [lon, lat]);
      const ends = fs.filter((f) => f.code === from.value.trim() || f.code === to.value.trim());
      out.replaceChildren(
        h(
          "div",
          { class: "split" },
          worldMap(ends, party(), undefined, { lines: [{ coords, cls: "mission", label: `${fixed(r.distance_nm, 0)} nm` }] }),
          h(
            "div",
            null,
            h(
          "dl",
          { class: "facts" },
          [
            ["Distance", `${fixed(r.distance_nm)} nm`],
            ["Great circle", `${fixed(r.geodesic_nm)} nm`],
            ...(r.duration_hours !== undefined ? [["Time", `${fixed(r.duration_hours)} h`], ["Arrival", time(r.arrival ?? "")]] : []),
          ].map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
        ),
        table(
          ["Passage", "From nm", "To nm", "Enter", "Leave"],
          r.passages.map((p) => [p.name, fixed(p.from_start_nm, 0), fixed(p.until_nm, 0), time(p.arrival ?? ""), time(p.leaving ?? "")]),
          "Passages",
        ),
          ),
        ),
      );
      return `${fixed(r.distance_nm, 0)} nm through ${r.passages.length} ${r.passages.length === 1 ? "passage" : "passages"}.`;
    },
  );
  form.classList.add("plain");
  return h("section", { class: "card", "aria-label": "Sea route only" }, form, out);
}
