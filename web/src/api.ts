// The relos REST API (docs/api.md) as the web application uses it: one
// fetch wrapper that sends the bearer token and turns every error body
// {"error":{code, field, reason, rule}} into an ApiError the screens show.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field: string,
    readonly reason: string,
    readonly rule: string,
  ) {
    super(reason || `${status} ${code}`);
  }
}

export interface Me {
  name: string;
  party: string;
  roles: string[];
  acting_role: string;
  expires_at: string;
}

export interface OrderLine {
  line_no: number;
  item: string;
  requested: string;
  approved?: string;
  unit_price?: string;
  delivered?: string;
  receipted?: string;
  window_start: string;
  window_end: string;
  note: string;
  discrepancy: string;
  verdict: string;
  dispute_reason: string;
}

export interface OrderStep {
  to: string;
  actor: { party: string; role: string; name: string };
  at: string;
  remark: string;
}

export interface Order {
  id: number;
  number: string;
  agreement: string;
  requester: string;
  supplier: string;
  unit: string;
  facility: string;
  purpose: string;
  settlement: string;
  exercise: string;
  lines: OrderLine[];
  state: string;
  history: OrderStep[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Facility {
  code: string;
  name: string;
  owner: string;
  kind: string;
  position: { lat: number; lon: number };
  berths?: { id: string; length_m: number; max_draught_m: number }[];
  capacities?: Record<string, number>;
  fuel?: { grade: string; on_hand?: string; capacity?: string }[];
  prices?: { item: string; unit_price: string; valid_from: string }[];
}

export interface Agreement {
  code: string;
  title: string;
  party_a: string;
  party_b: string;
  effective_from: string;
  effective_to: string;
  terms: Record<string, unknown>;
}

export interface Unit {
  code: string;
  name: string;
  owner: string;
  kind: string;
  fuel_grade: string;
  cruise_speed_kn: number;
  personnel: number;
}

export interface Item {
  code: string;
  name: string;
  category: string;
  unit: string;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actor_party: string;
  actor_role: string;
  actor_name: string;
  kind: string;
  subject: string;
  hash: string;
}

const TOKEN_KEY = "relos.token";
const BASE = "/api/v1";

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(t: string | null): void {
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// Called when the server says the token is no longer good (401), so the
// shell can send the person back to sign-in.
let onUnauthorised: () => void = () => {};
export function whenUnauthorised(f: () => void): void {
  onUnauthorised = f;
}

export async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const h: Record<string, string> = { Accept: "application/json", ...headers };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  if (body !== undefined) h["Content-Type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(BASE + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "unavailable", "", "The relos server does not answer. Check that it is running.", "");
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, "bad_response", "", `The server answered ${res.status} without JSON.`, "");
  }
  if (!res.ok) {
    const e = (json as { error?: Partial<ApiError> } | null)?.error ?? {};
    if (res.status === 401 && path !== "/sessions") onUnauthorised();
    throw new ApiError(res.status, e.code ?? "error", e.field ?? "", e.reason ?? `HTTP ${res.status}`, e.rule ?? "");
  }
  return json as T;
}

export const get = <T>(path: string) => call<T>("GET", path);
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
  call<T>("POST", path, body ?? {}, headers);

export const enc = encodeURIComponent;

// A fresh Idempotency-Key: a form keeps one until its request succeeds, so
// sending again after a lost answer acts once.
export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
