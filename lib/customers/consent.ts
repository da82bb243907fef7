import { desc, eq, sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { type ConsentState, consentEvents, profiles, staff, stores } from "@/db/schema";
import { columnsOf } from "@/db/columns";
import { CLIENTELE_SOURCE } from "@/lib/identity/settings";

/**
 * A consent given or withdrawn in front of an assistant is a statement of its own, with who, where
 * and when. It is the latest word on that channel until the customer says otherwise anywhere else.
 */
export function recordConsent(
  db: Db,
  profileId: number,
  by: { staffId: number; storeId: number | null },
  channel: string,
  granted: boolean,
  now = Date.now(),
): ConsentState {
  db.insert(consentEvents).values({ profileId, channel, granted, staffId: by.staffId, storeId: by.storeId, at: now }).run();
  const current = db.select({ consents: profiles.consents }).from(profiles).where(eq(profiles.id, profileId)).get();
  const state: ConsentState = { granted, at: now, source: CLIENTELE_SOURCE.name };
  db.update(profiles)
    .set({ consents: { ...(current?.consents ?? {}), [channel]: state } })
    .where(eq(profiles.id, profileId))
    .run();
  return state;
}

type CounterConsentRow = { channel: string; granted: boolean; at: number };

/** A customer's consent statements made in store, newest first: prepared once per ingest context. */
export function prepareCounterConsents(db: Db) {
  return db
    .select({ channel: consentEvents.channel, granted: consentEvents.granted, at: consentEvents.at })
    .from(consentEvents)
    .where(eq(consentEvents.profileId, sql.placeholder("profileId")))
    .orderBy(desc(consentEvents.at), desc(consentEvents.id))
    .prepare();
}

/** The latest counter statement per channel, for survivorship to weigh against the source systems' by recency. */
export function latestCounterConsents(newestFirst: readonly CounterConsentRow[]): Record<string, ConsentState> {
  const out: Record<string, ConsentState> = {};
  for (const e of newestFirst) out[e.channel] ??= { granted: e.granted, at: e.at, source: CLIENTELE_SOURCE.name };
  return out;
}

export type ConsentChange = { id: number; channel: string; granted: boolean; at: number; staffName: string | null; storeName: string | null };

/** The consent changes made in front of staff, newest first: who made each, in which store, when. */
const historyQuery = perConnection((db: Db) =>
  db
    .select({ ...columnsOf(consentEvents, "id", "channel", "granted", "at"), staffName: staff.name, storeName: stores.name })
    .from(consentEvents)
    .leftJoin(staff, eq(staff.id, consentEvents.staffId))
    .leftJoin(stores, eq(stores.id, consentEvents.storeId))
    .where(eq(consentEvents.profileId, sql.placeholder("profileId")))
    .orderBy(desc(consentEvents.at), desc(consentEvents.id))
    .limit(sql.placeholder("limit"))
    .prepare(),
);

export function consentHistory(db: Db, profileId: number, limit = 20): ConsentChange[] {
  return historyQuery(db).all({ profileId, limit });
}
