// The exercise planner: the exercises the party takes part in, and for one
// exercise its port calls, the berth plan of each facility as a Gantt chart
// (one row per berth, conflicts with what is already reserved shaded red),
// and the capacity of each facility over the exercise's period (places
// held against capacity, fuel stock against time).
import { call, enc, get, newKey, post, type Order } from "../api";
import { facilities } from "../data";
import { actionForm, badge, errorBox, field, h, loading, section, svg, table, when } from "../dom";
import { navigate } from "../main";
import { fill, findRoute, firstArray, type ApiRoute } from "../routes";
import { has, party } from "../session";

interface PortCall {
  unit: string;
  facility: string;
  arrive: string;
  depart: string;
  priority?: number;
}
interface Exercise {
  code: string;
  name: string;
  purpose: string;
  description?: string;
  agreement: string;
  start: string;
  end: string;
  parties: string[];
  units: string[];
  facilities: string[];
  calls: PortCall[];
  status: string;
  version?: number;
}
interface Slot {
  call: number; // 1-based index into the exercise's calls
  unit: string;
  berth: string;
  start: string;
  end: string;
  delay_hours: number;
}
interface BerthPlan {
  facility: string;
  berths: string[];
  slots: Slot[];
  method?: string;
  problem?: string;
}
export interface Conflict {
  facility: string;
  resource: string;
  from: string;
  to: string | null; // null: from `from` onwards (a fuel stock that stays short)
  // At a partner's facility the server leaves out capacity and demand (the
  // owner's internals) and counts the orders the caller may not see.
  capacity?: number;
  demand?: number;
  shortfall?: number;
  orders: string[];
  other_orders?: number;
  stock_unit?: string;
}

export const shortBy = (c: Conflict) => c.shortfall ?? (c.demand ?? 0) - (c.capacity ?? 0);
const orNot = (v: number | undefined) => (v === undefined ? "—" : String(v));
const ordersText = (c: Conflict) => [...c.orders, ...(c.other_orders ? [`${c.other_orders} of the partner's`] : [])].join(", ");
interface Plan {
  berth_plans: BerthPlan[];
  conflicts: Conflict[];
  orders?: { label: string; requester?: string; request?: { facility: string; unit: string } }[];
}
interface Held {
  order: string;
  unit: string;
  amount: number;
  start: string;
  end: string;
}
interface Usage {
  facility: string;
  resources: {
    resource: string;
    kind: string;
    capacity: number;
    detail?: string;
    held: Held[];
    peak?: number;
    stock?: { at: string; stock: number; what: string }[];
  }[];
}

const ms = (iso: string) => Date.parse(iso);
const until = (c: Conflict, t1: number) => (c.to ? ms(c.to) : t1);

interface ExerciseRoutes {
  list: ApiRoute | null;
  one: ApiRoute | null;
  plan: ApiRoute | null;
  usage: ApiRoute | null;
  create: ApiRoute | null;
  orders: ApiRoute | null;
  raise: ApiRoute | null;
  status: ApiRoute | null;
  replenish: ApiRoute | null;
}

export async function exerciseRoutes(): Promise<ExerciseRoutes> {
  const [list, one, plan, usage, create, orders, raise, status, replenish] = await Promise.all([
    findRoute("GET", /^\/exercises$/),
    findRoute("GET", /^\/exercises\/\{[^}]+\}$/),
    findRoute("GET", /^\/exercises\/\{[^}]+\}\/plan$/).then((r) => r ?? findRoute("POST", /^\/exercises\/\{[^}]+\}\/plan$/)),
    findRoute("GET", /^\/(facilities\/\{[^}]+\}\/(capacity|usage)|capacity\/\{[^}]+\}(\/usage)?)$/),
    findRoute("POST", /^\/exercises$/),
    findRoute("GET", /^\/exercises\/\{[^}]+\}\/orders$/),
    findRoute("POST", /^\/exercises\/\{[^}]+\}\/orders$/),
    findRoute("POST", /^\/exercises\/\{[^}]+\}\/status$/),
    findRoute("POST", /^\/facilities\/\{[^}]+\}\/replenishments$/),
  ]);
  return { list, one, plan, usage, create, orders, raise, status, replenish };
}

// May the signed-in person use this route (by the roles it names)?
const allowed = (r: ApiRoute | null): r is ApiRoute => !!r && (!r.roles.length || has(...r.roles));

// An exercise plan as `relos exercise create FILE` reads it (JSON), to start
// from: one call, 60 days ahead, at the first own or partner facility.
function planTemplate(): string {
  const day = 864e5;
  const start = new Date(Math.ceil(Date.now() / day) * day + 60 * day);
  const iso = (d: number) => new Date(start.getTime() + d * day).toISOString().replace(/\.\d{3}Z$/, "Z");
  return JSON.stringify(
    {
      code: "",
      name: "",
      purpose: "exercise",
      agreement: "",
      start: iso(0),
      end: iso(7),
      parties: [],
      units: [],
      facilities: [],
      calls: [{ unit: "", facility: "", arrive: iso(1), depart: iso(3), lines: [{ item: "BERTH-DAY", quantity: "2 berth-day" }] }],
    },
    null,
    2,
  );
}

// The form that creates an exercise from its plan: the JSON of a plan file,
// typed or loaded from a file; the API's refusal names the field.
function createForm(route: ApiRoute): HTMLElement {
  const text = h("textarea", { "data-field": "plan", rows: 16, spellcheck: "false", class: "code" });
  text.value = planTemplate();
  const file = h("input", { type: "file", accept: ".json,application/json" });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (f) text.value = await f.text();
    key = newKey();
  });
  // One key per plan sent: a retry after a lost answer creates it once.
  let key = newKey();
  text.addEventListener("input", () => (key = newKey()));
  const form = actionForm(
    "Create an exercise",
    "exercise-create",
    [
      h("p", { class: "muted" }, "The exercise's plan as JSON, the same as a plan file for relos exercise create: period, parties, units, facilities and port calls with their lines."),
      field("x-file", "Load a plan file (optional)", file),
      field("x-plan", "Plan (JSON)", text),
    ],
    "Create exercise",
    async () => {
      let body: unknown;
      try {
        body = JSON.parse(text.value);
      } catch (e) {
        throw Object.assign(new Error(`The plan is not JSON: ${(e as Error).message}`), { field: "plan" });
      }
      const x = await post<Exercise>(fill(route), body, { "Idempotency-Key": key });
      setTimeout(() => navigate(`/exercises/${enc(x.code)}`));
      return `Exercise ${x.code} created.`;
    },
  );
  return h("details", { class: "card" }, h("summary", null, "Create an exercise"), form);
}

// Moves the exercise through planned, active, completed or cancelled; the
// version last read guards against a change made meanwhile (409).
function statusForm(route: ApiRoute, x: Exercise): HTMLElement {
  const to = h("select", { "data-field": "status" }, ["planned", "active", "completed", "cancelled"].map((st) => h("option", { value: st, selected: st === x.status }, st)));
  const form = actionForm("Status", "exercise-status", [field("x-status", "Set the status to", to)], "Set status", async () => {
    const headers: Record<string, string> = x.version === undefined ? {} : { "If-Match": `"${x.version}"` };
    const changed = await call<Exercise>("POST", fill(route, x.code), { status: to.value }, headers);
    // Read the exercise again, so its facts show the new status.
    setTimeout(() => navigate(location.pathname), 600);
    return `${x.code} is ${changed.status}.`;
  });
  form.classList.add("plain");
  return form;
}

// The exercise's orders, and the action that raises them from the plan:
// one draft order per port call of the person's party, at the berth times
// the plan gives; raising again returns the same orders.
async function ordersSection(r: ExerciseRoutes, x: Exercise): Promise<HTMLElement> {
  const box = section("Orders", "xorders-h", loading("the exercise's orders"));
  const list = h("div", null);
  const show = async () => {
    if (!r.orders) {
      list.replaceChildren(h("p", { class: "muted" }, "This server does not list an exercise's orders."));
      return;
    }
    const os = firstArray<Order>(await get(fill(r.orders, x.code)));
    list.replaceChildren(
      table(
        ["Order", "Unit", "Facility", "State", "Lines"],
        os.map((o) => [h("a", { href: `/orders/${enc(o.number)}`, "data-link": true }, o.number), o.unit, o.facility, badge(o.state), String(o.lines.length)]),
        "Orders of this exercise",
      ),
    );
  };
  try {
    await show();
  } catch (e) {
    list.replaceChildren(errorBox(e));
  }
  box.replaceChildren(h("h2", { id: "xorders-h" }, "Orders"), list);
  if (allowed(r.raise) && x.parties.includes(party())) {
    let key = newKey();
    const submit = h("input", { type: "checkbox", id: "x-submit", "data-field": "submit" });
    box.append(
      actionForm(
        "Raise the exercise's orders",
        "exercise-orders",
        [
          h("p", { class: "muted" }, `One order per port call of ${party()}'s units, with the berth times of the plan; raising again returns the same orders. Each is approved like any other order.`),
          h("div", { class: "field check" }, submit, h("label", { for: "x-submit" }, "Submit them to the supplier at once")),
        ],
        "Raise orders",
        async () => {
          const res = await post<{ created?: { number: string }[]; skipped?: string[] }>(fill(r.raise!, x.code), { submit: submit.checked }, { "Idempotency-Key": key });
          key = newKey();
          const made = res.created ?? [];
          await show().catch((e) => list.replaceChildren(errorBox(e)));
          const skipped = res.skipped?.length ? ` Not ${party()}'s: ${res.skipped.join("; ")}.` : "";
          return `${made.length} ${made.length === 1 ? "order" : "orders"} raised: ${made.map((o) => o.number).join(", ") || "none"}.${skipped}`;
        },
      ),
    );
  }
  return box;
}

export async function exercisesView(main: HTMLElement): Promise<void> {
  main.append(h("h1", null, "Exercises"));
  const r = await exerciseRoutes();
  if (!r.list) {
    main.append(h("p", { class: "empty" }, "This server has no exercise routes."));
    return;
  }
  if (allowed(r.create)) main.append(createForm(r.create));
  const wait = main.appendChild(loading("exercises"));
  const list = firstArray<Exercise>(await get(fill(r.list)));
  wait.remove();
  main.append(
    table(
      ["Exercise", "Name", "Status", "Agreement", "From", "To", "Units", "Calls"],
      list.map((x) => [
        h("a", { href: `/exercises/${enc(x.code)}`, "data-link": true }, x.code),
        x.name,
        badge(x.status),
        x.agreement,
        when(x.start),
        when(x.end),
        String(x.units.length),
        String(x.calls.length),
      ]),
      "Exercises",
    ),
  );
}

// One berth plan as a Gantt chart over [t0, t1): rows are berths, bars the
// ships alongside; a bar whose ship is named in a conflict at this
// facility, and the conflict's time span, are drawn as conflicts.
function gantt(bp: BerthPlan, conflicts: Conflict[], t0: number, t1: number, calls: PortCall[]): SVGSVGElement {
  const rows = bp.berths.length ? bp.berths : [...new Set(bp.slots.map((s) => s.berth))];
  const W = 900, L = 90, R = 10, T = 26, rowH = 30;
  const H = T + rows.length * rowH + 10;
  const x = (t: number) => L + ((t - t0) / Math.max(1, t1 - t0)) * (W - L - R);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart gantt", role: "img", "data-facility": bp.facility });
  chart.setAttribute("aria-label", `Berth plan at ${bp.facility}: ${bp.slots.length} ships on ${rows.length} berths, ${conflicts.length} conflicts`);
  // Day ticks.
  const day = 864e5;
  const step = Math.max(1, Math.ceil((t1 - t0) / day / 10));
  for (let t = Math.ceil(t0 / day) * day; t <= t1; t += step * day) {
    chart.append(svg("line", { x1: x(t), x2: x(t), y1: T - 4, y2: H - 6, class: "grid" }));
    if (x(t) < W - 50) chart.append(svg("text", { x: x(t) + 2, y: T - 8 }, new Date(t).toISOString().slice(5, 10)));
  }
  for (const c of conflicts) {
    const from = Math.max(t0, ms(c.from)), to = Math.min(t1, until(c, t1));
    const band = svg("rect", { x: x(from), y: T - 2, width: Math.max(2, x(to) - x(from)), height: rows.length * rowH, class: "conflict-band" });
    band.append(svg("title", {}, `${c.resource}: short by ${shortBy(c)} (${ordersText(c)})`));
    chart.append(band);
  }
  rows.forEach((b, i) => {
    chart.append(svg("text", { x: 4, y: T + i * rowH + 19 }, b));
  });
  const conflicted = new Set(conflicts.flatMap((c) => c.orders));
  for (const s of bp.slots) {
    const i = Math.max(0, rows.indexOf(s.berth));
    const a = ms(s.start), e = ms(s.end);
    // A slot is in conflict when a conflict at this facility overlaps it
    // in time and names its call's order ("<exercise>/<call>" until the
    // order exists) or concerns the berths themselves.
    const clash = conflicts.some(
      (c) => ms(c.from) < e && a < until(c, t1) && (conflicted.has(s.unit) || c.orders.some((o) => o.endsWith(`/${s.call}`)) || c.resource.startsWith("berth")),
    );
    const g = svg("g", { class: `slot${clash ? " conflict" : ""}`, tabindex: 0 });
    const call = calls[s.call - 1];
    g.setAttribute("aria-label", `${s.unit} at berth ${s.berth} from ${when(s.start)} to ${when(s.end)}${s.delay_hours ? `, ${s.delay_hours} h late` : ""}${clash ? ", in conflict" : ""}`);
    // A ship kept waiting: a thin line from the arrival it asked for.
    if (s.delay_hours > 0) {
      const asked = a - s.delay_hours * 36e5;
      g.append(svg("line", { x1: x(asked), x2: x(a), y1: T + i * rowH + rowH / 2, y2: T + i * rowH + rowH / 2, class: "wait" }));
    }
    g.append(
      svg("title", {}, `${s.unit}: ${when(s.start)} – ${when(s.end)}${call ? ` (asked ${when(call.arrive)})` : ""}${s.delay_hours ? `, delayed ${s.delay_hours} h` : ""}`),
      svg("rect", { x: x(a), y: T + i * rowH + 4, width: Math.max(3, x(e) - x(a)), height: rowH - 8, rx: 3 }),
      svg("text", { x: x(a) + 4, y: T + i * rowH + 19 }, s.unit),
    );
    chart.append(g);
  }
  return chart;
}

// Places held of each counted resource over time against its capacity
// (step lines, the capacity dashed), or the projected stock of each fuel
// grade (in its unit; the API counts stock in thousandths).
function capacityChart(u: Usage, t0: number, t1: number): HTMLElement {
  const out = h("div", { class: "cap-charts" });
  const full = (v: number) => v.toLocaleString("en-GB", { maximumFractionDigits: 3 });
  const short = (v: number) => (v >= 10000 ? `${Math.round(v / 1000).toLocaleString("en-GB")}k` : v.toLocaleString("en-GB", { maximumFractionDigits: 1 }));
  for (const r of u.resources) {
    const W = 420, H = 120, L = 44, R = 8, T = 10, B = 20;
    const x = (t: number) => L + ((Math.min(Math.max(t, t0), t1) - t0) / Math.max(1, t1 - t0)) * (W - L - R);
    const fuel = r.kind === "fuel" || r.stock !== undefined;
    // Level changes as [time, change]; the level before t0 is `start`.
    let start = 0;
    const change = new Map<number, number>();
    if (fuel) {
      // The projection is the stock after each event from now on.
      let level = r.capacity / 1000;
      const steps = (r.stock ?? []).map((p) => [ms(p.at), p.stock / 1000] as const).sort((a, b) => a[0] - b[0]);
      for (const [t, v] of steps) {
        if (t <= t0) start = v;
        else change.set(t, (change.get(t) ?? 0) + v - level);
        level = v;
      }
      if (!steps.length || steps[0][0] > t0) start = r.capacity / 1000;
    } else {
      // Changes at the same instant are summed, so a ship leaving as another
      // arrives is no dip.
      for (const hd of r.held) {
        const a = Math.max(ms(hd.start), t0);
        start += ms(hd.start) <= t0 && ms(hd.end) > t0 ? hd.amount : 0;
        if (ms(hd.start) > t0) change.set(a, (change.get(a) ?? 0) + hd.amount);
        if (ms(hd.end) > t0) change.set(ms(hd.end), (change.get(ms(hd.end)) ?? 0) - hd.amount);
      }
    }
    let level = start;
    const pts: [number, number][] = [[t0, level]];
    for (const [t, d] of [...change].sort((a, b) => a[0] - b[0])) {
      if (t >= t1) break;
      pts.push([t, level]);
      level += d;
      pts.push([t, level]);
    }
    pts.push([t1, level]);
    const limit = fuel ? 0 : r.capacity;
    const max = Math.max(limit, ...pts.map((p) => p[1]), 1);
    const y = (v: number) => T + (1 - v / max) * (H - T - B);
    const over = !fuel && pts.some((p) => p[1] > r.capacity);
    const peak = Math.max(...pts.map((p) => p[1]));
    const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: `chart capacity${over ? " over" : ""}`, role: "img" });
    chart.setAttribute(
      "aria-label",
      fuel
        ? `${r.resource} at ${u.facility}: stock from ${full(start)} to ${full(level)} ${r.detail}, lowest ${full(Math.min(...pts.map((p) => p[1])))}`
        : `${r.resource} at ${u.facility}: capacity ${r.capacity}, peak ${peak}`,
    );
    chart.append(
      fuel ? "" : svg("line", { x1: L, x2: W - R, y1: y(r.capacity), y2: y(r.capacity), class: "reserve" }),
      svg("path", { d: pts.map((p, i) => `${i ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(""), class: "fuel-line" }),
      svg("text", { x: L - 4, y: y(max) + 4, "text-anchor": "end" }, short(max)),
      svg("text", { x: L - 4, y: y(0) + 4, "text-anchor": "end" }, "0"),
      svg("text", { x: L, y: H - 4 }, new Date(t0).toISOString().slice(5, 10)),
      svg("text", { x: W - R, y: H - 4, "text-anchor": "end" }, new Date(t1).toISOString().slice(5, 10)),
    );
    const caption = fuel ? `${r.resource}: stock in ${r.detail || "its unit"}` : `${r.resource}${r.detail ? ` (${r.detail})` : ""}: ${peak} of ${r.capacity} held at the peak`;
    out.append(h("figure", null, h("figcaption", null, caption), chart));
  }
  return out;
}

export async function exerciseView(main: HTMLElement, params: Record<string, string>): Promise<void> {
  const r = await exerciseRoutes();
  main.append(h("p", { class: "crumbs" }, h("a", { href: "/exercises", "data-link": true }, "Exercises")), h("h1", null, params.code));
  if (!r.one) {
    main.append(h("p", { class: "empty" }, "This server has no exercise routes."));
    return;
  }
  const wait = main.appendChild(loading("the exercise"));
  // The exercise, with (from a server that sends them) the caller's
  // party's orders for it by state and their costs.
  const body = await get<Exercise & { exercise?: Exercise; order_states?: Record<string, number>; costs?: Record<string, Record<string, string>> }>(fill(r.one, params.code)).catch((e) => {
    wait.remove();
    throw e;
  });
  wait.remove();
  const x: Exercise = body.exercise ?? body;
  const money = (m: Record<string, string> | undefined) => Object.values(m ?? {}).join(", ");
  const t0 = ms(x.start), t1 = ms(x.end);
  main.append(
    h(
      "dl",
      { class: "facts" },
      [
        ["Name", x.name],
        ["Status", x.status],
        ["Agreement", x.agreement],
        ["Purpose", x.purpose],
        ["From", when(x.start)],
        ["To", when(x.end)],
        ["Parties", x.parties.join(", ")],
        ["Units", x.units.join(", ")],
        ...(body.order_states ? [["Orders", Object.entries(body.order_states).map(([k, n]) => `${n} ${k}`).join(", ") || "none yet"]] : []),
        ...(money(body.costs?.quoted) ? [["Quoted at approval", money(body.costs?.quoted)]] : []),
      ].map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
    ),
    x.description ? h("p", null, x.description) : "",
    allowed(r.status) ? statusForm(r.status, x) : "",
    section("Port calls", "calls-h", table(["#", "Unit", "Facility", "Arrive", "Depart"], x.calls.map((c, i) => [String(i + 1), c.unit, c.facility, when(c.arrive), when(c.depart)]), "Port calls")),
  );
  const planBox = section("Berth plan", "gantt-h", loading("the berth plan"));
  const capBox = section("Capacity over time", "cap-h");
  const ordersBox = h("div", null, loading("the exercise's orders"));
  main.append(planBox, capBox, ordersBox);
  void ordersSection(r, x).then((b) => ordersBox.replaceChildren(b));
  let conflicts: Conflict[] = [];
  let berthPlans: BerthPlan[] = [];
  if (r.plan) {
    try {
      // Planning reads only; a server may still offer it as POST.
      const plan = await call<Plan>(r.plan.method, fill(r.plan, x.code), r.plan.method === "POST" ? {} : undefined);
      conflicts = plan.conflicts ?? [];
      berthPlans = plan.berth_plans;
      const boxes = plan.berth_plans.map((bp) => {
        const mine = conflicts.filter((c) => c.facility === bp.facility);
        return h(
          "div",
          { class: "gantt-wrap" },
          h("h3", null, `${bp.facility}${bp.method ? ` — ${bp.method}` : ""}`),
          bp.problem ? h("div", { class: "error", role: "alert" }, bp.problem) : "",
          gantt(bp, mine, t0, t1, x.calls),
        );
      });
      planBox.replaceChildren(
        h("h2", { id: "gantt-h" }, "Berth plan"),
        ...(boxes.length ? boxes : [h("p", { class: "empty" }, "No call needs a berth.")]),
        h("h3", null, `Conflicts (${conflicts.length})`),
        table(
          ["Facility", "Resource", "From", "To", "Capacity", "Asked", "Short by", "Orders"],
          conflicts.map((c) => [c.facility, c.resource, when(c.from), c.to ? when(c.to) : "onwards", orNot(c.capacity), orNot(c.demand), h("strong", { class: "neg" }, String(shortBy(c))), ordersText(c)]),
          "Capacity conflicts",
        ),
      );
    } catch (e) {
      planBox.replaceChildren(h("h2", { id: "gantt-h" }, "Berth plan"), errorBox(e));
    }
  } else planBox.replaceChildren(h("h2", { id: "gantt-h" }, "Berth plan"), h("p", { class: "empty" }, "This server has no exercise-plan route."));

  // The berths the plan itself takes at each facility, whoever owns it.
  for (const bp of berthPlans) {
    const held = bp.slots.map((s) => ({ order: `${x.code}/${s.call}`, unit: s.unit, amount: 1, start: s.start, end: s.end }));
    const usage = { facility: bp.facility, resources: [{ resource: "berths taken by this exercise", kind: "berth", capacity: bp.berths.length, held }] };
    capBox.append(h("h3", null, bp.facility), capacityChart(usage, t0, t1));
  }
  const own = new Set((await facilities()).filter((f) => f.owner === party()).map((f) => f.code));
  const others = x.facilities.filter((f) => !own.has(f));
  if (!r.usage) {
    capBox.append(h("p", { class: "muted" }, "This server has no capacity route: what else is held at these facilities is not shown."));
    return;
  }
  const q = new URLSearchParams({ from: x.start, to: x.end });
  if (others.length) capBox.append(h("p", { class: "muted" }, `What else is held at ${others.join(", ")} is for its owner to see.`));
  for (const f of x.facilities.filter((c) => own.has(c))) {
    const box = h("div", { "data-usage": f }, loading(`capacity at ${f}`));
    capBox.append(h("h3", null, f), box);
    const draw = async () => {
      try {
        const u = await get<Usage>(`${fill(r.usage!, f)}?${q}`);
        box.replaceChildren(capacityChart(u, t0, t1));
        return u;
      } catch (e) {
        box.replaceChildren(errorBox(e));
        return null;
      }
    };
    const u = await draw();
    const grades = (u?.resources ?? []).filter((res) => res.kind === "fuel").map((res) => res.resource.replace(/^fuel:/, ""));
    if (allowed(r.replenish) && grades.length) capBox.append(replenishForm(r.replenish, f, grades, x, draw));
  }
}

// A planned delivery into one of the party's own fuel stocks, which the
// stock projection (and so the chart above it) then counts.
function replenishForm(route: ApiRoute, facility: string, grades: string[], x: Exercise, redraw: () => Promise<unknown>): HTMLElement {
  const grade = h("select", { "data-field": "grade" }, grades.map((g) => h("option", { value: g }, g)));
  const qty = h("input", { "data-field": "quantity", placeholder: "500 tonne" });
  const at = h("input", { type: "datetime-local", "data-field": "at", value: x.start.slice(0, 16) });
  const note = h("input", { "data-field": "note", placeholder: "tanker, convoy…" });
  let key = newKey();
  const form = actionForm(
    `Plan a fuel delivery into ${facility}`,
    "replenish",
    [h("div", { class: "row" }, field(`rp-grade-${facility}`, "Grade", grade), field(`rp-q-${facility}`, "Quantity", qty), field(`rp-at-${facility}`, "Arrives (UTC)", at), field(`rp-note-${facility}`, "Note (optional)", note))],
    "Plan delivery",
    async () => {
      const body = { id: key, grade: grade.value, quantity: qty.value.trim(), at: at.value ? `${at.value}:00Z` : "", note: note.value.trim() };
      const res = await post<{ id: string; quantity?: string }>(fill(route, facility), body, { "Idempotency-Key": key });
      key = newKey();
      await redraw();
      return `Delivery ${res.id} of ${res.quantity ?? body.quantity} ${body.grade} planned for ${when(body.at)}.`;
    },
  );
  return h("details", { class: "card" }, h("summary", null, `Plan a fuel delivery into ${facility}`), form);
}
