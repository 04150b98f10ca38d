// The ledger's reports under one agreement, as /api/v1/ledger/{agreement}/*
// returns them. Amounts arrive as integers in minor units and are shown
// with two decimals for currencies (INR, RUB, USD all have two), or in
// thousandths of the item's unit for replacement-in-kind accounts.
import { enc, get } from "../api";
import { agreements } from "../data";
import { errorBox, h, loading, table } from "../dom";
import { party } from "../session";

interface Account {
  code: string;
  party: string;
  purpose: string;
  counterparty: string;
  unit: string;
  debits_pending: number;
  debits_posted: number;
  credits_pending: number;
  credits_posted: number;
}
interface Ageing {
  creditor: string;
  debtor: string;
  currency: string;
  days_0_30: number;
  days_31_60: number;
  days_61_90: number;
  days_over_90: number;
}
interface Bill {
  number: string;
  supplier: string;
  debtor: string;
  billed_at: string;
  due: string;
  currency: string;
  total: number;
  paid: number;
  rounding: number;
  status: string;
}
interface Ceiling {
  party: string;
  year: number;
  currency: string;
  ceiling: number;
  pending: number;
  posted: number;
}

const isCurrency = (u: string) => /^[A-Z]{3}$/.test(u);

export function amount(minor: number, unit: string): string {
  const scale = isCurrency(unit) ? 100 : 1000;
  const digits = isCurrency(unit) ? 2 : 3;
  const v = (minor / scale).toLocaleString("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${v} ${unit}`;
}

function csvButton(name: string, headers: string[], rows: (string | number)[][]): HTMLElement {
  const quote = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return h(
    "button",
    {
      type: "button",
      class: "secondary small",
      onclick: () => {
        const text = [headers, ...rows].map((r) => r.map(quote).join(",")).join("\n") + "\n";
        const a = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: `${name}.csv` });
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      },
    },
    "CSV",
  );
}

function section(title: string, id: string, ...body: (Element | null)[]): HTMLElement {
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), ...body);
}

// Open bills by age as horizontal stacked bars, one per creditor→debtor.
function ageingChart(rows: Ageing[]): SVGSVGElement | null {
  if (!rows.length) return null;
  const NS = "http://www.w3.org/2000/svg";
  const el = <K extends keyof SVGElementTagNameMap>(t: K, a: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(NS, t);
    for (const [k, v] of Object.entries(a)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const buckets: [keyof Ageing, string][] = [
    ["days_0_30", "0–30"],
    ["days_31_60", "31–60"],
    ["days_61_90", "61–90"],
    ["days_over_90", "> 90"],
  ];
  const W = 640, rowH = 34, left = 150, top = 28;
  const total = (r: Ageing) => buckets.reduce((s, [k]) => s + (r[k] as number), 0);
  const max = Math.max(1, ...rows.map(total));
  const svg = el("svg", { viewBox: `0 0 ${W} ${top + rows.length * rowH + 8}`, class: "chart", role: "img" });
  svg.setAttribute("aria-label", "Ageing of open bills by days outstanding");
  buckets.forEach(([, name], i) => {
    svg.append(el("rect", { x: left + i * 90, y: 6, width: 12, height: 12, class: `age-${i}` }), el("text", { x: left + i * 90 + 16, y: 16 }, `${name} days`));
  });
  rows.forEach((r, j) => {
    const y = top + j * rowH;
    svg.append(el("text", { x: 0, y: y + 18 }, `${r.creditor}←${r.debtor} ${r.currency}`));
    let x = left;
    buckets.forEach(([k, name], i) => {
      const w = ((r[k] as number) / max) * (W - left - 100);
      if (w > 0) {
        const rect = el("rect", { x, y: y + 4, width: w, height: rowH - 12, class: `age-${i}` });
        rect.append(el("title", {}, `${name} days: ${amount(r[k] as number, r.currency)}`));
        svg.append(rect);
      }
      x += w;
    });
    svg.append(el("text", { x: x + 6, y: y + 18 }, amount(total(r), r.currency)));
  });
  return svg;
}

export async function ledgerView(main: HTMLElement, params: Record<string, string>): Promise<void> {
  main.append(h("h1", null, "Ledger"));
  const ags = await agreements();
  if (!ags.length) {
    main.append(h("p", { class: "empty" }, "No agreement binds your party."));
    return;
  }
  const sel = h(
    "select",
    { id: "agreement" },
    ags.map((a) => h("option", { value: a.code, selected: a.code === params.agreement }, `${a.code} — ${a.title}`)),
  );
  const body = h("div", null);
  main.append(h("div", { class: "field inline" }, h("label", { for: "agreement" }, "Agreement"), sel), body);
  const load = async () => {
    const ag = sel.value;
    body.replaceChildren(loading("the ledger"));
    const r = <T>(name: string) => get<T>(`/ledger/${enc(ag)}/${name}`);
    try {
      const [acc, age, bills, ceil, alerts] = await Promise.all([
        r<{ accounts: Account[] }>("accounts"),
        r<{ ageing: Ageing[] }>("ageing"),
        r<{ bills: Bill[] }>("bills"),
        r<{ ceiling: Ceiling[] }>("ceiling"),
        r<{ alerts: { kind: string; subject: string; days: number; detail: string }[] }>("alerts"),
      ]);
      // Net position per currency: the posted balances of this party's
      // receivable and payable accounts, billed or not (debit positive:
      // the partner owes this party).
      const net = new Map<string, number>();
      for (const a of acc.accounts) {
        if (a.party !== party() || !/^(billed-)?(receivable|payable)$/.test(a.purpose)) continue;
        net.set(a.unit, (net.get(a.unit) ?? 0) + a.debits_posted - a.credits_posted);
      }
      const accHead = ["Account", "Party", "Purpose", "Counterparty", "Posted balance", "Pending debits", "Pending credits"];
      const accRows = acc.accounts.map((a) => [
        a.code,
        a.party,
        a.purpose,
        a.counterparty,
        amount(a.debits_posted - a.credits_posted, a.unit),
        amount(a.debits_pending, a.unit),
        amount(a.credits_pending, a.unit),
      ]);
      const billHead = ["Bill", "Supplier", "Debtor", "Billed", "Due", "Total", "Paid", "Status"];
      const billRows = bills.bills.map((b) => [
        b.number,
        b.supplier,
        b.debtor,
        b.billed_at.slice(0, 10),
        b.due.slice(0, 10),
        amount(b.total, b.currency),
        amount(b.paid, b.currency),
        b.status,
      ]);
      body.replaceChildren(
        h(
          "div",
          { class: "grid" },
          section(
            "Net position",
            "net-h",
            table(
              ["Currency", `Owed to ${party()}`, `Owed by ${party()}`],
              [...net].map(([c, v]) => [c, v > 0 ? amount(v, c) : "—", v < 0 ? amount(-v, c) : "—"]),
              "Net position",
            ),
          ),
          section(
            "Annual ceiling",
            "ceil-h",
            table(
              ["Party", "Year", "Ceiling", "Reserved", "Posted"],
              ceil.ceiling.map((c) => [c.party, String(c.year), amount(c.ceiling, c.currency), amount(c.pending, c.currency), amount(c.posted, c.currency)]),
              "Ceilings",
            ),
          ),
        ),
        section("Balances", "acc-h", csvButton(`${ag}-accounts`, accHead, accRows), table(accHead, accRows, "Accounts")),
        section("Ageing", "age-h", ageingChart(age.ageing) ?? h("p", { class: "empty" }, "No open bills.")),
        section("Bills", "bill-h", csvButton(`${ag}-bills`, billHead, billRows), table(billHead, billRows, "Bills")),
        section(
          "Alerts",
          "lal-h",
          table(["Kind", "Subject", "Days", "Detail"], alerts.alerts.map((a) => [a.kind, a.subject, String(a.days), a.detail]), "Alerts"),
        ),
      );
    } catch (e) {
      body.replaceChildren(errorBox(e));
    }
  };
  sel.addEventListener("change", load);
  await load();
}
