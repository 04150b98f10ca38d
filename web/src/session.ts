// Who is signed in and what their roles let them see. The API enforces
// every rule; this only decides which screens and buttons to offer.
import type { Me, Order } from "./api";

export const session: { me: Me | null } = { me: null };

export function has(...roles: string[]): boolean {
  return !!session.me && roles.some((r) => session.me!.roles.includes(r));
}

export function party(): string {
  return session.me?.party ?? "";
}

// The side of an order the signed-in party is on.
export function side(o: Order): "requester" | "supplier" {
  return o.supplier === party() ? "supplier" : "requester";
}

// The lifecycle actions (src/orders/lifecycle.cc) this person may take on
// the order as it stands; the server checks them again.
export function actionsFor(o: Order): string[] {
  const sd = side(o);
  const out: string[] = [];
  const add = (a: string, ok: boolean) => ok && out.push(a);
  add("submit", sd === "requester" && has("requester") && o.state === "draft");
  add("approve", sd === "supplier" && has("approver") && o.state === "submitted");
  add("reject", sd === "supplier" && has("approver") && o.state === "submitted");
  add("deliver", sd === "supplier" && has("logistics-officer") && o.state === "approved");
  add("receipt", sd === "requester" && has("receiver") && o.state === "delivered");
  add(
    "resolve",
    sd === "supplier" && has("approver") && o.state === "receipted" && o.lines.some((l) => l.verdict === "disputed"),
  );
  add(
    "cancel",
    (sd === "requester" && has("requester") && ["draft", "submitted", "approved"].includes(o.state)) ||
      (sd === "supplier" && has("approver") && o.state === "approved"),
  );
  add("close", has("finance") && o.state === "receipted");
  return out;
}

// The steps that move an order on and wait for this person: every action
// open to them except cancelling, which is never owed.
export function waitingFor(o: Order): string[] {
  return actionsFor(o).filter((a) => a !== "cancel");
}
