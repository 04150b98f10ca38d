import { enc, get, type Order } from "../api";
import { agreements, allOrders, facilities } from "../data";
import { errorBox, h, loading, table } from "../dom";
import { mapLegend, worldMap } from "../map";
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

export async function dashboardView(main: HTMLElement): Promise<void> {
  main.append(h("h1", null, "Dashboard"));
  const grid = h("div", { class: "grid dashboard" });
  const mapCard = h("section", { class: "card wide", "aria-labelledby": "map-h" }, h("h2", { id: "map-h" }, "Facilities"));
  const countCard = h("section", { class: "card", "aria-labelledby": "count-h" }, h("h2", { id: "count-h" }, "Orders by state"));
  const alertCard = h("section", { class: "card", "aria-labelledby": "alert-h" }, h("h2", { id: "alert-h" }, "Alerts"));
  grid.append(mapCard, countCard, alertCard);
  main.append(grid);
  const spinners = [mapCard, countCard, alertCard].map((c) => c.appendChild(loading("")));

  const [fs, os] = await Promise.allSettled([facilities(), allOrders()]);
  spinners.forEach((s) => s.remove());
  if (fs.status === "fulfilled") {
    const own = fs.value.filter((f) => f.owner === party()).length;
    mapCard.append(
      worldMap(fs.value, party()),
      mapLegend(party()),
      h("p", { class: "muted" }, `${own} own and ${fs.value.length - own} partner facilities.`),
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
