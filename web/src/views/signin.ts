import { call, get, setToken, type Me } from "../api";
import { errorBox, h } from "../dom";
import { navigate } from "../main";
import { session } from "../session";

export function signInView(main: HTMLElement, params: Record<string, string>): void {
  const status = h("div", { "aria-live": "polite" });
  const name = h("input", { id: "name", name: "name", autocomplete: "username", required: true, autofocus: true });
  const password = h("input", {
    id: "password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const submit = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in to relos"),
    h("p", { class: "muted" }, "Reciprocal logistics support: orders, registry, ledger and audit."),
    h("label", { for: "name" }, "User name"),
    name,
    h("label", { for: "password" }, "Password"),
    password,
    submit,
    status,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    status.replaceChildren(h("p", { class: "loading" }, "Signing in…"));
    try {
      const t = await call<{ token: string }>("POST", "/sessions", { name: name.value, password: password.value });
      setToken(t.token);
      session.me = await get<Me>("/me");
      navigate(params.next || "/");
    } catch (err) {
      setToken(null);
      status.replaceChildren(errorBox(err));
      submit.disabled = false;
      password.select();
    }
  });
  main.append(form);
}
