import type { Db } from "@/db/client";
import type { IdentitySettings } from "./normalize";
import { loadIdentitySettings } from "./settings";

const TTL_MS = 10_000;
let cached: { db: Db; at: number; value: IdentitySettings } | undefined;

/** Identity settings change rarely; a lookup should not pay two queries for them every time. */
export function identitySettingsFor(db: Db, now = Date.now()): IdentitySettings {
  if (!cached || cached.db !== db || now - cached.at > TTL_MS) cached = { db, at: now, value: loadIdentitySettings(db) };
  return cached.value;
}

export function forgetIdentitySettings(): void {
  cached = undefined;
}
