// Which API routes this server has, read once from its OpenAPI document
// (public, generated from the server's route table). Screens offer an
// action only when its route exists, so a server without, say, the
// exercise routes shows that they are missing instead of failing a call.
import { get } from "./api";

interface OpenApi {
  paths: Record<string, Record<string, { "x-relos-roles"?: string[] }>>;
}

let loaded: Promise<OpenApi> | null = null;

function doc(): Promise<OpenApi> {
  loaded ??= get<OpenApi>("/openapi.json").catch((e) => {
    loaded = null;
    throw e;
  });
  return loaded;
}

export interface ApiRoute {
  method: string;
  pattern: string; // without the /api/v1 prefix, e.g. "/ledger/{agreement}/bills"
  roles: string[];
}

// The first route with this method whose path matches `re` (tested on the
// path without /api/v1), or null.
export async function findRoute(method: string, re: RegExp): Promise<ApiRoute | null> {
  const d = await doc();
  for (const [path, ops] of Object.entries(d.paths)) {
    const p = path.replace(/^\/api\/v1/, "");
    const op = ops[method.toLowerCase()];
    if (op && re.test(p)) return { method, pattern: p, roles: op["x-relos-roles"] ?? [] };
  }
  return null;
}

// The route's path with its {parameters} filled in order, each encoded.
export function fill(r: ApiRoute, ...values: string[]): string {
  let i = 0;
  return r.pattern.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++] ?? ""));
}

// The list in an answer such as {"exercises":[...]}, whatever its key.
export const firstArray = <T>(x: Record<string, unknown>): T[] => (Object.values(x).find(Array.isArray) as T[] | undefined) ?? [];
