import { and, asc, desc, eq, lt, ne, not, sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { type Channel, type InteractionKind, interactions, notes, preferences, products, profileTags, sources, staff, stores } from "@/db/schema";
import { columnsOf } from "@/db/columns";
import { DomainError } from "@/lib/errors";

/** What the assistant learns at the counter: notes, sizes per category, tags. Plain data in, plain data out. */

export type ActivityItem = {
  id: number;
  kind: InteractionKind;
  at: number;
  channel: "online" | "app" | "store";
  place: string;
  productName: string | null;
  productImage: string | null;
  promoPercent: number | null;
};

/** Visits and anything seen in a store count as "store"; the rest belongs to the app or the online shop. */
function activityChannel(channel: Channel) {
  const inStore = sql`(${interactions.kind} = 'visit' or ${interactions.storeId} is not null)`;
  if (channel === "store") return inStore;
  return and(not(inStore), channel === "app" ? eq(sources.name, "app") : ne(sources.name, "app"));
}

export function getActivity(
  db: Db,
  profileId: number,
  before: number | null,
  limit = 20,
  channel: Channel | null = null,
): { items: ActivityItem[]; next: number | null } {
  const rows = db
    .select({
      ...columnsOf(interactions, "id", "kind", "at"),
      source: sources.name,
      storeName: stores.name,
      productName: products.name,
      productImage: products.imagePath,
      promoPercent: products.promoPercent,
    })
    .from(interactions)
    .innerJoin(sources, eq(sources.id, interactions.sourceId))
    .leftJoin(stores, eq(stores.id, interactions.storeId))
    .leftJoin(products, eq(products.id, interactions.productId))
    .where(
      and(eq(interactions.profileId, profileId), before === null ? undefined : lt(interactions.at, before), channel ? activityChannel(channel) : undefined),
    )
    .orderBy(desc(interactions.at), desc(interactions.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit).map((r) => {
    const channel = r.kind === "visit" || r.storeName ? "store" : r.source === "app" ? "app" : "online";
    return {
      id: r.id,
      kind: r.kind,
      at: r.at,
      channel,
      place: channel === "store" ? (r.storeName ?? "A store") : channel === "app" ? "App" : "Online",
      productName: r.productName,
      productImage: r.productImage,
      promoPercent: r.promoPercent,
    } satisfies ActivityItem;
  });
  return { items, next: rows.length > limit ? items[items.length - 1].at : null };
}

export type NoteView = { id: number; body: string; author: string; authorId: number; store: string | null; createdAt: number; updatedAt: number };

/** What the profile page lists about a customer, prepared once per connection (it is read on every view). */
const listsFor = perConnection((db: Db) => {
  const profileId = sql.placeholder("profileId");
  return {
    notes: db
      .select({ ...columnsOf(notes, "id", "body", "createdAt", "updatedAt"), author: staff.name, authorId: notes.staffId, store: stores.name })
      .from(notes)
      .innerJoin(staff, eq(staff.id, notes.staffId))
      .leftJoin(stores, eq(stores.id, notes.storeId))
      .where(eq(notes.profileId, profileId))
      .orderBy(desc(notes.createdAt), desc(notes.id))
      .prepare(),
    preferences: db
      .select({ category: preferences.category, size: preferences.size, note: preferences.note, updatedAt: preferences.updatedAt })
      .from(preferences)
      .where(eq(preferences.profileId, profileId))
      .orderBy(asc(preferences.category))
      .prepare(),
    tags: db.select({ tag: profileTags.tag }).from(profileTags).where(eq(profileTags.profileId, profileId)).orderBy(asc(profileTags.tag)).prepare(),
  };
});

export function listNotes(db: Db, profileId: number): NoteView[] {
  return listsFor(db).notes.all({ profileId });
}

export function addNote(db: Db, profileId: number, by: { staffId: number; storeId: number | null }, body: string, now = Date.now()): NoteView {
  const id = db
    .insert(notes)
    .values({ profileId, staffId: by.staffId, storeId: by.storeId, body, createdAt: now, updatedAt: now })
    .returning({ id: notes.id })
    .get().id;
  return listNotes(db, profileId).find((n) => n.id === id)!;
}

/** Only the author may change a note: it is their record of what the customer said. */
export function editNote(db: Db, noteId: number, by: { staffId: number }, body: string, now = Date.now()): NoteView {
  const note = db.select().from(notes).where(eq(notes.id, noteId)).get();
  if (!note) throw new DomainError("not_found", "That note no longer exists.");
  if (note.staffId !== by.staffId) throw new DomainError("forbidden", "Only the person who wrote a note can edit it.");
  db.update(notes).set({ body, updatedAt: now }).where(eq(notes.id, noteId)).run();
  return listNotes(db, note.profileId).find((n) => n.id === noteId)!;
}

export function noteProfileId(db: Db, noteId: number): number | null {
  return db.select({ profileId: notes.profileId }).from(notes).where(eq(notes.id, noteId)).get()?.profileId ?? null;
}

export type PreferenceView = { category: string; size: string | null; note: string | null; updatedAt: number };

export function listPreferences(db: Db, profileId: number): PreferenceView[] {
  return listsFor(db).preferences.all({ profileId });
}

export function setPreference(
  db: Db,
  profileId: number,
  by: { staffId: number },
  pref: { category: string; size: string | null; note: string | null },
  now = Date.now(),
): void {
  if (!pref.size && !pref.note) {
    db.delete(preferences)
      .where(and(eq(preferences.profileId, profileId), eq(preferences.category, pref.category)))
      .run();
    return;
  }
  const values = { size: pref.size, note: pref.note, staffId: by.staffId, updatedAt: now };
  db.insert(preferences)
    .values({ profileId, category: pref.category, ...values })
    .onConflictDoUpdate({ target: [preferences.profileId, preferences.category], set: values })
    .run();
}

export function listTags(db: Db, profileId: number): string[] {
  return listsFor(db)
    .tags.all({ profileId })
    .map((t) => t.tag);
}

export function addTag(db: Db, profileId: number, by: { staffId: number }, tag: string, now = Date.now()): void {
  db.insert(profileTags).values({ profileId, tag, staffId: by.staffId, createdAt: now }).onConflictDoNothing().run();
}

export function removeTag(db: Db, profileId: number, tag: string): void {
  db.delete(profileTags)
    .where(and(eq(profileTags.profileId, profileId), eq(profileTags.tag, tag)))
    .run();
}
