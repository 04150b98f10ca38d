// The ledger under one agreement: net position, bills, settlement (payments,
// replacement in kind, equal-value exchange), statements, balances, ageing
// and alerts, as /api/v1/ledger/... returns them. Amounts arrive as integers
// in minor units and are shown with two decimals for currencies (INR, RUB,
// USD all have two), or in thousandths of the item's unit for
// replacement-in-kind accounts. Actions are offered to finance officers
// when the server has their route; the API checks the party's side again.
import { enc, get, newKey, post } from "../api";
import { agreements } from "../data";
import { actionForm, badge, csvButton, errorBox, field, h, loading, section, svg, table, when } from "../dom";
import { fill, findRoute, type ApiRoute } from "../routes";
import { has, party } from "../session";

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
export interface Bill {
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
interface NetRow {
  party: string;
  counterparty: string;
  unit: string;
  owed_to: number;
  owes: number;
  pending_owes: number;
  net: number;
  total?: boolean;
}
export interface LedgerAlert {
  kind: string;
  subject: string;
  days: number;
  detail: string;
}
type Row = Record<string, unknown>;
interface OrderPosition {
  order: string;
  state: string;
  reconciliation: string;
  outstanding?: Record<string, number>;
  pending?: Record<string, number>;
}

const isCurrency = (u: string) => /^[A-Z]{3}$/.test(u);

export function amount(minor: number, unit: string): string {
  const scale = isCurrency(unit) ? 100 : 1000;
  const digits = isCurrency(unit) ? 2 : 3;
  const v = (minor / scale).toLocaleString("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${v} ${unit}`;
}

// "4254250.00 RUB": an amount as the API reads one, without grouping.
function plainAmount(minor: number, currency: string): string {
  const sign = minor < 0 ? "-" : "";
  const a = Math.abs(minor);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")} ${currency}`;
}

// Open bills by age as horizontal stacked bars, one per creditor→debtor.
function ageingChart(rows: Ageing[]): SVGSVGElement | null {
  if (!rows.length) return null;
  const buckets: [keyof Ageing, string][] = [
    ["days_0_30", "0–30"],
    ["days_31_60", "31–60"],
    ["days_61_90", "61–90"],
    ["days_over_90", "> 90"],
  ];
  const W = 640, rowH = 34, left = 150, top = 28;
  const total = (r: Ageing) => buckets.reduce((s, [k]) => s + (r[k] as number), 0);
  const max = Math.max(1, ...rows.map(total));
  const chart = svg("svg", { viewBox: `0 0 ${W} ${top + rows.length * rowH + 8}`, class: "chart", role: "img" });
  chart.setAttribute("aria-label", "Ageing of open bills by days outstanding");
  buckets.forEach(([, name], i) => {
    chart.append(svg("rect", { x: left + i * 90, y: 6, width: 12, height: 12, class: `age-${i}` }), svg("text", { x: left + i * 90 + 16, y: 16 }, `${name} days`));
  });
  rows.forEach((r, j) => {
    const y = top + j * rowH;
    chart.append(svg("text", { x: 0, y: y + 18 }, `${r.creditor}←${r.debtor} ${r.currency}`));
    let x = left;
    buckets.forEach(([k, name], i) => {
      const w = ((r[k] as number) / max) * (W - left - 100);
      if (w > 0) {
        const rect = svg("rect", { x, y: y + 4, width: w, height: rowH - 12, class: `age-${i}` });
        rect.append(svg("title", {}, `${name} days: ${amount(r[k] as number, r.currency)}`));
        chart.append(rect);
      }
      x += w;
    });
    chart.append(svg("text", { x: x + 6, y: y + 18 }, amount(total(r), r.currency)));
  });
  return chart;
}

// Net position per currency from this party's receivable and payable
// accounts, for a server without the net-position report (debit positive:
// the partner owes this party).
function netFromAccounts(accounts: Account[]): NetRow[] {
  const rows = new Map<string, NetRow>();
  for (const a of accounts) {
    if (a.party !== party() || !/^(billed-)?(receivable|payable)$/.test(a.purpose)) continue;
    const r = rows.get(a.unit) ?? { party: party(), counterparty: a.counterparty, unit: a.unit, owed_to: 0, owes: 0, pending_owes: 0, net: 0 };
    const bal = a.debits_posted - a.credits_posted;
    if (bal > 0) r.owed_to += bal;
    else r.owes -= bal;
    if (/payable/.test(a.purpose)) r.pending_owes += a.credits_pending - a.debits_pending;
    r.net = r.owed_to - r.owes;
    rows.set(a.unit, r);
  }
  return [...rows.values()];
}

const str = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

// Ledger routes this server has (null where it has none).
interface LedgerRoutes {
  net: ApiRoute | null;
  createBill: ApiRoute | null;
  pay: ApiRoute | null;
  rik: ApiRoute | null;
  rikDeliver: ApiRoute | null;
  eveList: ApiRoute | null;
  evePropose: ApiRoute | null;
  eveAccept: ApiRoute | null;
  statement: ApiRoute | null;
  rates: ApiRoute | null;
  orders: ApiRoute | null;
}

async function ledgerRoutes(): Promise<LedgerRoutes> {
  const [net, createBill, pay, rik, rikDeliver, eveList, evePropose, eveAccept, statement, rates, orders] = await Promise.all([
    findRoute("GET", /^\/ledger\/\{[^}]+\}\/(balance|net(-position)?)$/),
    findRoute("POST", /^\/ledger\/\{[^}]+\}\/bills$/),
    findRoute("POST", /\/bills\/\{[^}]+\}\/pay(ments?)?$/),
    findRoute("GET", /^\/ledger\/\{[^}]+\}\/rik$/),
    findRoute("POST", /\/rik\/\{[^}]+\}\/(deliver|returns?|deliveries)$/),
    findRoute("GET", /^\/ledger\/\{[^}]+\}\/(eve|offsets)$/),
    findRoute("POST", /^\/ledger\/\{[^}]+\}\/(eve|offsets)$/),
    findRoute("POST", /\/(eve|offsets)\/\{[^}]+\}\/accept$/),
    findRoute("GET", /^\/ledger\/\{[^}]+\}\/statement$/),
    findRoute("GET", /^\/ledger\/rates$|^\/rates$/),
    findRoute("GET", /^\/ledger\/\{[^}]+\}\/orders$/),
  ]);
  return { net, createBill, pay, rik, rikDeliver, eveList, evePropose, eveAccept, statement, rates, orders };
}

// Offset proposals made or accepted in this browser tab, by id.
const proposals = new Map<string, Row>();

const today = () => new Date().toISOString().slice(0, 10);
const dayIso = (d: string) => (d ? `${d}T00:00:00Z` : "");

export async function ledgerView(main: HTMLElement, params: Record<string, string>): Promise<void> {
  main.append(h("h1", null, "Ledger"));
  const [ags, routes] = await Promise.all([agreements(), ledgerRoutes()]);
  if (!ags.length) {
    main.append(h("p", { class: "empty" }, "No agreement binds your party."));
    return;
  }
  const sel = h(
    "select",
    { id: "agreement" },
    ags.map((a) => h("option", { value: a.code, selected: a.code === params.agreement }, `${a.code} — ${a.title}`)),
  );
  const jump = h(
    "nav",
    { class: "jump", "aria-label": "Ledger sections" },
    [
      ["net-h", "Position"],
      ["bill-h", "Bills"],
      ["settle-h", "Settlement"],
      ["stmt-h", "Statement"],
      ["acc-h", "Balances"],
      ["age-h", "Ageing"],
      ["lal-h", "Alerts"],
    ].map(([id, t]) => h("a", { href: `#${id}-s` }, t)),
  );
  const body = h("div", null);
  main.append(h("div", { class: "field inline" }, h("label", { for: "agreement" }, "Agreement"), sel), jump, body);
  const finance = has("finance");

  const load = async (notice?: string) => {
    const ag = sel.value;
    body.replaceChildren(loading("the ledger"));
    const r = <T>(name: string) => get<T>(`/ledger/${enc(ag)}/${name}`);
    try {
      const [acc, age, bills, ceil, alerts, netRows, rik, eve, rates, positions] = await Promise.all([
        r<{ accounts: Account[] }>("accounts"),
        r<{ ageing: Ageing[] }>("ageing"),
        r<{ bills: Bill[] }>("bills"),
        r<{ ceiling: Ceiling[] }>("ceiling"),
        r<{ alerts: LedgerAlert[] }>("alerts"),
        routes.net ? get<Record<string, NetRow[]>>(fill(routes.net, ag)).then((x) => Object.values(x)[0] ?? []) : null,
        routes.rik ? get<Record<string, Row[]>>(fill(routes.rik, ag)).then((x) => Object.values(x)[0] ?? []) : null,
        routes.eveList ? get<Record<string, Row[]>>(fill(routes.eveList, ag)).then((x) => Object.values(x)[0] ?? []) : null,
        routes.rates && has(...routes.rates.roles) ? get<Record<string, Row[]>>(fill(routes.rates)).then((x) => Object.values(x)[0] ?? []) : null,
        routes.orders ? get<{ orders: OrderPosition[] }>(fill(routes.orders, ag)).then((x) => x.orders) : null,
      ]);
      const reload = (msg: string) => () => void load(msg);

      // ---- Net position.
      const net = (netRows ?? netFromAccounts(acc.accounts)).filter((n) => n.party === party());
      const netSection = section(
        "Net position",
        "net-h",
        table(
          ["Currency", `Owed to ${party()}`, `Owed by ${party()}`, "Reserved", "Net"],
          net.map((n) => [
            n.total ? h("strong", null, `${n.unit} (total)`) : n.unit,
            n.owed_to ? amount(n.owed_to, n.unit) : "—",
            n.owes ? amount(n.owes, n.unit) : "—",
            n.pending_owes ? amount(n.pending_owes, n.unit) : "—",
            h("span", { class: n.net < 0 ? "neg" : "pos" }, amount(n.net, n.unit)),
          ]),
          "Net position",
        ),
      );

      // ---- Bills, and billing and payment for finance.
      const billHead = ["Bill", "Supplier", "Debtor", "Billed", "Due", "Total", "Paid", "Outstanding", "Status"];
      const billRows = () =>
        bills.bills.map((b) => [b.number, b.supplier, b.debtor, b.billed_at.slice(0, 10), b.due.slice(0, 10), plainAmount(b.total, b.currency), plainAmount(b.paid, b.currency), plainAmount(b.total - b.paid, b.currency), b.status]);
      const billActions: HTMLElement[] = [];
      if (finance && routes.createBill) {
        const from = h("input", { type: "date", "data-field": "from" });
        const to = h("input", { type: "date", "data-field": "to" });
        // One key per form: a retry after a lost answer bills once.
        let key = newKey();
        billActions.push(
          actionForm(
            "Bill receipted support",
            "bill",
            [
              h("p", { class: "muted" }, `Bills what ${party()} supplied and is owed under ${ag} that is not billed yet.`),
              h("div", { class: "row" }, field("bill-from", "Claims posted from (optional)", from), field("bill-to", "before (optional)", to)),
            ],
            "Create bill",
            async () => {
              const b = await post<Bill>(fill(routes.createBill!, ag), {
                ...(from.value ? { from: dayIso(from.value) } : {}),
                ...(to.value ? { to: dayIso(to.value) } : {}),
              }, { "Idempotency-Key": key });
              key = newKey();
              setTimeout(reload(`Bill ${b.number} created for ${amount(b.total, b.currency)}.`));
              return `Bill ${b.number} created.`;
            },
          ),
        );
      }
      const payable = bills.bills.filter((b) => b.debtor === party() && b.status !== "paid");
      if (finance && routes.pay && payable.length) {
        const billSel = h("select", { "data-field": "bill" }, payable.map((b) => h("option", { value: b.number }, `${b.number} — ${amount(b.total - b.paid, b.currency)} outstanding`)));
        const amt = h("input", { "data-field": "amount", value: plainAmount(payable[0].total - payable[0].paid, payable[0].currency) });
        billSel.addEventListener("change", () => {
          const b = payable.find((x) => x.number === billSel.value)!;
          amt.value = plainAmount(b.total - b.paid, b.currency);
        });
        // One key per form: a retry after a lost answer pays once.
        let key = newKey();
        billActions.push(
          actionForm(
            "Record a payment",
            "pay",
            [field("pay-bill", "Bill", billSel), field("pay-amount", "Amount", amt, "full or part, in the bill's currency, e.g. 1000.00 RUB")],
            "Record payment",
            async () => {
              const b = await post<Bill>(fill(routes.pay!, billSel.value), { amount: amt.value.trim(), payment_id: key });
              key = newKey();
              setTimeout(reload(`Payment recorded: bill ${b.number} is ${b.status}.`));
              return `Bill ${b.number} is ${b.status}.`;
            },
          ),
        );
      }
      const billSection = section(
        "Bills",
        "bill-h",
        bills.bills.length ? csvButton(`${ag}-bills`, billHead, billRows) : null,
        table(
          billHead,
          bills.bills.map((b) => [b.number, b.supplier, b.debtor, b.billed_at.slice(0, 10), b.due.slice(0, 10), amount(b.total, b.currency), amount(b.paid, b.currency), amount(b.total - b.paid, b.currency), badge(b.status)]),
          "Bills",
        ),
        billActions.length ? h("div", { class: "actions" }, billActions) : null,
        positions
          ? h(
              "details",
              null,
              h("summary", null, `Orders and their reconciliation (${positions.length})`),
              table(
                ["Order", "State", "Reconciliation", "Outstanding", "Reserved"],
                positions.map((p) => [
                  h("a", { href: `/orders/${enc(p.order)}`, "data-link": true }, p.order),
                  p.state,
                  badge(p.reconciliation),
                  Object.entries(p.outstanding ?? {}).filter(([, v]) => v).map(([u, v]) => amount(v, u)).join(", ") || "—",
                  Object.entries(p.pending ?? {}).filter(([, v]) => v).map(([u, v]) => amount(v, u)).join(", ") || "—",
                ]),
                "Orders and their reconciliation",
              ),
            )
          : null,
      );

      // ---- Replacement in kind and equal-value exchange.
      const settle: HTMLElement[] = [];
      if (rik) {
        const cols = ["key", "creditor", "debtor", "item", "facility", "quantity", "returned", "due", "status"].filter((c) => rik.some((x) => c in x));
        settle.push(h("h3", null, "Replacement in kind"), table(cols, rik.map((x) => cols.map((c) => (c === "due" ? str(x[c]).slice(0, 10) : str(x[c])))), "Replacement-in-kind obligations"));
        const open = rik.filter((x) => x.debtor === party() && x.status === "open");
        if (routes.rikDeliver && open.length && has("finance", "logistics-officer")) {
          const keySel = h("select", { "data-field": "key" }, open.map((x) => h("option", { value: str(x.key) }, `${str(x.key)} ${str(x.item)}`)));
          const qty = h("input", { "data-field": "quantity", placeholder: "12.5 tonne" });
          let key = newKey();
          settle.push(
            actionForm("Return in kind", "rik", [h("div", { class: "row" }, field("rik-key", "Obligation", keySel), field("rik-q", "Quantity returned", qty))], "Record return", async () => {
              const o = await post<Row>(fill(routes.rikDeliver!, keySel.value), { quantity: qty.value.trim() }, { "Idempotency-Key": key });
              key = newKey();
              setTimeout(reload(`Return recorded against ${str(o.key ?? keySel.value)}: ${str(o.status)}.`));
              return "Return recorded.";
            }),
          );
        }
      }
      if (routes.evePropose || eve) {
        settle.push(h("h3", null, "Equal-value exchange"));
        // Without a route listing proposals, the ones seen on this screen.
        const shown = eve ?? [...proposals.values()].filter((x) => x.agreement === ag);
        const acceptedBy = (x: Row) => (x.accepted_by as string[] | undefined) ?? [];
        const acceptedNotice = (p: Row) =>
          `Offset ${str(p.id)} is ${str(p.status)}${p.status === "accepted" ? ": posted" : `, accepted by ${acceptedBy(p).join(", ")}`}.`;
        const mayAccept = (x: Row) => finance && !!routes.eveAccept && x.status === "proposed" && !acceptedBy(x).includes(party());
        const accept = (x: Row) =>
          h(
            "button",
            {
              type: "button",
              class: "small",
              "data-offset": str(x.id),
              "aria-label": `Accept offset ${str(x.id)}`,
              onclick: async (e: Event) => {
                const b = e.currentTarget as HTMLButtonElement;
                const out = b.nextElementSibling as HTMLElement;
                b.disabled = true;
                out.replaceChildren(h("span", { class: "loading", role: "status" }, "Accepting…"));
                try {
                  const p = await post<Row>(fill(routes.eveAccept!, str(x.id)), {});
                  proposals.set(str(p.id), p);
                  void load(acceptedNotice(p));
                } catch (err) {
                  out.replaceChildren(errorBox(err));
                  b.disabled = false;
                }
              },
            },
            "Accept",
          );
        if (shown.length) {
          // Newest first; each leg is what one party's order is relieved of.
          const rows = [...shown].sort((a, b) => str(b.proposed_at).localeCompare(str(a.proposed_at)));
          const legs = (x: Row) =>
            h("ul", { class: "plain" }, ((x.legs as Row[] | undefined) ?? []).map((l) => h("li", null, `${str(l.debtor)} owes less on ${str(l.order)}: ${str(l.amount)}`)));
          settle.push(
            table(
              ["Proposal", "Proposed", "Offset", "Legs", "Accepted by", "Status", ""],
              rows.map((x) => [
                str(x.id),
                `${when(str(x.proposed_at))}${x.proposed_by ? ` by ${str(x.proposed_by)}` : ""}`,
                amount(Number(x.offset), str(x.currency)),
                legs(x),
                acceptedBy(x).join(", ") || "—",
                // The server's state where it sends one (accepted-by-IN, posted).
                badge(str(x.state ?? x.status)),
                mayAccept(x) ? [accept(x), h("div", { "aria-live": "polite" })] : x.status === "proposed" ? h("span", { class: "muted" }, "waiting for the other party") : "",
              ]),
              "Offset proposals",
            ),
          );
        } else settle.push(h("p", { class: "empty" }, "No offset proposals."));
        if (finance && routes.evePropose) {
          // One key per form: a retry after a lost answer proposes once.
          let key = newKey();
          settle.push(
            actionForm("Propose an offset", "eve-propose", [h("p", { class: "muted" }, "Nets both parties' open equal-value-exchange claims; both finance officers must accept.")], "Propose offset", async () => {
              const p = await post<Row>(fill(routes.evePropose!, ag), {}, { "Idempotency-Key": key });
              key = newKey();
              proposals.set(str(p.id), p);
              setTimeout(reload(`Offset ${str(p.id)} proposed: ${amount(Number(p.offset), str(p.currency))}.`));
              return "Proposed.";
            }),
          );
        }
        if (finance && routes.eveAccept && !eve) {
          // No list of proposals on this server: the partner's proposal is
          // named by its id, as they sent it.
          const idIn = h("input", { "data-field": "id", placeholder: "RELOS-IN-RU-EVE-2026-000001" });
          settle.push(
            actionForm("Accept an offset", "eve-accept", [field("eve-id", "Proposal", idIn)], "Accept", async () => {
              const p = await post<Row>(fill(routes.eveAccept!, idIn.value.trim()), {});
              proposals.set(str(p.id), p);
              setTimeout(reload(acceptedNotice(p)));
              return "Accepted.";
            }),
          );
        }
      }
      if (rates) {
        const cols = ["from", "to", "valid_from", "rate"];
        settle.push(h("h3", null, "Exchange rates"), table(["From", "To", "Valid from", "Units of 'to' per 'from'"], rates.map((x) => cols.map((c) => str(x[c]))), "Exchange rates"));
      }
      const settleSection = section(
        "Settlement",
        "settle-h",
        settle.length ? settle : h("p", { class: "empty" }, "This server offers no settlement routes."),
      );

      // ---- Statement of a party for a period.
      const stmtSection = section("Statement", "stmt-h");
      if (routes.statement) {
        const parties = [...new Set(acc.accounts.map((a) => a.party))];
        const who = h("select", { "data-field": "party" }, (parties.length ? parties : [party()]).map((p) => h("option", { value: p, selected: p === party() }, p)));
        const from = h("input", { type: "date", "data-field": "from", value: `${today().slice(0, 4)}-01-01` });
        const to = h("input", { type: "date", "data-field": "to" });
        const out = h("div", null);
        const form = actionForm(
          "Statement",
          "statement",
          [h("div", { class: "row" }, field("stmt-party", "Party", who), field("stmt-from", "From", from), field("stmt-to", "To (exclusive, optional)", to))],
          "Show statement",
          async () => {
            const q = new URLSearchParams({ party: who.value, ...(from.value ? { from: dayIso(from.value) } : {}), ...(to.value ? { to: dayIso(to.value) } : {}) });
            const res = await get<Record<string, Row[]>>(`${fill(routes.statement!, ag)}?${q}`);
            const lines = Object.values(res).find(Array.isArray) ?? [];
            // The ledger's order of a statement line first, then anything else it sends.
            const known = ["seq", "at", "code", "order", "account", "debit", "credit", "unit", "transfer"];
            const keys = [...new Set(lines.flatMap((l) => Object.keys(l)))].filter((c) => typeof lines[0]?.[c] !== "object");
            const cols = [...known.filter((c) => keys.includes(c)), ...keys.filter((c) => !known.includes(c))];
            // Debits and credits in minor units of the line's unit.
            const cell = (l: Row, c: string) =>
              (c === "debit" || c === "credit") && typeof l[c] === "number" && l.unit ? (l[c] ? amount(l[c] as number, str(l.unit)) : "") : c === "at" ? when(str(l[c])) : str(l[c]);
            const rows = () => lines.map((l) => cols.map((c) => cell(l, c)));
            out.replaceChildren(lines.length ? csvButton(`${ag}-${who.value}-statement`, cols, rows) : "", table(cols, rows(), "Statement lines"));
            return `${lines.length} statement lines.`;
          },
        );
        form.classList.add("plain");
        stmtSection.append(form, out);
      } else stmtSection.append(h("p", { class: "empty" }, "This server offers no statement route."));

      // ---- Balances per account.
      const accHead = ["Account", "Party", "Purpose", "Counterparty", "Posted balance", "Pending debits", "Pending credits"];
      const accRows = () =>
        acc.accounts.map((a) => [a.code, a.party, a.purpose, a.counterparty, amount(a.debits_posted - a.credits_posted, a.unit), amount(a.debits_pending, a.unit), amount(a.credits_pending, a.unit)]);

      body.replaceChildren(
        notice ? h("p", { class: "notice", id: "ledger-notice", role: "status", tabindex: -1 }, notice) : "",
        h(
          "div",
          { class: "grid" },
          netSection,
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
        billSection,
        settleSection,
        stmtSection,
        section("Balances", "acc-h", csvButton(`${ag}-accounts`, accHead, accRows), table(accHead, accRows(), "Accounts")),
        section("Ageing", "age-h", ageingChart(age.ageing) ?? h("p", { class: "empty" }, "No open bills.")),
        section("Alerts", "lal-h", table(["Kind", "Subject", "Days", "Detail"], alerts.alerts.map((a) => [a.kind, a.subject, String(a.days), a.detail]), "Alerts")),
      );
      if (notice) (body.querySelector(".notice") as HTMLElement | null)?.focus();
    } catch (e) {
      body.replaceChildren(errorBox(e));
    }
  };
  sel.addEventListener("change", () => void load());
  await load();
}
