import { get, type AuditEvent } from "../api";
import { errorBox, h, loading, table, when } from "../dom";

interface Verify {
  ok: boolean;
  events_checked: number;
  objects_checked: number;
  broken_seq?: number;
  problem?: string;
}

export async function auditView(main: HTMLElement): Promise<void> {
  const verifyBox = h("div", { "aria-live": "polite", "data-testid": "verify" });
  const verifyButton = h("button", { type: "button" }, "Verify the chain");
  const events = h("div", null);
  main.append(
    h("h1", null, "Audit"),
    h("p", { class: "muted" }, "Every state change appends a hash-chained event. Verification recomputes the chain and checks every stored object against it."),
    h("div", { class: "title-row" }, verifyButton, verifyBox),
    h("h2", null, "Events"),
    events,
  );
  const verify = async () => {
    verifyButton.disabled = true;
    verifyBox.replaceChildren(loading("verification"));
    try {
      const v = await get<Verify>("/verify");
      verifyBox.replaceChildren(
        v.ok
          ? h("p", { class: "ok" }, `Verified: ${v.events_checked} events and ${v.objects_checked} objects match the chain.`)
          : h("p", { class: "error", role: "alert" }, `Broken at event ${v.broken_seq ?? "?"}: ${v.problem ?? ""}`),
      );
    } catch (e) {
      verifyBox.replaceChildren(errorBox(e));
    }
    verifyButton.disabled = false;
  };
  verifyButton.addEventListener("click", verify);

  let after: number | null = 0;
  const rows: AuditEvent[] = [];
  const more = h("button", { type: "button", class: "secondary" }, "Load more events");
  const page = async () => {
    if (after === null) return;
    more.disabled = true;
    const l = events.appendChild(loading("events"));
    try {
      const p: { events: AuditEvent[]; next_after: number | null } = await get(`/events?after=${after}&limit=200`);
      rows.push(...p.events);
      after = p.next_after;
      l.remove();
      events.replaceChildren(
        table(
          ["#", "When", "Who", "Kind", "Subject", "Hash"],
          [...rows].reverse().map((e) => [
            String(e.seq),
            when(e.at),
            `${e.actor_name} (${e.actor_party} ${e.actor_role})`,
            e.kind,
            e.subject,
            h("code", { title: e.hash }, e.hash.slice(0, 12)),
          ]),
          "Events",
        ),
        after !== null ? more : h("p", { class: "muted" }, `All ${rows.length} events you may see.`),
      );
    } catch (e) {
      l.replaceWith(errorBox(e));
    }
    more.disabled = false;
  };
  more.addEventListener("click", page);
  await Promise.all([verify(), page()]);
}
