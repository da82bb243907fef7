import { type SQL, and, asc, eq, inArray, isNotNull, min, gt, sql } from "drizzle-orm";
import { type Db, perConnection } from "@/db/client";
import { JOIN_IN_WRITTEN_ORDER, tableUsingIndex } from "@/db/dialect";
import { type PurchaseFacet, customerAssignments, products, profiles, staff, storeCustomerPurchases, storeCustomerStats } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import type { ListFilter, ListSort } from "./params";
import { DAY_MS, utcDayStart } from "@/lib/days";

const PAGE_SIZE = 50;
/**
 * A filter that matches fewer customers than this drives the query: its matches are fetched and
 * sorted (a few milliseconds). Otherwise the sort index is walked and every filter checked per
 * row, which finds a page quickly because each filter then keeps at least this many customers.
 */
const DRIVE_BELOW = 8000;

const s = storeCustomerStats;

const SORTS: Record<ListSort, { key: SQL; column: "lastPurchaseAt" | "spend" | "sortName"; desc: boolean; index: string }> = {
  last_purchase_desc: { key: sql`${s.lastPurchaseAt}`, column: "lastPurchaseAt", desc: true, index: "store_customer_stats_last_purchase_idx" },
  last_purchase_asc: { key: sql`${s.lastPurchaseAt}`, column: "lastPurchaseAt", desc: false, index: "store_customer_stats_last_purchase_idx" },
  spend_desc: { key: sql`${s.spend}`, column: "spend", desc: true, index: "store_customer_stats_spend_idx" },
  spend_asc: { key: sql`${s.spend}`, column: "spend", desc: false, index: "store_customer_stats_spend_idx" },
  name_asc: { key: sql`${s.sortName}`, column: "sortName", desc: false, index: "store_customer_stats_name_idx" },
  name_desc: { key: sql`${s.sortName}`, column: "sortName", desc: true, index: "store_customer_stats_name_idx" },
};

export type ListRow = {
  profileId: number;
  firstName: string | null;
  lastName: string | null;
  tier: string | null;
  firstPurchaseAt: number | null;
  lastPurchaseAt: number | null;
  orderCount: number;
  spend: number;
  lastSeenAt: number | null;
  consents: { email: boolean; sms: boolean; post: boolean };
  associate: { id: number; name: string } | null;
};

export type ListPage = { rows: ListRow[]; next: string | null };

export type QueryOptions = {
  after?: string;
  limit?: number;
  now?: number;
  /** The planner's threshold (default DRIVE_BELOW); 0 always walks the sort index, so tests can check both plans agree. */
  driveBelow?: number;
};

type Cursor = { key: number | string; profileId: number };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.key, c.profileId])).toString("base64url");
}

function decodeCursor(cursor: string, sort: ListSort): Cursor {
  const broken = new DomainError("invalid_input", "This page link is out of date. Start again from the first page.");
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw broken;
  }
  const wantsText = SORTS[sort].column === "sortName";
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== (wantsText ? "string" : "number") || !Number.isSafeInteger(value[1])) throw broken;
  return { key: value[0], profileId: value[1] };
}

function memberOf(facet: PurchaseFacet, value: string) {
  return sql`exists (select 1 from ${storeCustomerPurchases} p where p.store_id = ${s.storeId} and p.facet = ${facet} and p.value = ${value} and p.profile_id = ${s.profileId})`;
}

function assignedTo(staffId: number) {
  return sql`exists (select 1 from ${customerAssignments} a where a.store_id = ${s.storeId} and a.profile_id = ${s.profileId} and a.staff_id = ${staffId})`;
}

/** One filter as a condition on store_customer_stats, and how to count (capped) and drive from it alone. */
type Part = { condition: SQL; drive?: { count: () => number; from: SQL } };

function partsOf(db: Db, storeId: number, f: ListFilter, now: number): Part[] {
  const capped = (from: SQL, where: SQL) => () =>
    db.get<{ n: number }>(sql`select count(*) as n from (select 1 from ${from} where ${where} limit ${DRIVE_BELOW})`).n;
  const scan = (index: string, where: SQL): Part => ({
    condition: where,
    drive: { count: capped(tableUsingIndex(s, index), and(eq(s.storeId, storeId), where)!), from: tableUsingIndex(s, index) },
  });
  const parts: Part[] = [];
  if (f.tier !== undefined) parts.push(scan("store_customer_stats_tier_idx", eq(s.tier, f.tier)));
  if (f.from !== undefined || f.to !== undefined) {
    const range = and(
      f.from !== undefined ? sql`${s.lastPurchaseAt} >= ${utcDayStart(f.from)}` : undefined,
      f.to !== undefined ? sql`${s.lastPurchaseAt} < ${utcDayStart(f.to, 1)}` : undefined,
      gt(s.lastPurchaseAt, 0),
    )!;
    parts.push(scan("store_customer_stats_last_purchase_idx", range));
  }
  if (f.minSpend !== undefined || f.maxSpend !== undefined) {
    const range = and(
      f.minSpend !== undefined ? sql`${s.spend} >= ${Math.round(f.minSpend * 100)}` : undefined,
      f.maxSpend !== undefined ? sql`${s.spend} <= ${Math.round(f.maxSpend * 100)}` : undefined,
    )!;
    parts.push(scan("store_customer_stats_spend_idx", range));
  }
  if (f.notSeen !== undefined) {
    // A purchase here is a purchase somewhere, so the store's last purchase is never after the last one seen anywhere:
    // stating it lets the last-purchase index skip the recent customers instead of reading and rejecting each one.
    const cutoff = now - f.notSeen * DAY_MS;
    parts.push(scan("store_customer_stats_last_seen_idx", sql`${s.lastSeenAt} < ${cutoff} and ${s.lastPurchaseAt} < ${cutoff}`));
  }
  for (const facet of ["category", "collection"] as const) {
    const value = f[facet];
    if (value === undefined) continue;
    const set = sql`(select profile_id from ${storeCustomerPurchases} where store_id = ${storeId} and facet = ${facet} and value = ${value})`;
    parts.push({
      condition: memberOf(facet, value),
      drive: {
        count: () => db.get<{ n: number }>(sql`select count(*) as n from (select 1 from ${set} limit ${DRIVE_BELOW})`).n,
        from: sql`${set} c ${sql.raw(JOIN_IN_WRITTEN_ORDER)} ${s} on ${s.profileId} = c.profile_id`,
      },
    });
  }
  if (f.associate !== undefined) {
    const set = sql`(select profile_id from ${customerAssignments} where staff_id = ${f.associate} and store_id = ${storeId})`;
    parts.push({
      condition: assignedTo(f.associate),
      drive: {
        count: () => db.get<{ n: number }>(sql`select count(*) as n from ${set}`).n,
        from: sql`${set} c ${sql.raw(JOIN_IN_WRITTEN_ORDER)} ${s} on ${s.profileId} = c.profile_id`,
      },
    });
  }
  if (f.consent !== undefined) parts.push({ condition: eq({ email: s.consentEmail, sms: s.consentSms, post: s.consentPost }[f.consent], true) });
  return parts;
}

/**
 * One page of a store's customers, filtered and sorted on the server, with keyset paging: the
 * cursor is the last row's sort key and profile ID (the tie-breaker), never an offset. The plan is
 * chosen per request from capped counts: drive from the most selective filter when it is small,
 * else walk the sort order's index.
 */
export function queryStoreCustomers(db: Db, storeId: number, filter: ListFilter, options: QueryOptions = {}): ListPage {
  const limit = options.limit ?? PAGE_SIZE;
  const sort = SORTS[filter.sort];
  const parts = partsOf(db, storeId, filter, options.now ?? Date.now());
  let from = tableUsingIndex(s, sort.index);
  let best = options.driveBelow ?? DRIVE_BELOW;
  for (const part of parts) {
    if (!part.drive) continue;
    const n = part.drive.count();
    if (n < best) [best, from] = [n, part.drive.from];
  }
  const conditions = [eq(s.storeId, storeId), ...parts.map((p) => p.condition)];
  if (options.after) {
    const c = decodeCursor(options.after, filter.sort);
    conditions.push(
      sort.desc ? sql`(${sort.key}, ${s.profileId}) < (${c.key}, ${c.profileId})` : sql`(${sort.key}, ${s.profileId}) > (${c.key}, ${c.profileId})`,
    );
  }
  const dir = sort.desc ? sql`desc` : sql`asc`;
  const page = db.all<typeof s.$inferSelect & { key: number | string }>(sql`
    select ${s.storeId} as storeId, ${s.profileId} as profileId, ${s.firstPurchaseAt} as firstPurchaseAt, ${s.lastPurchaseAt} as lastPurchaseAt,
      ${s.orderCount} as orderCount, ${s.spend} as spend, ${s.lastSeenAt} as lastSeenAt, ${s.tier} as tier,
      ${s.consentEmail} as consentEmail, ${s.consentSms} as consentSms, ${s.consentPost} as consentPost, ${sort.key} as key
    from ${from}
    where ${and(...conditions)}
    order by ${sort.key} ${dir}, ${s.profileId} ${dir}
    limit ${limit + 1}`);
  const more = page.length > limit;
  const rows = page.slice(0, limit);
  const details = detailsOf(
    db,
    storeId,
    rows.map((r) => r.profileId),
  );
  const last = rows.at(-1);
  return {
    rows: rows.map((r) => {
      const d = details.get(r.profileId);
      return {
        profileId: r.profileId,
        firstName: d?.firstName ?? null,
        lastName: d?.lastName ?? null,
        tier: r.tier,
        firstPurchaseAt: r.firstPurchaseAt || null,
        lastPurchaseAt: r.lastPurchaseAt || null,
        orderCount: r.orderCount,
        spend: r.spend,
        lastSeenAt: r.lastSeenAt || null,
        consents: { email: Boolean(r.consentEmail), sms: Boolean(r.consentSms), post: Boolean(r.consentPost) },
        associate: d?.associateId ? { id: d.associateId, name: d.associateName! } : null,
      };
    }),
    next: more && last ? encodeCursor({ key: last.key, profileId: last.profileId }) : null,
  };
}

function detailsOf(db: Db, storeId: number, ids: number[]) {
  if (ids.length === 0) return new Map();
  const rows = db
    .select({
      id: profiles.id,
      firstName: profiles.firstName,
      lastName: profiles.lastName,
      associateId: customerAssignments.staffId,
      associateName: staff.name,
    })
    .from(profiles)
    .leftJoin(customerAssignments, and(eq(customerAssignments.profileId, profiles.id), eq(customerAssignments.storeId, storeId)))
    .leftJoin(staff, eq(staff.id, customerAssignments.staffId))
    .where(inArray(profiles.id, ids))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Asked on every profile view by a manager (and for each store on a head office's): prepared once per connection. */
const storeCustomerQuery = perConnection((db: Db) =>
  db
    .select({ one: sql`1` })
    .from(s)
    .where(and(eq(s.storeId, sql.placeholder("storeId")), eq(s.profileId, sql.placeholder("profileId"))))
    .prepare(),
);

/** Whether the profile is on the store's list: the store scope of a manager's direct profile access. */
export function isStoreCustomer(db: Db, storeId: number, profileId: number): boolean {
  return storeCustomerQuery(db).get({ storeId, profileId }) !== undefined;
}

export type ListOptions = { tiers: string[]; categories: string[]; collections: string[]; associates: { id: number; name: string }[] };

/** What the filter form offers for a store. Tiers are read by hopping the tier index, one probe per distinct tier. */
export function listOptions(db: Db, storeId: number): ListOptions {
  const tiers: string[] = [];
  for (
    let t = db
      .select({ v: min(s.tier) })
      .from(s)
      .where(and(eq(s.storeId, storeId), isNotNull(s.tier)))
      .get()?.v;
    t;
  ) {
    tiers.push(t);
    t = db
      .select({ v: min(s.tier) })
      .from(s)
      .where(and(eq(s.storeId, storeId), gt(s.tier, t)))
      .get()?.v;
  }
  const distinct = (column: typeof products.category | typeof products.collection) =>
    db
      .selectDistinct({ v: column })
      .from(products)
      .where(isNotNull(column))
      .orderBy(asc(column))
      .all()
      .map((r) => r.v!);
  return {
    tiers,
    categories: distinct(products.category),
    collections: distinct(products.collection),
    associates: db
      .select({ id: staff.id, name: staff.name })
      .from(staff)
      .where(and(eq(staff.homeStoreId, storeId), eq(staff.role, "associate"), eq(staff.active, true)))
      .orderBy(asc(staff.name))
      .all(),
  };
}

/** How many customers are on a store's list. */
export function storeListSize(db: Db, storeId: number): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(s)
    .where(eq(s.storeId, storeId))
    .get()!.n;
}

/** The cursor of the row `offset` rows down a store's unfiltered list in this sort: a deep page reached as keyset paging would. */
export function cursorAtOffset(db: Db, storeId: number, sort: ListSort, offset: number): string {
  const { key, desc } = SORTS[sort];
  const dir = desc ? sql`desc` : sql`asc`;
  const row = db.get<Cursor>(
    sql`select ${key} as key, ${s.profileId} as profileId from ${s} where ${s.storeId} = ${storeId} order by ${key} ${dir}, ${s.profileId} ${dir} limit 1 offset ${offset}`,
  );
  return encodeCursor(row);
}
