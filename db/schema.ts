import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "number" })
    .notNull()
    .default(sql`(unixepoch() * 1000)`);

/** A reference to another row by its id. */
const ref = (name: string, target: () => AnySQLiteColumn, actions?: { onDelete?: "cascade" }) => integer(name).references(target, actions);

/** The store and the customer a store-scoped row is about: both required. */
const storeCustomer = () => ({
  storeId: ref("store_id", () => stores.id).notNull(),
  profileId: ref("profile_id", () => profiles.id).notNull(),
});

/** Epoch milliseconds everywhere: cheap to compare and index, and the same in every driver. */
const ms = (name: string) => integer(name, { mode: "number" });

/** A customer's own details, as a source record sends them and as the golden profile keeps the surviving ones. */
const customerDetails = () => ({
  firstName: text("first_name"),
  lastName: text("last_name"),
  email: text("email"),
  phone: text("phone"),
  loyaltyId: text("loyalty_id"),
  birthDate: text("birth_date"),
});

/** What an order or an interaction is as a source system sent it: unique by its external ID in that source. */
const sentBySource = () => ({
  sourceId: ref("source_id", () => sources.id).notNull(),
  externalId: text("external_id").notNull(),
  /** The customer record it came with; null for anonymous sales, which still count as baskets for association mining. */
  sourceRecordId: ref("source_record_id", () => sourceCustomers.id),
  /** Follows the source record's profile; rewritten on merge and unmerge. */
  profileId: ref("profile_id", () => profiles.id),
});

export const ROLES = ["associate", "manager", "hq"] as const;
export type Role = (typeof ROLES)[number];

export const CHANNELS = ["store", "online", "app"] as const;
export type Channel = (typeof CHANNELS)[number];

export const IDENTIFIER_TYPES = ["loyalty", "email", "phone"] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export const INTERACTION_KINDS = ["view", "wishlist", "cart", "visit"] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export const stores = sqliteTable("stores", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  city: text("city").notNull(),
  country: text("country").notNull().default("GB"),
  phone: text("phone"),
  lockTimeoutSeconds: integer("lock_timeout_seconds").notNull().default(120),
  createdAt: createdAt(),
});

export const staff = sqliteTable(
  "staff",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    homeStoreId: ref("home_store_id", () => stores.id),
    passwordHash: text("password_hash").notNull(),
    pinHash: text("pin_hash"),
    pinFailures: integer("pin_failures").notNull().default(0),
    pinLockedUntil: ms("pin_locked_until"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("staff_home_store_idx").on(t.homeStoreId)],
);

/** A system that knows customers: POS, e-commerce, app, loyalty, CRM. Lower trust rank wins survivorship. */
export const sources = sqliteTable("sources", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  label: text("label").notNull(),
  trustRank: integer("trust_rank").notNull().default(100),
  createdAt: createdAt(),
});

/** The golden profile. A merged-away profile keeps its row and points at the survivor. */
export const profiles = sqliteTable(
  "profiles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    mergedInto: ref("merged_into", (): AnySQLiteColumn => profiles.id),
    ...customerDetails(),
    city: text("city"),
    postcode: text("postcode"),
    tier: text("tier"),
    /** Which source record gave each golden field: { field: { sourceRecordId, source, updatedAt } }. */
    lineage: text("lineage", { mode: "json" }).$type<Record<string, FieldLineage>>(),
    consents: text("consents", { mode: "json" }).$type<Record<string, ConsentState>>(),
    lifetimeSpend: integer("lifetime_spend").notNull().default(0),
    orderCount: integer("order_count").notNull().default(0),
    lastPurchaseAt: ms("last_purchase_at"),
    createdAt: createdAt(),
    updatedAt: ms("updated_at"),
  },
  (t) => [index("profiles_merged_into_idx").on(t.mergedInto)],
);

export type FieldLineage = { sourceRecordId: number; source: string; updatedAt: number };
/** One comparison's part in a match decision: its level in plain words and its weight (log2 Bayes factor). */
export type MatchEvidencePart = { comparison: string; level: string; text: string; weight: number };
/** Why the match model scored two profiles as it did: prior, each comparison's weight, the sum and its probability. */
export type MatchEvidence = { modelVersion: number; prior: number; weight: number; probability: number; parts: MatchEvidencePart[] };
export type ConsentState = { granted: boolean; at: number; source: string };

/*
 * profile_search: the name index behind the lookup box. Drizzle cannot declare it, so it lives in
 * migration 0002 only:
 *   CREATE VIRTUAL TABLE profile_search USING fts5(name, city, content='', contentless_delete=1,
 *     tokenize='trigram remove_diacritics 1')
 * rowid is the profile ID, name is "first last", city is the golden city. It is contentless (the
 * index holds trigrams, not the text), so searches join back to profiles for the name. Three
 * triggers on profiles keep it in step with every path that writes a profile (ingest, merge,
 * unmerge, erase): profile_search_insert (a live profile with a name), profile_search_update (name,
 * city or merged_into changed: delete the row, re-insert while live) and profile_search_delete.
 * Queried only through db/search.ts.
 */

/** One customer as one source system knows them. Re-sending (source, source_customer_id) updates it. */
export const sourceCustomers = sqliteTable(
  "source_customers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sourceId: ref("source_id", () => sources.id).notNull(),
    sourceCustomerId: text("source_customer_id").notNull(),
    profileId: ref("profile_id", () => profiles.id).notNull(),
    ...customerDetails(),
    address: text("address"),
    postcode: text("postcode"),
    city: text("city"),
    country: text("country"),
    tier: text("tier"),
    consents: text("consents", { mode: "json" }).$type<Record<string, boolean>>(),
    payload: text("payload").notNull(),
    payloadHash: text("payload_hash").notNull(),
    sourceUpdatedAt: ms("source_updated_at").notNull(),
    /** The match model's weights when the record joined a profile that already existed (a profile merge keeps its own on merge_events). */
    joinEvidence: text("join_evidence", { mode: "json" }).$type<MatchEvidence>(),
    createdAt: createdAt(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [uniqueIndex("source_customers_source_key").on(t.sourceId, t.sourceCustomerId), index("source_customers_profile_idx").on(t.profileId)],
);

/** Normalised strong identifiers, one row per (identifier, source record). The lookup path. */
export const identifiers = sqliteTable(
  "identifiers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    type: text("type", { enum: IDENTIFIER_TYPES }).notNull(),
    value: text("value").notNull(),
    profileId: ref("profile_id", () => profiles.id).notNull(),
    sourceRecordId: ref("source_record_id", () => sourceCustomers.id).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("identifiers_value_record_key").on(t.type, t.value, t.sourceRecordId),
    index("identifiers_profile_idx").on(t.profileId),
    index("identifiers_record_idx").on(t.sourceRecordId),
  ],
);

/** Sellable variants: a style in one size. `style` groups the sizes of one garment or item. */
export const products = sqliteTable(
  "products",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sku: text("sku").notNull().unique(),
    style: text("style").notNull(),
    name: text("name").notNull(),
    category: text("category").notNull(),
    department: text("department").notNull(),
    collection: text("collection"),
    brand: text("brand").notNull(),
    colour: text("colour"),
    size: text("size"),
    price: integer("price").notNull(),
    cost: integer("cost"),
    promoPercent: integer("promo_percent"),
    imagePath: text("image_path"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("products_style_idx").on(t.style), index("products_category_idx").on(t.category), index("products_collection_idx").on(t.collection)],
);

export const inventory = sqliteTable(
  "inventory",
  {
    storeId: ref("store_id", () => stores.id).notNull(),
    productId: ref("product_id", () => products.id).notNull(),
    quantity: integer("quantity").notNull().default(0),
    updatedAt: ms("updated_at"),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.productId] }), index("inventory_product_idx").on(t.productId)],
);

export const orders = sqliteTable(
  "orders",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ...sentBySource(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    storeId: ref("store_id", () => stores.id),
    placedAt: ms("placed_at").notNull(),
    total: integer("total").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("orders_source_external_key").on(t.sourceId, t.externalId),
    index("orders_profile_placed_idx").on(t.profileId, t.placedAt),
    index("orders_source_record_idx").on(t.sourceRecordId),
    index("orders_store_placed_idx").on(t.storeId, t.placedAt),
  ],
);

/** Negative quantity is a return line. Prices in minor units (pence). */
export const orderLines = sqliteTable(
  "order_lines",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: ref("order_id", () => orders.id).notNull(),
    lineNo: integer("line_no").notNull(),
    productId: ref("product_id", () => products.id).notNull(),
    quantity: integer("quantity").notNull(),
    unitPrice: integer("unit_price").notNull(),
  },
  (t) => [uniqueIndex("order_lines_order_line_key").on(t.orderId, t.lineNo)],
);

export const interactions = sqliteTable(
  "interactions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ...sentBySource(),
    kind: text("kind", { enum: INTERACTION_KINDS }).notNull(),
    productId: ref("product_id", () => products.id),
    storeId: ref("store_id", () => stores.id),
    at: ms("at").notNull(),
  },
  (t) => [
    uniqueIndex("interactions_source_external_key").on(t.sourceId, t.externalId),
    index("interactions_profile_at_idx").on(t.profileId, t.at),
    // Unmerge moves a record's interactions back by the record that brought them.
    index("interactions_source_record_idx").on(t.sourceRecordId),
  ],
);

/** Every merge and unmerge, automatic or manual, with its cause. */
export const mergeEvents = sqliteTable(
  "merge_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ["merge", "unmerge", "split"] }).notNull(),
    survivorId: ref("survivor_id", () => profiles.id).notNull(),
    absorbedId: ref("absorbed_id", () => profiles.id).notNull(),
    cause: text("cause").notNull(),
    /** The match model's weights behind an automatic merge, shown as its explanation. */
    evidence: text("evidence", { mode: "json" }).$type<MatchEvidence>(),
    staffId: ref("staff_id", () => staff.id),
    at: ms("at").notNull(),
  },
  (t) => [index("merge_events_survivor_idx").on(t.survivorId), index("merge_events_absorbed_idx").on(t.absorbedId)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: ms("at").notNull(),
    staffId: ref("staff_id", () => staff.id),
    storeId: ref("store_id", () => stores.id),
    action: text("action").notNull(),
    profileId: integer("profile_id"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_profile_idx").on(t.profileId, t.at), index("audit_log_staff_idx").on(t.staffId, t.at), index("audit_log_at_idx").on(t.at)],
);

/** Chain-wide settings as typed JSON values (default country, blocked identifier values, …). */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: ms("updated_at"),
});

export const ASSOCIATION_KINDS = ["together", "next"] as const;
export type AssociationKind = (typeof ASSOCIATION_KINDS)[number];

export const associationRules = sqliteTable(
  "association_rules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    anchorStyle: text("anchor_style").notNull(),
    suggestStyle: text("suggest_style").notNull(),
    /** "together": in one basket; "next": bought later (within the mining window) by customers who bought the anchor. */
    kind: text("kind", { enum: ASSOCIATION_KINDS }).notNull().default("together"),
    support: real("support").notNull(),
    confidence: real("confidence").notNull(),
    lift: real("lift").notNull(),
    rank: integer("rank").notNull(),
    minedAt: ms("mined_at").notNull(),
  },
  (t) => [index("association_rules_anchor_idx").on(t.anchorStyle, t.rank)],
);

/**
 * The best sellers of the 13 weeks up to the last sale, per store and (store null) for the chain,
 * recomputed by the nightly mining pass: the suggestion top-up reads its few rows instead of counting
 * a season of order lines while a customer waits.
 */
export const seasonSellers = sqliteTable(
  "season_sellers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    storeId: ref("store_id", () => stores.id, { onDelete: "cascade" }),
    rank: integer("rank").notNull(),
    style: text("style").notNull(),
    /** Share of the season's orders holding the style. */
    share: real("share").notNull(),
    seasonFrom: ms("season_from").notNull(),
    seasonTo: ms("season_to").notNull(),
    computedAt: ms("computed_at").notNull(),
  },
  (t) => [index("season_sellers_store_rank_idx").on(t.storeId, t.rank)],
);

/**
 * How much of each style's year falls in the season (the 13 weeks up to the chain's last sale),
 * recomputed by the nightly mining pass: the engine leans towards what sells now without counting
 * order lines while a customer waits.
 */
export const styleTrends = sqliteTable("style_trends", {
  style: text("style").primaryKey(),
  /** Orders holding the style in the season, and in the year up to the last sale. */
  seasonOrders: integer("season_orders").notNull(),
  yearOrders: integer("year_orders").notNull(),
  seasonTo: ms("season_to").notNull(),
  computedAt: ms("computed_at").notNull(),
});

export type Store = typeof stores.$inferSelect;
export type Staff = typeof staff.$inferSelect;
export type Profile = typeof profiles.$inferSelect;
export type SourceCustomer = typeof sourceCustomers.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type OrderLine = typeof orderLines.$inferSelect;

export const notes = sqliteTable(
  "notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    profileId: ref("profile_id", () => profiles.id).notNull(),
    staffId: ref("staff_id", () => staff.id).notNull(),
    storeId: ref("store_id", () => stores.id),
    body: text("body").notNull(),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("notes_profile_idx").on(t.profileId, t.createdAt)],
);

/** Sizes and likes per category, as the customer told an assistant. */
export const preferences = sqliteTable(
  "preferences",
  {
    profileId: ref("profile_id", () => profiles.id).notNull(),
    category: text("category").notNull(),
    size: text("size"),
    note: text("note"),
    staffId: ref("staff_id", () => staff.id),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.category] })],
);

export const profileTags = sqliteTable(
  "profile_tags",
  {
    profileId: ref("profile_id", () => profiles.id).notNull(),
    tag: text("tag").notNull(),
    staffId: ref("staff_id", () => staff.id),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.tag] })],
);

/** Each consent statement made in front of an assistant: who recorded it, where and when. */
export const consentEvents = sqliteTable(
  "consent_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    profileId: ref("profile_id", () => profiles.id).notNull(),
    channel: text("channel").notNull(),
    granted: integer("granted", { mode: "boolean" }).notNull(),
    staffId: ref("staff_id", () => staff.id),
    storeId: ref("store_id", () => stores.id),
    at: ms("at").notNull(),
  },
  (t) => [index("consent_events_profile_idx").on(t.profileId, t.at)],
);

export const SUGGESTION_RULE_STATUSES = ["draft", "published", "inactive"] as const;
export type SuggestionRuleStatus = (typeof SUGGESTION_RULE_STATUSES)[number];

export const RULE_ANCHOR_KINDS = ["sku", "category", "collection", "brand"] as const;
export type RuleAnchorKind = (typeof RULE_ANCHOR_KINDS)[number];

export const RULE_TARGET_KINDS = ["sku", "category", "collection", "brand"] as const;
export type RuleTargetKind = (typeof RULE_TARGET_KINDS)[number];

export const SUGGESTION_SOURCES = ["rule", "association", "interest", "popular"] as const;
export type SuggestionSource = (typeof SUGGESTION_SOURCES)[number];

export const SUGGESTION_STATUSES = ["shown", "accepted", "dismissed"] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** Head office's "bought X within D days → suggest Y". Few rows: the engine reads all published ones per render. */
export const suggestionRules = sqliteTable("suggestion_rules", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  status: text("status", { enum: SUGGESTION_RULE_STATUSES }).notNull().default("draft"),
  anchorKind: text("anchor_kind", { enum: RULE_ANCHOR_KINDS }).notNull(),
  anchorValue: text("anchor_value").notNull(),
  withinDays: integer("within_days").notNull(),
  targetKind: text("target_kind", { enum: RULE_TARGET_KINDS }).notNull(),
  targetValue: text("target_value").notNull(),
  priority: integer("priority").notNull().default(50),
  /** Null: every store. */
  storeIds: text("store_ids", { mode: "json" }).$type<number[]>(),
  activeFrom: ms("active_from"),
  activeTo: ms("active_to"),
  message: text("message").notNull(),
  createdBy: ref("created_by", () => staff.id),
  createdAt: ms("created_at").notNull(),
  updatedBy: ref("updated_by", () => staff.id),
  updatedAt: ms("updated_at").notNull(),
});

/**
 * One suggestion put to one customer: created at the first tap, its status moved by later taps in
 * the same visit. A later purchase of the style by the customer within the window converts it.
 */
export const suggestionEvents = sqliteTable(
  "suggestion_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    profileId: ref("profile_id", () => profiles.id).notNull(),
    storeId: ref("store_id", () => stores.id),
    staffId: ref("staff_id", () => staff.id),
    style: text("style").notNull(),
    sku: text("sku"),
    source: text("source", { enum: SUGGESTION_SOURCES }).notNull(),
    ruleId: ref("rule_id", () => suggestionRules.id),
    anchorStyle: text("anchor_style"),
    anchorAt: ms("anchor_at"),
    status: text("status", { enum: SUGGESTION_STATUSES }).notNull(),
    at: ms("at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    convertedOrderId: ref("converted_order_id", () => orders.id),
    convertedAt: ms("converted_at"),
    revenue: integer("revenue"),
  },
  (t) => [
    index("suggestion_events_profile_idx").on(t.profileId, t.style, t.at),
    index("suggestion_events_at_idx").on(t.at),
    index("suggestion_events_rule_idx").on(t.ruleId, t.at),
  ],
);

export type SuggestionRule = typeof suggestionRules.$inferSelect;
export type SuggestionEvent = typeof suggestionEvents.$inferSelect;

export const REVIEW_KINDS = ["conflicting_loyalty", "conflicting_birth_date", "over_shared_identifier", "possible_duplicate"] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

export const REVIEW_STATUSES = ["open", "merged", "rejected"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** Links the resolver would not make on its own: a human merges or rejects them. */
export const reviewQueue = sqliteTable(
  "review_queue",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: REVIEW_KINDS }).notNull(),
    profileA: ref("profile_a", () => profiles.id).notNull(),
    profileB: ref("profile_b", () => profiles.id),
    identifierType: text("identifier_type", { enum: IDENTIFIER_TYPES }),
    identifierValue: text("identifier_value"),
    reason: text("reason").notNull(),
    score: real("score"),
    /** The match model's weights behind the score, shown as its explanation. */
    evidence: text("evidence", { mode: "json" }).$type<MatchEvidence>(),
    status: text("status", { enum: REVIEW_STATUSES }).notNull().default("open"),
    createdAt: ms("created_at").notNull(),
    decidedBy: ref("decided_by", () => staff.id),
    decidedAt: ms("decided_at"),
  },
  (t) => [
    index("review_queue_status_idx").on(t.status),
    index("review_queue_identifier_idx").on(t.identifierType, t.identifierValue),
    index("review_queue_profiles_idx").on(t.profileA, t.profileB),
  ],
);

export type ReviewItem = typeof reviewQueue.$inferSelect;

/**
 * The client book: in each store a customer may be looked after by one associate. Shared by the
 * managers' customer list (filter by associate) and the client book itself.
 */
export const customerAssignments = sqliteTable(
  "customer_assignments",
  {
    ...storeCustomer(),
    staffId: ref("staff_id", () => staff.id).notNull(),
    assignedBy: ref("assigned_by", () => staff.id),
    assignedAt: ms("assigned_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.profileId] }),
    index("customer_assignments_staff_idx").on(t.staffId, t.profileId),
    // Who looks after one customer, across stores (the profile page, unmerge).
    index("customer_assignments_profile_idx").on(t.profileId),
  ],
);

// ── Identity: possible duplicates and unmerge (h/dupes) ────────────────────────────────────────

/**
 * Blocking keys of each source record (same birth date, same postcode, names that sound alike):
 * possible duplicates are only compared within a key, never all pairs.
 */
export const matchKeys = sqliteTable(
  "match_keys",
  {
    key: text("key").notNull(),
    sourceRecordId: ref("source_record_id", () => sourceCustomers.id).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.sourceRecordId] }), index("match_keys_record_idx").on(t.sourceRecordId)],
);

/** The source records the absorbed profile held when a merge happened: what an unmerge gives back. */
export const mergeEventRecords = sqliteTable(
  "merge_event_records",
  {
    mergeEventId: ref("merge_event_id", () => mergeEvents.id).notNull(),
    sourceRecordId: ref("source_record_id", () => sourceCustomers.id).notNull(),
  },
  (t) => [primaryKey({ columns: [t.mergeEventId, t.sourceRecordId] })],
);

// ── Ingestion API: per-source API keys ───────────────────────────────────────────────────────

export const API_KEY_SCOPES = ["ingest", "lookup"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A source system's key for /api/v1: only its SHA-256 is kept; the key itself is shown once. */
export const apiKeys = sqliteTable("api_keys", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  sourceId: ref("source_id", () => sources.id).notNull(),
  name: text("name").notNull(),
  /** The key's first characters, so staff can tell keys apart without the secret. */
  prefix: text("prefix").notNull(),
  hash: text("hash").notNull().unique(),
  scope: text("scope", { enum: API_KEY_SCOPES }).notNull(),
  createdBy: ref("created_by", () => staff.id),
  createdAt: ms("created_at").notNull(),
  revokedAt: ms("revoked_at"),
  lastUsedAt: ms("last_used_at"),
});

export type ApiKey = typeof apiKeys.$inferSelect;

// ── Client book: follow-ups ──────────────────────────────────────────────────────────────────────

/** How an associate means to reach the customer; "in_store" waits for a visit and needs no consent. */
export const FOLLOW_UP_CHANNELS = ["in_store", "email", "sms", "phone", "post"] as const;
export type FollowUpChannel = (typeof FOLLOW_UP_CHANNELS)[number];

/** A snoozed follow-up whose date has come counts as open again without anyone touching it. */
export const FOLLOW_UP_STATUSES = ["open", "done", "snoozed"] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** A task for one associate about one customer. Days are store-local calendar dates ("YYYY-MM-DD"). */
export const followUps = sqliteTable(
  "follow_ups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ...storeCustomer(),
    staffId: ref("staff_id", () => staff.id).notNull(),
    title: text("title").notNull(),
    note: text("note"),
    dueOn: text("due_on").notNull(),
    channel: text("channel", { enum: FOLLOW_UP_CHANNELS }).notNull(),
    status: text("status", { enum: FOLLOW_UP_STATUSES }).notNull().default("open"),
    snoozedUntil: text("snoozed_until"),
    createdBy: ref("created_by", () => staff.id),
    createdAt: ms("created_at").notNull(),
    doneBy: ref("done_by", () => staff.id),
    doneAt: ms("done_at"),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [
    index("follow_ups_staff_idx").on(t.staffId, t.status, t.dueOn),
    index("follow_ups_store_idx").on(t.storeId, t.status, t.dueOn),
    index("follow_ups_profile_idx").on(t.profileId, t.status),
  ],
);

export type FollowUp = typeof followUps.$inferSelect;

// ── Store customer lists (managers' customer lists) ──────────────────────────────────────────────

/**
 * One row per customer of a store (bought there, or assigned to one of its associates): the
 * figures the managers' list filters and sorts on, precomputed so a 300k-customer store pages in
 * milliseconds. Purchase figures are kept by lib/lists/stats.ts (rebuild + one call per ingested
 * order); the copied profile fields (name key, tier, consent flags) and merges are kept in step by
 * triggers on profiles (migration 0007), so every path that writes a golden profile updates them.
 */
export const storeCustomerStats = sqliteTable(
  "store_customer_stats",
  {
    ...storeCustomer(),
    /** 0 when the customer never bought here (assigned only): keeps the keyset sort free of nulls. */
    firstPurchaseAt: ms("first_purchase_at").notNull().default(0),
    lastPurchaseAt: ms("last_purchase_at").notNull().default(0),
    orderCount: integer("order_count").notNull().default(0),
    /** Net of returns, in pence, at this store. */
    spend: integer("spend").notNull().default(0),
    /** Last purchase in any channel or store: "not seen for N days". 0 when never. */
    lastSeenAt: ms("last_seen_at").notNull().default(0),
    sortName: text("sort_name").notNull().default(""),
    tier: text("tier"),
    consentEmail: integer("consent_email", { mode: "boolean" }).notNull().default(false),
    consentSms: integer("consent_sms", { mode: "boolean" }).notNull().default(false),
    consentPost: integer("consent_post", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.profileId] }),
    index("store_customer_stats_profile_idx").on(t.profileId),
    index("store_customer_stats_last_purchase_idx").on(t.storeId, t.lastPurchaseAt, t.profileId),
    index("store_customer_stats_spend_idx").on(t.storeId, t.spend, t.profileId),
    index("store_customer_stats_name_idx").on(t.storeId, t.sortName, t.profileId),
    index("store_customer_stats_last_seen_idx").on(t.storeId, t.lastSeenAt),
    index("store_customer_stats_tier_idx").on(t.storeId, t.tier),
  ],
);

export const PURCHASE_FACETS = ["category", "collection"] as const;
export type PurchaseFacet = (typeof PURCHASE_FACETS)[number];

/** Which categories and collections each customer bought at each store: the "bought …" filters. */
export const storeCustomerPurchases = sqliteTable(
  "store_customer_purchases",
  {
    storeId: ref("store_id", () => stores.id).notNull(),
    facet: text("facet", { enum: PURCHASE_FACETS }).notNull(),
    value: text("value").notNull(),
    profileId: ref("profile_id", () => profiles.id).notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.facet, t.value, t.profileId] }), index("store_customer_purchases_profile_idx").on(t.profileId)],
);

/** A manager's named filter set for one store: the list's query string, as bookmarked. */
export const savedCustomerLists = sqliteTable(
  "saved_customer_lists",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    storeId: ref("store_id", () => stores.id).notNull(),
    name: text("name").notNull(),
    query: text("query").notNull(),
    createdBy: ref("created_by", () => staff.id),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("saved_customer_lists_store_name_key").on(t.storeId, t.name)],
);

export type SavedCustomerList = typeof savedCustomerLists.$inferSelect;

// ---- Data subject requests (h/sec) ----

/**
 * An erased customer: the profile row stays, stripped of everything that names the person, so the
 * orders on it still count in product statistics. Who erased and when; never what was erased.
 */
export const erasures = sqliteTable("erasures", {
  profileId: ref("profile_id", () => profiles.id).primaryKey(),
  staffId: ref("staff_id", () => staff.id),
  at: ms("at").notNull(),
});

export const SUPPRESSION_KINDS = ["loyalty", "email", "phone"] as const;

/**
 * Salted hashes of the identifiers an erased customer was known by. A source that sends one of
 * them again cannot bring the person back: ingest refuses the record (see lib/privacy/suppression.ts).
 */
export const erasureSuppressions = sqliteTable("erasure_suppressions", {
  hash: text("hash").primaryKey(),
  kind: text("kind", { enum: SUPPRESSION_KINDS }).notNull(),
  createdAt: ms("created_at").notNull(),
});

// ---- Sign-in security ----

/**
 * One row per failed password sign-in, under each key it counts against (the address and account
 * together, the account alone, the address alone). In the database so every app process counts the
 * same attempts; rows older than the window are pruned as new ones arrive.
 */
export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: ms("at").notNull(),
  },
  (t) => [index("sign_in_failures_key_idx").on(t.key, t.at), index("sign_in_failures_at_idx").on(t.at)],
);

export const SESSION_END_REASONS = ["sign_out", "lock", "idle", "switch", "disabled", "expired"] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/**
 * A staff session as the server knows it. The session cookie carries only this row's ID; a cookie
 * whose row has ended (sign-out, lock, idle past the store's lock timeout, another person unlocking
 * the tablet, the account disabled) opens nothing, however long the cookie itself would last.
 */
export const staffSessions = sqliteTable(
  "staff_sessions",
  {
    id: text("id").primaryKey(),
    staffId: ref("staff_id", () => staff.id).notNull(),
    /** The store tablet's store, whose lock timeout ends an idle session; null on a laptop sign-in. */
    storeId: ref("store_id", () => stores.id),
    createdAt: ms("created_at").notNull(),
    lastSeenAt: ms("last_seen_at").notNull(),
    endedAt: ms("ended_at"),
    endReason: text("end_reason", { enum: SESSION_END_REASONS }),
  },
  (t) => [index("staff_sessions_staff_idx").on(t.staffId)],
);
