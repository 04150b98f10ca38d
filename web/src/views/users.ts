import { post, get } from "../api";
import { errorBox, h, loading, table, when } from "../dom";
import { party } from "../session";

interface User {
  name: string;
  party: string;
  roles: string[];
  disabled: boolean;
  created_at: string;
}

const ROLES = ["requester", "approver", "logistics-officer", "receiver", "finance", "auditor", "admin"];

// Admins: the users of their own party, and a form to add one.
export async function usersView(main: HTMLElement): Promise<void> {
  const list = h("div", null, loading("users"));
  const load = async () => {
    try {
      const { users } = await get<{ users: User[] }>("/users");
      list.replaceChildren(
        table(
          ["Name", "Roles", "Status", "Added"],
          users.map((u) => [u.name, u.roles.join(", "), u.disabled ? "disabled" : "active", when(u.created_at)]),
          "Users",
        ),
      );
    } catch (e) {
      list.replaceChildren(errorBox(e));
    }
  };
  const name = h("input", { id: "new-name", autocomplete: "off", required: true });
  const password = h("input", { id: "new-password", type: "password", autocomplete: "new-password", required: true });
  const boxes = ROLES.map((r) => h("input", { type: "checkbox", id: `role-${r}`, value: r }));
  const status = h("div", { "aria-live": "polite" });
  const submit = h("button", { type: "submit" }, "Add user");
  const form = h(
    "form",
    { class: "card" },
    h("h2", null, `Add a user to ${party()}`),
    h("div", { class: "row" }, h("div", { class: "field" }, h("label", { for: name.id }, "User name"), name), h("div", { class: "field" }, h("label", { for: password.id }, "Password"), password)),
    h(
      "fieldset",
      { class: "line" },
      h("legend", null, "Roles"),
      boxes.map((b) => h("div", { class: "field check" }, b, h("label", { for: b.id }, b.value))),
    ),
    submit,
    status,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const u = await post<User>("/users", {
        name: name.value.trim(),
        password: password.value,
        roles: boxes.filter((b) => b.checked).map((b) => b.value),
      });
      status.replaceChildren(h("p", { class: "notice", role: "status" }, `Added ${u.name} (${u.roles.join(", ")}).`));
      form.reset();
      await load();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
    submit.disabled = false;
  });
  main.append(h("h1", null, `Users of ${party()}`), list, form);
  await load();
}
