// A small element builder: every text goes in as a text node, never as
// HTML, so nothing the API returns can inject markup.

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function table(headers: string[], rows: Child[][], caption?: string): HTMLElement {
  if (rows.length === 0) return h("p", { class: "empty" }, caption ? `No ${caption.toLowerCase()}.` : "Nothing here.");
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      null,
      caption ? h("caption", null, caption) : null,
      h("thead", null, h("tr", null, headers.map((x) => h("th", { scope: "col" }, x)))),
      h(
        "tbody",
        null,
        rows.map((r) => h("tr", null, r.map((c) => h("td", null, c)))),
      ),
    ),
  );
}

export function loading(what: string): HTMLElement {
  return h("p", { class: "loading", role: "status" }, `Loading ${what}…`);
}

export function errorBox(e: unknown): HTMLElement {
  const err = e as { status?: number; reason?: string; field?: string; rule?: string; message?: string };
  return h(
    "div",
    { class: "error", role: "alert" },
    h("strong", null, err.status ? `Refused (${err.status})` : "Error"),
    ": ",
    err.reason || err.message || String(e),
    err.field ? h("span", { class: "detail" }, ` — field ${err.field}`) : null,
    err.rule ? h("span", { class: "detail" }, ` — rule ${err.rule}`) : null,
  );
}

export function badge(state: string): HTMLElement {
  return h("span", { class: `badge state-${state}` }, state);
}

export function when(iso: string): string {
  return iso ? iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, "Z") : "";
}

export function section(title: string, id: string, ...body: Child[]): HTMLElement {
  return h("section", { class: "card", id: `${id}-s`, "aria-labelledby": id }, h("h2", { id }, title), ...body);
}

// A form that sends one request: the button is disabled while it runs, a
// refusal is shown with the API's reason and the input it names is marked
// (inputs carry data-field with the API's field name, e.g. "amount"), and
// on success `send` returns the notice to show.
export function actionForm(
  title: string,
  name: string,
  fields: Child[],
  button: string,
  send: () => Promise<string>,
): HTMLFormElement {
  const status = h("div", { "aria-live": "polite" });
  const submit = h("button", { type: "submit" }, button);
  const form = h("form", { class: "action", "data-action": name }, h("h3", null, title), fields, submit, status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelectorAll("[aria-invalid]").forEach((x) => x.removeAttribute("aria-invalid"));
    submit.disabled = true;
    status.replaceChildren(h("p", { class: "loading", role: "status" }, "Sending…"));
    try {
      const notice = await send();
      status.replaceChildren(h("p", { class: "notice", role: "status" }, notice));
    } catch (err) {
      status.replaceChildren(errorBox(err));
      const field = String((err as { field?: string }).field ?? "").replace(/^\$\./, "");
      const target = field ? form.querySelector(`[data-field="${CSS.escape(field.split(/[.[]/)[0])}"]`) : null;
      if (target) {
        target.setAttribute("aria-invalid", "true");
        (target as HTMLElement).focus();
      }
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function field(id: string, label: string, input: HTMLElement, hint?: string): HTMLElement {
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("span", { class: "hint" }, hint) : null);
}

export function csvButton(name: string, headers: string[], rows: () => (string | number)[][]): HTMLElement {
  const quote = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return h(
    "button",
    {
      type: "button",
      class: "secondary small",
      "aria-label": `Download ${name}.csv`,
      onclick: () => {
        const text = [headers, ...rows()].map((r) => r.map(quote).join(",")).join("\n") + "\n";
        const a = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: `${name}.csv` });
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      },
    },
    "CSV",
  );
}

const SVGNS = "http://www.w3.org/2000/svg";
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
