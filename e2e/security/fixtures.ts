import { createHash } from "node:crypto";
import { type APIRequestContext, expect, request } from "@playwright/test";
import bcrypt from "bcryptjs";
import { callAction, form } from "../actions";
import { queryDatabase, writeDatabase } from "../helpers";

/** A signed-in API client (cookies kept between calls), as a browser on this site would be. */
export async function signedIn(baseURL: string, email: string, password: string, headers: Record<string, string> = {}): Promise<APIRequestContext> {
  const http = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL, ...headers }, maxRedirects: 0 });
  const { result } = await callAction(http, "lib/actions/auth.ts#signInAction", [form({ error: null, email: "" }, { email, password })]);
  expect(result?.error ?? null, `sign-in as ${email}`).toBeNull();
  return http;
}

export async function anonymous(baseURL: string, headers: Record<string, string> = {}): Promise<APIRequestContext> {
  return request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL, ...headers }, maxRedirects: 0 });
}

export const storeId = (code: string) => queryDatabase<{ id: number }>("select id from stores where code = ?", code)[0].id;

/** A staff member of the suite's own, so lock-outs and ended sessions never touch the demo accounts. */
export function createStaff(role: "associate" | "manager", storeCode: string, options: { pin?: string } = {}): { id: number; email: string; password: string } {
  const email = `security.${role}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@demo.clientele`;
  const password = "security-suite-password";
  writeDatabase(
    "insert into staff (email, name, role, home_store_id, password_hash, pin_hash, created_at) values (?, ?, ?, ?, ?, ?, ?)",
    email,
    `Security ${role}`,
    role,
    storeId(storeCode),
    bcrypt.hashSync(password, 4),
    options.pin ? bcrypt.hashSync(options.pin, 4) : null,
    Date.now(),
  );
  return { id: queryDatabase<{ id: number }>("select id from staff where email = ?", email)[0].id, email, password };
}

/** Live customers who bought in one store and never in the other, with what names them. */
export function shoppersOnlyAt(only: string, never: string, limit: number) {
  return queryDatabase<{ id: number; first_name: string; last_name: string; email: string | null; phone: string | null; loyalty_id: string | null }>(
    `select p.id, p.first_name, p.last_name, p.email, p.phone, p.loyalty_id from profiles p
      where p.merged_into is null and p.id > 10 and p.email is not null and p.loyalty_id is not null
        and not exists (select 1 from erasures e where e.profile_id = p.id)
        and exists (select 1 from orders o where o.profile_id = p.id and o.store_id = ?)
        and not exists (select 1 from orders o where o.profile_id = p.id and o.store_id = ?)
        and not exists (select 1 from merge_events m where m.survivor_id = p.id or m.absorbed_id = p.id)
      order by p.id limit ?`,
    storeId(only),
    storeId(never),
    limit,
  );
}

/** An API key of the given scope for the till source; the plain key is returned once, as the app does. */
export function apiKey(scope: "ingest" | "lookup"): string {
  const key = `clk_security_${scope}_${Date.now()}_${Math.floor(Math.random() * 1e9)}`;
  const source = queryDatabase<{ id: number }>("select id from sources where name = 'pos'")[0].id;
  writeDatabase(
    "insert into api_keys (source_id, name, prefix, hash, scope, created_at) values (?, ?, ?, ?, ?, ?)",
    source,
    `Security suite ${scope}`,
    key.slice(0, 12),
    createHash("sha256").update(key).digest("hex"),
    scope,
    Date.now(),
  );
  return key;
}
