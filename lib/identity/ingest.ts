import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Channel, identifiers, mergeEvents, orderLines, orders, products, profiles, sourceCustomers, sources, stores } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { planLink } from "./link";
import { type Identifier, type IdentitySettings, linkableIdentifiers, normalizeEmail, normalizeLoyaltyId, normalizePhone } from "./normalize";
import { type SourceInfo, loadIdentitySettings, loadSources } from "./settings";
import { GOLDEN_FIELDS, type SurvivorshipRecord, surviveFields } from "./survivorship";

export type CustomerRecordInput = {
  source: string;
  sourceCustomerId: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  loyaltyId?: string | null;
  birthDate?: string | null;
  address?: string | null;
  postcode?: string | null;
  city?: string | null;
  country?: string | null;
  tier?: string | null;
  consents?: Record<string, boolean> | null;
  /** When the source last changed this customer (epoch ms); drives survivorship recency. */
  updatedAt?: number;
  /** The record exactly as the source sent it; defaults to the input itself. */
  payload?: unknown;
};

export type IngestStatus = "inserted" | "updated" | "unchanged";

export type CustomerIngestResult = {
  status: IngestStatus;
  sourceRecordId: number;
  profileId: number;
  createdProfile: boolean;
  absorbedProfileIds: number[];
};

export type OrderLineInput = { sku: string; quantity: number; unitPrice: number };

export type OrderInput = {
  source: string;
  externalId: string;
  /** The customer as the order's source knows them; absent for anonymous sales. */
  sourceCustomerId?: string | null;
  /** Source of the customer record when it differs from the order's (a POS sale on a loyalty card). */
  customerSource?: string | null;
  channel: Channel;
  storeCode?: string | null;
  placedAt: number;
  lines: OrderLineInput[];
};

type Prepared = ReturnType<typeof prepare>;

/** Settings, sources and lookups that stay fixed during a batch; build once per import or request. */
export type IngestContext = {
  db: Db;
  settings: IdentitySettings;
  sources: Map<string, SourceInfo>;
  stmts: Prepared;
  productIds: Map<string, number>;
  storeIds: Map<string, number>;
  now: () => number;
};

export function createIngestContext(db: Db, now: () => number = Date.now): IngestContext {
  return {
    db,
    settings: loadIdentitySettings(db),
    sources: loadSources(db),
    stmts: prepare(db),
    productIds: new Map(),
    storeIds: new Map(db.select({ code: stores.code, id: stores.id }).from(stores).all().map((s) => [s.code, s.id])),
    now,
  };
}

function prepare(db: Db) {
  const p = sql.placeholder;
  return {
    recordByKey: db
      .select({ id: sourceCustomers.id, profileId: sourceCustomers.profileId, payloadHash: sourceCustomers.payloadHash })
      .from(sourceCustomers)
      .where(and(eq(sourceCustomers.sourceId, p("sourceId")), eq(sourceCustomers.sourceCustomerId, p("sourceCustomerId"))))
      .prepare(),
    ownersOf: db
      .selectDistinct({ profileId: identifiers.profileId })
      .from(identifiers)
      .where(and(eq(identifiers.type, p("type")), eq(identifiers.value, p("value"))))
      .prepare(),
    insertProfile: db.insert(profiles).values({ updatedAt: p("now") }).returning({ id: profiles.id }).prepare(),
    identifiersOfRecord: db.delete(identifiers).where(eq(identifiers.sourceRecordId, p("recordId"))).prepare(),
    insertIdentifier: db
      .insert(identifiers)
      .values({ type: p("type"), value: p("value"), profileId: p("profileId"), sourceRecordId: p("recordId") })
      .onConflictDoNothing()
      .prepare(),
    recordsOfProfile: db
      .select({
        id: sourceCustomers.id,
        source: sources.name,
        trustRank: sources.trustRank,
        sourceUpdatedAt: sourceCustomers.sourceUpdatedAt,
        consents: sourceCustomers.consents,
        firstName: sourceCustomers.firstName,
        lastName: sourceCustomers.lastName,
        email: sourceCustomers.email,
        phone: sourceCustomers.phone,
        loyaltyId: sourceCustomers.loyaltyId,
        birthDate: sourceCustomers.birthDate,
        city: sourceCustomers.city,
        postcode: sourceCustomers.postcode,
        tier: sourceCustomers.tier,
      })
      .from(sourceCustomers)
      .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
      .where(eq(sourceCustomers.profileId, p("profileId")))
      .prepare(),
    refreshStats: db
      .update(profiles)
      .set({
        lifetimeSpend: sql`(select coalesce(sum(${orders.total}), 0) from ${orders} where ${orders.profileId} = ${p("profileId")})`,
        orderCount: sql`(select count(*) from ${orders} where ${orders.profileId} = ${p("profileId")} and ${orders.total} > 0)`,
        lastPurchaseAt: sql`(select max(${orders.placedAt}) from ${orders} where ${orders.profileId} = ${p("profileId")} and ${orders.total} > 0)`,
      })
      .where(eq(profiles.id, p("profileId")))
      .prepare(),
    orderByKey: db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.sourceId, p("sourceId")), eq(orders.externalId, p("externalId"))))
      .prepare(),
    productBySku: db.select({ id: products.id }).from(products).where(eq(products.sku, p("sku"))).prepare(),
    deleteOrderLines: db.delete(orderLines).where(eq(orderLines.orderId, p("orderId"))).prepare(),
    insertOrderLine: db
      .insert(orderLines)
      .values({ orderId: p("orderId"), lineNo: p("lineNo"), productId: p("productId"), quantity: p("quantity"), unitPrice: p("unitPrice") })
      .prepare(),
  };
}

function sourceOf(ctx: IngestContext, name: string): SourceInfo {
  const source = ctx.sources.get(name);
  if (!source) throw new DomainError("unknown_source", `Unknown source "${name}".`);
  return source;
}

function payloadHash(payload: string): string {
  return createHash("sha1").update(payload).digest("base64url");
}

/**
 * Adds or updates one source record and links it: it joins the profile that owns any of its strong
 * identifiers, creates one when none does, and merges profiles it bridges. Call inside a transaction.
 */
export function ingestCustomerRecord(ctx: IngestContext, input: CustomerRecordInput): CustomerIngestResult {
  const { db, stmts, settings } = ctx;
  const source = sourceOf(ctx, input.source);
  const payload = JSON.stringify(input.payload ?? input);
  const hash = payloadHash(payload);
  const existing = stmts.recordByKey.get({ sourceId: source.id, sourceCustomerId: input.sourceCustomerId });
  if (existing && existing.payloadHash === hash) {
    return { status: "unchanged", sourceRecordId: existing.id, profileId: existing.profileId, createdProfile: false, absorbedProfileIds: [] };
  }

  const ids = linkableIdentifiers(input, settings);
  const owners = new Map<Identifier, number[]>();
  for (const id of ids) {
    const found = stmts.ownersOf.all({ type: id.type, value: id.value }).map((r) => r.profileId);
    if (found.length > 0) owners.set(id, found);
  }
  const plan = planLink(existing?.profileId ?? null, owners);
  const now = ctx.now();
  let profileId = plan.target;
  const createdProfile = profileId === null;
  if (profileId === null) profileId = stmts.insertProfile.get({ now })!.id;

  const fields = {
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    loyaltyId: input.loyaltyId ?? null,
    birthDate: input.birthDate ?? null,
    address: input.address ?? null,
    postcode: input.postcode ?? null,
    city: input.city ?? null,
    country: input.country ?? null,
    tier: input.tier ?? null,
    consents: input.consents ?? null,
    payload,
    payloadHash: hash,
    sourceUpdatedAt: input.updatedAt ?? now,
    updatedAt: now,
    profileId,
  };
  let sourceRecordId: number;
  if (existing) {
    sourceRecordId = existing.id;
    db.update(sourceCustomers).set(fields).where(eq(sourceCustomers.id, existing.id)).run();
    stmts.identifiersOfRecord.run({ recordId: existing.id });
  } else {
    sourceRecordId = db
      .insert(sourceCustomers)
      .values({ sourceId: source.id, sourceCustomerId: input.sourceCustomerId, ...fields })
      .returning({ id: sourceCustomers.id })
      .get().id;
  }
  for (const id of ids) stmts.insertIdentifier.run({ type: id.type, value: id.value, profileId, recordId: sourceRecordId });
  for (const absorbed of plan.absorb) {
    mergeProfiles(ctx, profileId, absorbed, { cause: `shared identifier via ${input.source} record ${input.sourceCustomerId}`, staffId: null });
  }
  refreshGolden(ctx, profileId);
  return { status: existing ? "updated" : "inserted", sourceRecordId, profileId, createdProfile, absorbedProfileIds: plan.absorb };
}

/** Folds `absorbedId` into `survivorId`: everything it owned moves, and its ID becomes a redirect. */
export function mergeProfiles(ctx: IngestContext, survivorId: number, absorbedId: number, by: { cause: string; staffId: number | null }): void {
  const { db } = ctx;
  db.update(sourceCustomers).set({ profileId: survivorId }).where(eq(sourceCustomers.profileId, absorbedId)).run();
  db.update(identifiers).set({ profileId: survivorId }).where(eq(identifiers.profileId, absorbedId)).run();
  db.update(orders).set({ profileId: survivorId }).where(eq(orders.profileId, absorbedId)).run();
  db.run(sql`update interactions set profile_id = ${survivorId} where profile_id = ${absorbedId}`);
  // Earlier redirects to the absorbed profile now point straight at the survivor: one hop, always.
  db.update(profiles).set({ mergedInto: survivorId }).where(eq(profiles.mergedInto, absorbedId)).run();
  db.update(profiles).set({ mergedInto: survivorId, updatedAt: ctx.now() }).where(eq(profiles.id, absorbedId)).run();
  db.insert(mergeEvents).values({ kind: "merge", survivorId, absorbedId, cause: by.cause, staffId: by.staffId, at: ctx.now() }).run();
  ctx.stmts.refreshStats.run({ profileId: survivorId });
}

const goldenNormalisers = (settings: IdentitySettings) => ({
  email: (v: string) => normalizeEmail(v),
  phone: (v: string) => normalizePhone(v, settings.defaultCountry),
  loyaltyId: (v: string) => normalizeLoyaltyId(v, settings.loyalty),
});

export function refreshGolden(ctx: IngestContext, profileId: number): void {
  const records = ctx.stmts.recordsOfProfile.all({ profileId }) as SurvivorshipRecord[];
  const golden = surviveFields(records, goldenNormalisers(ctx.settings));
  const set: Partial<typeof profiles.$inferInsert> = { lineage: golden.lineage, consents: golden.consents, updatedAt: ctx.now() };
  for (const field of GOLDEN_FIELDS) set[field] = golden[field];
  ctx.db.update(profiles).set(set).where(eq(profiles.id, profileId)).run();
}

function productId(ctx: IngestContext, sku: string): number {
  let id = ctx.productIds.get(sku);
  if (id === undefined) {
    id = ctx.stmts.productBySku.get({ sku })?.id;
    if (id === undefined) throw new DomainError("unknown_product", `Unknown SKU "${sku}".`);
    ctx.productIds.set(sku, id);
  }
  return id;
}

export type OrderIngestResult = { status: "inserted" | "updated"; orderId: number; profileId: number | null };

/** Adds or replaces one order with its lines, attached to the customer's current profile. Call inside a transaction. */
export function ingestOrder(ctx: IngestContext, input: OrderInput): OrderIngestResult {
  const { db, stmts } = ctx;
  const source = sourceOf(ctx, input.source);
  if (input.lines.length === 0) throw new DomainError("invalid_input", "An order needs at least one line.");
  let storeId: number | null = null;
  if (input.storeCode) {
    storeId = ctx.storeIds.get(input.storeCode) ?? null;
    if (storeId === null) throw new DomainError("unknown_store", `Unknown store "${input.storeCode}".`);
  }
  let sourceRecordId: number | null = null;
  let profileId: number | null = null;
  if (input.sourceCustomerId) {
    const customerSource = sourceOf(ctx, input.customerSource ?? input.source);
    const record = stmts.recordByKey.get({ sourceId: customerSource.id, sourceCustomerId: input.sourceCustomerId });
    if (!record) throw new DomainError("unknown_customer", `No ${customerSource.name} customer "${input.sourceCustomerId}".`);
    sourceRecordId = record.id;
    profileId = record.profileId;
  }
  const lines = input.lines.map((l, i) => ({ lineNo: i + 1, productId: productId(ctx, l.sku), quantity: l.quantity, unitPrice: l.unitPrice }));
  const total = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  const existing = stmts.orderByKey.get({ sourceId: source.id, externalId: input.externalId });
  const values = { sourceRecordId, profileId, channel: input.channel, storeId, placedAt: input.placedAt, total };
  let orderId: number;
  if (existing) {
    orderId = existing.id;
    db.update(orders).set(values).where(eq(orders.id, orderId)).run();
    stmts.deleteOrderLines.run({ orderId });
  } else {
    orderId = db.insert(orders).values({ sourceId: source.id, externalId: input.externalId, ...values }).returning({ id: orders.id }).get().id;
  }
  for (const line of lines) stmts.insertOrderLine.run({ orderId, ...line });
  if (profileId !== null) stmts.refreshStats.run({ profileId });
  return { status: existing ? "updated" : "inserted", orderId, profileId };
}
