import { ApiError, enc, get, post, type Agreement, type AuditEvent, type Facility, type Order, type OrderLine } from "../api";
import { agreements, allOrders, facilities, items, order, units } from "../data";
import { append, badge, clear, errorBox, h, loading, table, when } from "../dom";
import { navigate } from "../main";
import { actionsFor, has, party, side, waitingFor } from "../session";
import { orderLink, STATES } from "./dashboard";


function select(id: string, label: string, options: [string, string][], value = ""): [HTMLElement, HTMLSelectElement] {
  const sel = h("select", { id, name: id }, options.map(([v, t]) => h("option", { value: v, selected: v === value }, t)));
  return [h("div", { class: "field" }, h("label", { for: id }, label), sel), sel];
}

export async function ordersView(main: HTMLElement, params: Record<string, string>): Promise<void> {
  main.append(
    h(
      "div",
      { class: "title-row" },
      h("h1", null, "Orders"),
      has("requester") ? h("a", { href: "/orders/new", "data-link": true, class: "button" }, "Raise an order") : null,
    ),
  );
  const list = h("div", null, loading("orders"));
  const fs = await facilities().catch(() => [] as Facility[]);
  const [stateField, state] = select("state", "State", [["", "any"], ...STATES.map((s): [string, string] => [s, s])], params.state);
  const [facField, fac] = select(
    "facility",
    "Facility",
    [["", "any"], ...fs.map((f): [string, string] => [f.code, `${f.code} — ${f.name}`])],
    params.facility,
  );
  const search = h("input", { id: "search", type: "search", placeholder: "number, unit, item…", value: params.q ?? "" });
  const mineOnly = h("input", { id: "mine", type: "checkbox", checked: params.mine === "1" });
  const filters = h(
    "form",
    { class: "filters", role: "search" },
    stateField,
    facField,
    h("div", { class: "field" }, h("label", { for: "search" }, "Search"), search),
    h("div", { class: "field check" }, mineOnly, h("label", { for: "mine" }, "Waiting for me")),
  );
  main.append(filters, list);

  let orders: Order[] = [];
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const shown = orders.filter(
      (o) =>
        (!mineOnly.checked || waitingFor(o).length > 0) &&
        (!q || [o.number, o.unit, o.facility, o.agreement, ...o.lines.map((l) => l.item)].some((s) => s.toLowerCase().includes(q))),
    );
    list.replaceChildren(
      h("p", { class: "muted", "aria-live": "polite" }, `${shown.length} of ${orders.length} orders`),
      table(
        ["Order", "State", "Side", "Unit", "Facility", "Lines", "Updated"],
        shown.map((o) => [orderLink(o), badge(o.state), side(o), o.unit, o.facility, String(o.lines.length), when(o.updated_at)]),
        "Orders",
      ),
    );
  };
  const load = async () => {
    const qs = new URLSearchParams();
    if (state.value) qs.set("state", state.value);
    if (fac.value) qs.set("facility", fac.value);
    if (search.value) qs.set("q", search.value);
    if (mineOnly.checked) qs.set("mine", "1");
    history.replaceState(null, "", `/orders${qs.size ? `?${qs}` : ""}`);
    list.replaceChildren(loading("orders"));
    try {
      const filter: Record<string, string> = {};
      if (state.value) filter.state = state.value;
      if (fac.value) filter.facility = fac.value;
      orders = await allOrders(filter);
      draw();
    } catch (e) {
      list.replaceChildren(errorBox(e));
    }
  };
  state.addEventListener("change", load);
  fac.addEventListener("change", load);
  search.addEventListener("input", draw);
  mineOnly.addEventListener("change", draw);
  filters.addEventListener("submit", (e) => e.preventDefault());
  await load();
}

function lineTable(o: Order): HTMLElement {
  return table(
    ["#", "Item", "Requested", "Approved", "Unit price", "Delivered", "Receipted", "Verdict", "Window", "Notes"],
    o.lines.map((l) => [
      String(l.line_no),
      l.item,
      l.requested,
      l.approved ?? "",
      l.unit_price ?? "",
      l.delivered ?? "",
      l.receipted ?? "",
      l.verdict === "pending" ? "" : l.verdict,
      `${when(l.window_start)} – ${when(l.window_end)}`,
      [l.note, l.discrepancy && `discrepancy: ${l.discrepancy}`, l.dispute_reason && `dispute: ${l.dispute_reason}`]
        .filter(Boolean)
        .join("; "),
    ]),
    "Lines",
  );
}

// One input per line for the actions that take quantities.
function quantityInputs(o: Order, action: string, initial: (l: OrderLine) => string) {
  return o.lines.map((l) => {
    const id = `${action}-q-${l.line_no}`;
    const input = h("input", { id, value: initial(l), inputmode: "decimal", size: 14 });
    return { line: l, input, field: h("div", { class: "field" }, h("label", { for: id }, `Line ${l.line_no} ${l.item}`), input) };
  });
}

// The price an approval will quote for an item: the facility's list entry
// valid most recently before now (the supplier sees its own list in full).
function listPrice(f: Facility | null, item: string): string {
  const now = new Date().toISOString();
  const entries = (f?.prices ?? []).filter((p) => p.item === item && p.valid_from <= now);
  entries.sort((a, b) => (a.valid_from < b.valid_from ? 1 : -1));
  return entries[0]?.unit_price ?? "";
}

function actionForm(o: Order, action: string, done: (o: Order) => void, facility: Facility | null): HTMLElement {
  const status = h("div", { "aria-live": "polite" });
  const remark = h("input", { id: `${action}-remark`, name: "remark" });
  const body: HTMLElement[] = [];
  let collect: () => Record<string, unknown> = () => ({});
  if (action === "approve") {
    const rows = quantityInputs(o, action, (l) => l.requested);
    for (const r of rows) {
      const price = listPrice(facility, r.line.item);
      r.field.append(h("span", { class: "hint" }, price ? `list price ${price}` : "no list price at this facility"));
    }
    body.push(h("p", { class: "muted" }, "Approve each line fully or in part; the order is priced at the facility's list prices."), ...rows.map((r) => r.field));
    collect = () => ({ lines: rows.map((r) => ({ line_no: r.line.line_no, quantity: r.input.value.trim() })) });
  } else if (action === "deliver") {
    const rows = quantityInputs(o, action, (l) => l.approved ?? l.requested).map((r) => {
      const d = h("input", { id: `deliver-d-${r.line.line_no}`, placeholder: "discrepancy, if any" });
      r.field.append(h("label", { for: d.id, class: "sr-only" }, `Discrepancy on line ${r.line.line_no}`), d);
      return { ...r, d };
    });
    body.push(...rows.map((r) => r.field));
    collect = () => ({
      lines: rows.map((r) => ({
        line_no: r.line.line_no,
        quantity: r.input.value.trim(),
        ...(r.d.value.trim() ? { discrepancy: r.d.value.trim() } : {}),
      })),
    });
  } else if (action === "receipt") {
    const rows = o.lines.map((l) => {
      const dispute = h("input", { type: "checkbox", id: `dispute-${l.line_no}` });
      const q = h("input", { id: `receipt-q-${l.line_no}`, value: l.delivered ?? "", size: 14 });
      const reason = h("input", { id: `receipt-r-${l.line_no}`, placeholder: "reason for the dispute" });
      const f = h(
        "fieldset",
        { class: "line" },
        h("legend", null, `Line ${l.line_no} ${l.item}: delivered ${l.delivered ?? "?"}`),
        h("div", { class: "field check" }, dispute, h("label", { for: dispute.id }, "Dispute this line")),
        h("div", { class: "field" }, h("label", { for: q.id }, "Quantity received"), q),
        h("div", { class: "field" }, h("label", { for: reason.id }, "Reason"), reason),
      );
      return { l, dispute, q, reason, f };
    });
    body.push(h("p", { class: "muted" }, "Lines not disputed are acknowledged as delivered."), ...rows.map((r) => r.f));
    collect = () => ({
      lines: rows
        .filter((r) => r.dispute.checked)
        .map((r) => ({ line_no: r.l.line_no, quantity: r.q.value.trim(), reason: r.reason.value.trim() })),
    });
  } else if (action === "resolve") {
    const disputed = o.lines.filter((l) => l.verdict === "disputed");
    const [lineField, lineSel] = select(
      "resolve-line",
      "Line",
      disputed.map((l): [string, string] => [String(l.line_no), `${l.line_no} ${l.item}`]),
    );
    const q = h("input", { id: "resolve-q", value: disputed[0]?.receipted ?? "" });
    lineSel.addEventListener("change", () => {
      q.value = disputed.find((l) => String(l.line_no) === lineSel.value)?.receipted ?? "";
    });
    body.push(lineField, h("div", { class: "field" }, h("label", { for: q.id }, "Agreed quantity"), q));
    collect = () => ({ line_no: Number(lineSel.value), quantity: q.value.trim() });
  }
  const submit = h("button", { type: "submit", class: action === "cancel" || action === "reject" ? "danger" : "" }, label(action));
  const form = h(
    "form",
    { class: "action", "data-action": action },
    h("h3", null, label(action)),
    ...body,
    h("div", { class: "field" }, h("label", { for: remark.id }, "Remark"), remark),
    submit,
    status,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    status.replaceChildren(h("p", { class: "loading" }, "Sending…"));
    try {
      const payload = { ...collect(), ...(remark.value.trim() ? { remark: remark.value.trim() } : {}) };
      const updated = await post<Order>(`/orders/${enc(o.number)}/${action}`, payload, { "If-Match": `"${o.version}"` });
      done(updated);
    } catch (err) {
      status.replaceChildren(errorBox(err));
      submit.disabled = false;
    }
  });
  return form;
}

function label(action: string): string {
  return { receipt: "Receipt", resolve: "Resolve dispute" }[action] ?? action[0].toUpperCase() + action.slice(1);
}

export async function orderView(main: HTMLElement, params: Record<string, string>): Promise<void> {
  main.append(loading("the order"));
  let o: Order;
  let facility: Facility | null = null;
  try {
    o = await order(params.ref);
    facility = await get<Facility>(`/facilities/${enc(o.facility)}`).catch(() => null);
  } catch (e) {
    clear(main);
    main.append(h("h1", null, params.ref), errorBox(e), h("p", null, h("a", { href: "/orders", "data-link": true }, "Back to orders")));
    return;
  }
  const draw = (o: Order, notice?: string) => {
    clear(main);
    const actions = actionsFor(o);
    append(main, [
      h("p", { class: "crumbs" }, h("a", { href: "/orders", "data-link": true }, "Orders"), " / ", o.number),
      h("div", { class: "title-row" }, h("h1", null, o.number), badge(o.state)),
      notice ? h("p", { class: "notice", role: "status", tabindex: -1 }, notice) : null,
      h(
        "dl",
        { class: "facts" },
        [
          ["Agreement", o.agreement],
          ["Requester", o.requester],
          ["Supplier", o.supplier],
          ["Unit", o.unit],
          ["Facility", o.facility],
          ["Purpose", o.purpose],
          ["Settlement", o.settlement],
          ["Your side", side(o)],
          ["Version", String(o.version)],
        ].map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
      ),
      h("h2", null, "Lines"),
      lineTable(o),
      h("h2", null, "Actions"),
      actions.length
        ? h("div", { class: "actions" }, actions.map((a) => actionForm(o, a, (u) => draw(u, `${label(a)}: the order is now ${u.state}.`), facility)))
        : h("p", { class: "muted" }, `No action is open to you (${party()}) on a ${o.state} order.`),
      // Billing and payment are per agreement, not per order: they are on the ledger screen.
      has("finance") && o.state === "receipted"
        ? h(
            "p",
            null,
            h("a", { href: `/ledger?agreement=${enc(o.agreement)}`, "data-link": true }, side(o) === "supplier" ? "Bill this support on the ledger" : "Pay its bill on the ledger"),
            " — the order closes once its balance is settled.",
          )
        : null,
      h("h2", null, "History"),
      table(
        ["When", "State", "Who", "Remark"],
        o.history.map((s) => [when(s.at), badge(s.to), `${s.actor.name} (${s.actor.party} ${s.actor.role})`, s.remark]),
        "History",
      ),
    ]);
    if (notice) (main.querySelector(".notice") as HTMLElement | null)?.focus();
    if (has("auditor")) void chainEvents(o, main);
  };
  draw(o);
}

// For auditors: the order's events on the audit chain, with their hashes.
// The API pages events in sequence order without a subject filter, so this
// reads the pages the party may see and keeps the order's.
async function chainEvents(o: Order, main: HTMLElement): Promise<void> {
  const box = h("div", null, loading("the audit chain"));
  main.append(h("h2", null, "On the audit chain"), box);
  try {
    const found: AuditEvent[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const page: { events: AuditEvent[]; next_after: number | null } = await get(`/events?after=${after}&limit=1000`);
      found.push(...page.events.filter((e) => e.subject === `order/${o.number}` || e.subject.includes(`:${o.number}:`)));
      after = page.next_after;
    }
    box.replaceChildren(
      table(
        ["#", "When", "Who", "Kind", "Subject", "Hash"],
        found.map((e) => [String(e.seq), when(e.at), `${e.actor_name} (${e.actor_party} ${e.actor_role})`, e.kind, e.subject, h("code", { title: e.hash }, e.hash.slice(0, 12))]),
        "Audit events",
      ),
    );
  } catch (e) {
    box.replaceChildren(errorBox(e));
  }
}

function isoFromLocal(v: string): string {
  return v ? new Date(v).toISOString().replace(/\.\d{3}Z$/, "Z") : "";
}

function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export async function newOrderView(main: HTMLElement): Promise<void> {
  main.append(h("h1", null, "Raise an order"), loading("the registry"));
  const [ags, us, fs, its] = await Promise.all([agreements(), units(), facilities(), items()]);
  main.querySelector(".loading")?.remove();
  const partnerOf = (a: Agreement) => (a.party_a === party() ? a.party_b : a.party_a);
  const [agField, ag] = select("agreement", "Agreement", ags.map((a): [string, string] => [a.code, `${a.code} — ${a.title}`]));
  const [unitField, unit] = select("unit", "Unit", us.map((u): [string, string] => [u.code, `${u.code} — ${u.name}`]));
  const [facField, fac] = select("facility", "Facility", []);
  const [purField, pur] = select("purpose", "Purpose", []);
  const [setField, set] = select("settlement", "Settlement", []);
  const fillFromAgreement = () => {
    const a = ags.find((x) => x.code === ag.value);
    if (!a) return;
    const terms = a.terms as { eligible_purposes?: string[]; settlement_modes?: string[] };
    fac.replaceChildren(
      ...fs.filter((f) => f.owner === partnerOf(a)).map((f) => h("option", { value: f.code }, `${f.code} — ${f.name}`)),
    );
    pur.replaceChildren(...(terms.eligible_purposes ?? []).map((p) => h("option", { value: p }, p)));
    set.replaceChildren(
      h("option", { value: "" }, "agreement default"),
      ...(terms.settlement_modes ?? []).map((p) => h("option", { value: p }, p)),
    );
  };
  ag.addEventListener("change", fillFromAgreement);
  fillFromAgreement();

  const lines = h("div", { class: "lines" });
  const start = new Date(Date.now() + 10 * 24 * 3600e3);
  start.setMinutes(0, 0, 0);
  const addLine = () => {
    const n = lines.children.length + 1;
    const [itemField] = select(
      `item-${n}`,
      "Item",
      its.map((i): [string, string] => [i.code, `${i.code} — ${i.name} (${i.unit})`]),
    );
    const q = h("input", { id: `quantity-${n}`, name: "quantity", placeholder: "e.g. 80 tonne", required: true });
    const ws = h("input", { id: `ws-${n}`, type: "datetime-local", value: localInput(start), required: true });
    const we = h("input", { id: `we-${n}`, type: "datetime-local", value: localInput(new Date(+start + 2 * 24 * 3600e3)), required: true });
    const note = h("input", { id: `note-${n}` });
    const remove = h("button", { type: "button", class: "secondary", "aria-label": `Remove line ${n}` }, "Remove");
    const f = h(
      "fieldset",
      { class: "line" },
      h("legend", null, `Line ${n}`),
      itemField,
      h("div", { class: "field" }, h("label", { for: q.id }, "Quantity"), q),
      h("div", { class: "field" }, h("label", { for: ws.id }, "From"), ws),
      h("div", { class: "field" }, h("label", { for: we.id }, "To"), we),
      h("div", { class: "field" }, h("label", { for: note.id }, "Note"), note),
      remove,
    );
    remove.addEventListener("click", () => lines.children.length > 1 && f.remove());
    lines.append(f);
  };
  addLine();

  const status = h("div", { "aria-live": "polite" });
  const submit = h("button", { type: "submit" }, "Create draft");
  // One key per form: a retry after a lost answer returns the order made
  // the first time instead of a second one (a changed form is refused).
  // getRandomValues, unlike randomUUID, also works on plain http.
  const idempotencyKey = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("div", { class: "row" }, agField, unitField, facField, purField, setField),
    h("h2", null, "Lines"),
    lines,
    h("button", { type: "button", class: "secondary", onclick: addLine }, "Add a line"),
    h("div", { class: "submit-row" }, submit),
    status,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelectorAll("[aria-invalid]").forEach((x) => x.removeAttribute("aria-invalid"));
    const body = {
      agreement: ag.value,
      unit: unit.value,
      facility: fac.value,
      purpose: pur.value,
      ...(set.value ? { settlement: set.value } : {}),
      lines: [...lines.children].map((f) => {
        const v = (sel: string) => (f.querySelector(sel) as HTMLInputElement).value.trim();
        return {
          item: v("select"),
          quantity: v('input[name="quantity"]'),
          window_start: isoFromLocal(v('input[id^="ws-"]')),
          window_end: isoFromLocal(v('input[id^="we-"]')),
          ...(v('input[id^="note-"]') ? { note: v('input[id^="note-"]') } : {}),
        };
      }),
    };
    // The server's rules are the rules; this only catches an empty field
    // before the round trip.
    const empty = [...lines.querySelectorAll<HTMLInputElement>("input[required]")].find((i) => !i.value.trim());
    if (empty) {
      empty.setAttribute("aria-invalid", "true");
      empty.focus();
      status.replaceChildren(errorBox(new ApiError(0, "invalid_argument", empty.id, "Fill in every quantity and window.", "")));
      return;
    }
    submit.disabled = true;
    status.replaceChildren(h("p", { class: "loading" }, "Creating…"));
    try {
      const o = await post<Order>("/orders", body, { "Idempotency-Key": idempotencyKey });
      navigate(`/orders/${enc(o.number)}`);
    } catch (err) {
      status.replaceChildren(errorBox(err));
      const m = err instanceof ApiError ? /^\$\.lines\[(\d+)\]\.(\w+)/.exec(err.field || err.reason) : null;
      if (m) {
        const f = lines.children[Number(m[1])];
        const target = f?.querySelector(m[2] === "quantity" ? 'input[name="quantity"]' : "input,select");
        target?.setAttribute("aria-invalid", "true");
      }
      submit.disabled = false;
    }
  });
  main.append(form);
}
