// Reads shared by several screens.
import { enc, get, type Agreement, type Facility, type Item, type Order, type Unit } from "./api";

// Every order the party sees, following next_after to the end.
export async function allOrders(filter: Record<string, string> = {}): Promise<Order[]> {
  const out: Order[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const q = new URLSearchParams({ ...filter, limit: "1000", after: String(after) });
    const page: { orders: Order[]; next_after: number | null } = await get(`/orders?${q}`);
    out.push(...page.orders);
    after = page.next_after;
  }
  return out;
}

export const facilities = async () => (await get<{ facilities: Facility[] }>("/facilities")).facilities;
export const agreements = async () => (await get<{ agreements: Agreement[] }>("/agreements")).agreements;
export const units = async () => (await get<{ units: Unit[] }>("/units")).units;
export const items = async () => (await get<{ items: Item[] }>("/items")).items;
export const order = (ref: string) => get<Order>(`/orders/${enc(ref)}`);
