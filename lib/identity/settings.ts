import { eq } from "drizzle-orm";
import type { CountryCode } from "libphonenumber-js/max";
import { type Db, perConnection } from "@/db/client";
import { settings, sources, stores } from "@/db/schema";
import { COMPARISONS, type MatchModel, defaultModel } from "./match-model";
import { DEFAULT_IDENTITY_SETTINGS, type IdentitySettings, normalizePhone } from "./normalize";

export const IDENTITY_SETTINGS_KEY = "identity";

/** The app itself is a source system: enrolments and consents given at the counter are its records. */
export const CLIENTELE_SOURCE = { name: "clientele", label: "Clientele (in store)", trustRank: 15 };

/** What head office has set, merged over the defaults, without the stores' phones (those follow the stores table). */
export function storedIdentitySettings(db: Db): IdentitySettings {
  const row = db.select().from(settings).where(eq(settings.key, IDENTITY_SETTINGS_KEY)).get();
  const stored = (row?.value ?? {}) as Partial<IdentitySettings>;
  return {
    ...DEFAULT_IDENTITY_SETTINGS,
    ...stored,
    loyalty: { ...DEFAULT_IDENTITY_SETTINGS.loyalty, ...stored.loyalty },
    blocked: { ...DEFAULT_IDENTITY_SETTINGS.blocked, ...stored.blocked },
    matchThresholds: { ...DEFAULT_IDENTITY_SETTINGS.matchThresholds, ...stored.matchThresholds },
  };
}

/** Chain settings merged over the defaults; the stores' own phone numbers are always blocked. */
export function loadIdentitySettings(db: Db): IdentitySettings {
  const merged = storedIdentitySettings(db);
  const storePhones = db
    .select({ phone: stores.phone, country: stores.country })
    .from(stores)
    .all()
    // Each store's number is read in its own country, which head office sets per store.
    .map((s) => normalizePhone(s.phone, s.country as CountryCode))
    .filter((p): p is string => p !== null);
  merged.blocked = { ...merged.blocked, phone: [...new Set([...merged.blocked.phone, ...storePhones])] };
  return merged;
}

export function saveIdentitySettings(db: Db, value: Partial<IdentitySettings>): void {
  const now = Date.now();
  db.insert(settings)
    .values({ key: IDENTITY_SETTINGS_KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
    .run();
}

export type SourceInfo = { id: number; name: string; label: string; trustRank: number };

/** Read on every profile view (for its source labels): prepared once per connection. */
const sourcesQuery = perConnection((db: Db) => db.select().from(sources).prepare());

export function loadSources(db: Db): Map<string, SourceInfo> {
  return new Map(
    sourcesQuery(db)
      .all()
      .map((s) => [s.name, s]),
  );
}

/** Names as staff know them ("Online shop"), with the counter itself for consents given in store. */
export function sourceLabels(db: Db): Record<string, string> {
  return { [CLIENTELE_SOURCE.name]: CLIENTELE_SOURCE.label, ...Object.fromEntries([...loadSources(db).values()].map((s) => [s.name, s.label])) };
}

export const MATCH_MODEL_KEY = "identity_model";

/** The match model in use: the last one `identity:train` stored, else the starting values. */
export function loadMatchModel(db: Db): MatchModel {
  const row = db.select().from(settings).where(eq(settings.key, MATCH_MODEL_KEY)).get();
  const stored = row?.value as MatchModel | undefined;
  return stored ? withCurrentLevels(stored) : defaultModel();
}

/**
 * A model stored before a comparison's levels changed has no estimate for the new ones, and its
 * old estimates meant other things: that comparison takes the starting values until the next
 * `identity:train`, and says so.
 */
export function withCurrentLevels(model: MatchModel): MatchModel {
  const start = defaultModel();
  const stale = COMPARISONS.filter((c) => c.levels.some((l) => !model.comparisons[c.name]?.[l.key]));
  if (stale.length === 0) return model;
  return {
    ...model,
    comparisons: { ...model.comparisons, ...Object.fromEntries(stale.map((c) => [c.name, start.comparisons[c.name]])) },
    notes: [...(model.notes ?? []), `${stale.map((c) => c.label).join(", ")}: starting values until the next identity:train (its levels changed)`],
  };
}

/** Stores a model as the current one under the next version number; earlier versions are kept beside it. */
export function saveMatchModel(db: Db, model: MatchModel, now = Date.now()): MatchModel {
  const current = loadMatchModel(db);
  const versioned = { ...model, version: current.version + 1 };
  const put = (key: string, value: unknown) =>
    db
      .insert(settings)
      .values({ key, value, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
      .run();
  if (current.version > 0) put(`${MATCH_MODEL_KEY}_v${current.version}`, current);
  put(MATCH_MODEL_KEY, versioned);
  return versioned;
}
