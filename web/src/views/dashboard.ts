import { enc, get, type Order } from "../api";
import { agreements, allOrders, facilities } from "../data";
import { errorBox, h, loading, table, when } from "../dom";
import { mapLegend, worldMap, type Overlay } from "../map";
import { fill, findRoute, firstArray } from "../routes";
import { shortBy, type Conflict } from "./exercises";
import { has, party, session, waitingFor } from "../session";

export const STATES = ["draft", "submitted", "approved", "rejected", "delivered", "receipted", "closed", "cancelled"];

interface LedgerAlert {
  kind: string;
  subject: string;
  days: number;
  detail: string;
}

export function orderLink(o: Order): HTMLElement {
  return h("a", { href: `/orders/${enc(o.number)}`, "data-link": true }, o.number);
}


// Own units with orders still open are on planned missions: each is drawn
// at the facility of its next open order, with its track along the
// facilities of its open orders in the order of their windows.
function shipsOnMissions(orders: Order[], fs: { code: string; position: { lat: number; lon: number } }[]): Overlay {
  const open = orders.filter((o) => o.requester === party() && ["draft", "submitted", "approved", "delivered"].includes(o.state));
  const at = new Map(fs.map((f) => [f.code, f.position]));
  const byUnit = new Map<string, Order[]>();
  for (const o of open) byUnit.set(o.unit, [...(byUnit.get(o.unit) ?? []), o]);
  const ov: Required<Overlay> = { lines: [], marks: [] };
  for (const [unit, os] of byUnit) {
    const start = (o: Order) => o.lines.map((l) => l.window_start).sort()[0] ?? o.created_at;
    os.sort((a, b) => (start(a) < start(b) ? -1 : 1));
    const stops = [...new Set(os.map((o) => o.facility))].filter((f) => at.has(f));
    if (!stops.length) continue;
    const coords = stops.map((f): [number, number] => [at.get(f)!.lon, at.get(f)!.lat]);
    if (coords.length > 1) ov.lines.push({ coords, cls: "track", label: `${unit}: ${stops.join(" → ")}` });
    ov.marks.push({
      lon: coords[0][0],
      lat: coords[0][1],
      cls: "ship",
      label: `${unit}: next at ${stops[0]} (${os.length} open orders)`,
      text: unit,
    });
  }
  return ov;
}

export async function dashboardView(main: HTMLElement): Promise<void> {
  main.append(h("h1", null, "Dashboard"));
  const grid = h("div", { class: "grid dashboard" });
  const mapCard = h("section", { class: "card wide", "aria-labelledby": "map-h" }, h("h2", { id: "map-h" }, "Facilities and ships"));
  const countCard = h("section", { class: "card", "aria-labelledby": "count-h" }, h("h2", { id: "count-h" }, "Orders by state"));
  const alertCard = h("section", { class: "card", "aria-labelledby": "alert-h" }, h("h2", { id: "alert-h" }, "Alerts"));
  grid.append(mapCard, countCard, alertCard);
  main.append(grid);
  const spinners = [mapCard, countCard, alertCard].map((c) => c.appendChild(loading("")));

  const [fs, os] = await Promise.allSettled([facilities(), allOrders()]);
  spinners.forEach((s) => s.remove());
  if (fs.status === "fulfilled") {
    const own = fs.value.filter((f) => f.owner === party()).length;
    const ships = os.status === "fulfilled" ? shipsOnMissions(os.value, fs.value) : { lines: [], marks: [] };
    mapCard.append(
      worldMap(fs.value, party(), undefined, ships),
      mapLegend(party(), [["ship", "own unit on a planned mission"]]),
      h(
        "p",
        { class: "muted", "data-testid": "map-summary" },
        `${own} own and ${fs.value.length - own} partner facilities; ${ships.marks?.length ?? 0} own ${ships.marks?.length === 1 ? "unit" : "units"} on planned missions.`,
      ),
    );
  } else mapCard.append(errorBox(fs.reason));

  if (os.status === "rejected") {
    countCard.append(errorBox(os.reason));
    alertCard.append(errorBox(os.reason));
    return;
  }
  const orders = os.value;
  const counts = new Map(STATES.map((s) => [s, orders.filter((o) => o.state === s).length]));
  const max = Math.max(1, ...counts.values());
  countCard.append(
    h(
      "ul",
      { class: "bars", "data-testid": "state-counts" },
      STATES.map((s) =>
        h(
          "li",
          null,
          h("a", { href: `/orders?state=${s}`, "data-link": true, class: "bar-label" }, s),
          h("meter", { min: 0, max, value: counts.get(s) ?? 0, "aria-label": `${s} orders` }),
          h("span", { class: "bar-value", "data-state": s }, String(counts.get(s) ?? 0)),
        ),
      ),
    ),
  );

  const mine = orders.filter((o) => waitingFor(o).length > 0);
  const rows = mine.map((o) => [orderLink(o), o.state, o.facility, waitingFor(o).join(", ")]);
  const notReceipted = orders.filter((o) => o.state === "delivered");
  alertCard.append(
    h("h3", null, `Waiting for me (${mine.length})`),
    table(["Order", "State", "Facility", "You may"], rows, "Orders waiting for me"),
    h("h3", null, `Deliveries not receipted (${notReceipted.length})`),
    table(
      ["Order", "Facility", "Delivered"],
      notReceipted.map((o) => [orderLink(o), o.facility, o.updated_at.slice(0, 10)]),
      "Unreceipted deliveries",
    ),
  );

  // Capacity conflicts at own facilities (what open orders ask beyond what
  // is free), where the server reports them and the person may read them.
  const conflictRoute = await findRoute("GET", /^\/capacity\/conflicts$/).catch(() => null);
  const fsOwn = fs.status === "fulfilled" ? fs.value.filter((f) => f.owner === party()).map((f) => f.code) : [];
  if (conflictRoute && (!conflictRoute.roles.length || has(...conflictRoute.roles)) && fsOwn.length) {
    const box = h("div", { "data-testid": "capacity-alerts" }, loading("capacity conflicts"));
    alertCard.append(box);
    try {
      const q = (f: string) => new URLSearchParams({ facility: f });
      const lists = await Promise.all(fsOwn.map(async (f) => firstArray<Conflict>(await get(`${fill(conflictRoute)}?${q(f)}`))));
      const all = lists.flat();
      // The exercise an order belongs to, for a link to its planner (an
      // order not yet raised is named "<exercise>/<call>").
      const exerciseOf = new Map(orders.filter((o) => o.exercise).map((o) => [o.number, o.exercise]));
      const exercisesIn = (c: Conflict) => [...new Set(c.orders.map((n) => exerciseOf.get(n) ?? (n.includes("/") ? n.split("/")[0] : "")).filter(Boolean))];
      const link = (href: string, text: string) => h("a", { href, "data-link": true }, text);
      const list = (xs: HTMLElement[]) => xs.flatMap((x, i) => (i ? [", ", x] : [x]));
      box.replaceChildren(
        h("h3", null, `Capacity conflicts (${all.length})`),
        table(
          ["Where", "From", "Short by", "Involves"],
          all.map((c) => [
            [link(`/registry?facility=${enc(c.facility)}`, c.facility), h("br"), c.resource],
            when(c.from).replace(" 00:00Z", ""),
            h("strong", { class: "neg" }, String(shortBy(c))),
            [
              h("ul", { class: "plain nowrap" }, exercisesIn(c).map((x) => h("li", null, link(`/exercises/${enc(x)}`, x)))),
              h(
                "details",
                null,
                h("summary", null, `${c.orders.length} ${c.orders.length === 1 ? "order" : "orders"}`),
                list(c.orders.map((n) => (n.includes("/") ? h("span", null, n) : link(`/orders/${enc(n)}`, n)))),
              ),
            ],
          ]),
          "Capacity conflicts",
        ),
      );
    } catch (e) {
      box.replaceChildren(errorBox(e));
    }
  }

  // Bills overdue and replacement-in-kind deadlines come from the ledger,
  // which finance officers and auditors may read.
  if (has("finance", "auditor")) {
    const box = h("div", null, loading("ledger alerts"));
    alertCard.append(h("h3", null, "Ledger"), box);
    try {
      const ags = await agreements();
      const lists = await Promise.all(
        ags.map(async (a) => ({ a, alerts: (await get<{ alerts: LedgerAlert[] }>(`/ledger/${enc(a.code)}/alerts`)).alerts })),
      );
      const all = lists.flatMap(({ a, alerts }) => alerts.map((x) => [a.code, x.kind, x.subject, String(x.days), x.detail]));
      box.replaceChildren(table(["Agreement", "Kind", "Subject", "Days", "Detail"], all, "Ledger alerts"));
    } catch (e) {
      box.replaceChildren(errorBox(e));
    }
  } else {
    alertCard.append(
      h("p", { class: "muted" }, `Bills and replacement-in-kind deadlines are shown to finance officers and auditors of ${session.me?.party}.`),
    );
  }
}
