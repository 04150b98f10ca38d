// The shell: header, navigation by role, and a history-API router. Every
// client route is a real path (/orders/RELOS-...), which `relos serve`
// answers with index.html so a reload or a shared link works.
import "./style.css";
import { call, get, setToken, token, whenUnauthorised, type Me } from "./api";
import { clear, errorBox, h, loading } from "./dom";
import { has, session } from "./session";
import { auditView } from "./views/audit";
import { dashboardView } from "./views/dashboard";
import { exerciseView, exercisesView } from "./views/exercises";
import { ledgerView } from "./views/ledger";
import { missionView } from "./views/mission";
import { newOrderView, orderView, ordersView } from "./views/orders";
import { registryView } from "./views/registry";
import { signInView } from "./views/signin";
import { usersView } from "./views/users";

export type View = (main: HTMLElement, params: Record<string, string>) => Promise<void> | void;

interface Route {
  pattern: RegExp;
  title: string;
  view: View;
  roles?: string[];
}

const routes: Route[] = [
  { pattern: /^\/$/, title: "Dashboard", view: dashboardView },
  { pattern: /^\/orders\/new$/, title: "Raise an order", view: newOrderView, roles: ["requester"] },
  { pattern: /^\/orders\/(?<ref>[^/]+)$/, title: "Order", view: orderView },
  { pattern: /^\/orders$/, title: "Orders", view: ordersView },
  { pattern: /^\/registry$/, title: "Registry", view: registryView },
  { pattern: /^\/missions$/, title: "Mission planner", view: missionView },
  { pattern: /^\/exercises$/, title: "Exercises", view: exercisesView },
  { pattern: /^\/exercises\/(?<code>[^/]+)$/, title: "Exercise", view: exerciseView },
  { pattern: /^\/ledger$/, title: "Ledger", view: ledgerView, roles: ["finance", "auditor"] },
  { pattern: /^\/audit$/, title: "Audit", view: auditView, roles: ["auditor"] },
  { pattern: /^\/users$/, title: "Users", view: usersView, roles: ["admin"] },
];

const nav: { path: string; label: string; roles?: string[] }[] = [
  { path: "/", label: "Dashboard" },
  { path: "/orders", label: "Orders" },
  { path: "/registry", label: "Registry" },
  { path: "/missions", label: "Missions" },
  { path: "/exercises", label: "Exercises" },
  { path: "/ledger", label: "Ledger", roles: ["finance", "auditor"] },
  { path: "/audit", label: "Audit", roles: ["auditor"] },
  { path: "/users", label: "Users", roles: ["admin"] },
];

const app = document.getElementById("app")!;

// Set when the person moved to another screen, so that focus follows them
// to the new content (and a screen reader announces it); not on first load.
let moved = false;

export function navigate(path: string): void {
  if (path !== location.pathname + location.search) history.pushState(null, "", path);
  moved = true;
  void render();
}

// Links marked data-link change the route without reloading the page.
document.addEventListener("click", (e) => {
  const a = (e.target as Element).closest?.("a[data-link]") as HTMLAnchorElement | null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  navigate(a.getAttribute("href")!);
});
window.addEventListener("popstate", () => {
  moved = true;
  void render();
});
whenUnauthorised(() => {
  setToken(null);
  session.me = null;
  navigate("/sign-in");
});

async function signOut(): Promise<void> {
  try {
    await call("DELETE", "/sessions/current");
  } catch {
    // The token may already be gone; signing out locally is what matters.
  }
  setToken(null);
  session.me = null;
  navigate("/sign-in");
}

function header(me: Me): HTMLElement {
  const here = location.pathname;
  return h(
    "header",
    { class: "top" },
    h("a", { href: "/", "data-link": true, class: "brand" }, "relos"),
    h(
      "nav",
      { "aria-label": "Main" },
      nav
        .filter((n) => !n.roles || has(...n.roles))
        .map((n) =>
          h(
            "a",
            {
              href: n.path,
              "data-link": true,
              "aria-current": (n.path === "/" ? here === "/" : here.startsWith(n.path)) ? "page" : null,
            },
            n.label,
          ),
        ),
    ),
    h(
      "div",
      { class: "who" },
      h("span", { class: "user", "data-testid": "who" }, `${me.name} · ${me.party} · ${me.roles.join(", ")}`),
      h("button", { type: "button", class: "secondary", onclick: () => void signOut() }, "Sign out"),
    ),
  );
}

let renderSeq = 0;

export async function render(): Promise<void> {
  const seq = ++renderSeq;
  const path = location.pathname;
  if (!token()) {
    session.me = null;
    clear(app);
    document.title = "Sign in — relos";
    const main = h("main", { id: "main", tabindex: -1, class: "narrow" });
    app.append(main);
    signInView(main, { next: path === "/sign-in" ? "/" : path });
    return;
  }
  if (!session.me) {
    clear(app);
    app.append(loading("your account"));
    try {
      session.me = await get<Me>("/me");
    } catch (e) {
      if (token()) {
        clear(app);
        app.append(h("main", { id: "main" }, errorBox(e)));
      }
      return;
    }
  }
  if (seq !== renderSeq) return;
  if (path === "/sign-in") {
    history.replaceState(null, "", "/");
    return render();
  }
  const route = routes.find((r) => r.pattern.test(path));
  const main = h("main", { id: "main", tabindex: -1 });
  clear(app);
  app.append(header(session.me), main);
  if (!route) {
    document.title = "Not found — relos";
    main.append(h("h1", null, "Not found"), h("p", null, "There is no page at ", h("code", null, path), "."));
    return;
  }
  document.title = `${route.title} — relos`;
  if (route.roles && !has(...route.roles)) {
    main.append(
      h("h1", null, route.title),
      h("div", { class: "error", role: "alert" }, `Your role (${session.me.roles.join(", ")}) may not open this page.`),
    );
    return;
  }
  const params = (path.match(route.pattern)?.groups ?? {}) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(location.search)) params[k] ??= v;
  if (moved) {
    moved = false;
    main.focus({ preventScroll: true });
  }
  try {
    await route.view(main, params);
  } catch (e) {
    main.append(errorBox(e));
  }
}

void render();
