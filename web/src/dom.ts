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
