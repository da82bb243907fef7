import type { Db } from "@/db/client";
import {
  RowWriter,
  storedCustomerRecords,
  storedIdentifiers,
  storedMatchKeys,
  storedRedirects,
  storedReviewItems,
  type Schema,
  dropIndexes,
  dropNameIndexTriggers,
  inBulkTransaction,
  indexNamesFrom,
  nextIds,
  profileNames,
  rebuildNameIndex,
  reindexNames,
  remapProfiles,
  restoreSchema,
} from "@/db/bulk";
import { type ConsentState, type MatchEvidence, orders } from "@/db/schema";
import { withPageCache } from "@/db/maintenance";
import { DomainError } from "@/lib/errors";
import { isSuppressed, suppressionInForce } from "@/lib/privacy/suppression";
import type { ItemOutcome } from "@/lib/ingest/apply";
import { type EntryResult, appliedResult } from "@/lib/ingest/batch";
import { sourceOf, storeIdOf } from "@/lib/ingest/common";
import type { InteractionInput } from "@/lib/ingest/interactions";
import { type OrderInput, productId } from "@/lib/ingest/orders";
import { blockingKeys } from "./blocking";
import type { PreparedCustomer } from "./file-batches";
import { countSourceRecords } from "./queries";
import {
  type CustomerIngestResult,
  type CustomerRecordInput,
  type IngestContext,
  KNOWS_NOTHING,
  counterConsentsOf,
  goldenNormalisers,
  knowsTheCustomer,
  moveProfileRows,
  recordFields,
  refreshGolden,
  writeGolden,
} from "./ingest";
import { LoadedOrders } from "@/lib/lists/loaded-orders";
import { type MatchRecord, type RawMatchRecord, toMatchRecord } from "./match-model";
import { type Identifier, linkableIdentifiers, overSharedReason, rememberPhone } from "./normalize";
import { type StoredPayload, payloadOf } from "./payload";
import { type LooseSplit, looseGroupsOf, leftAlone } from "./duplicates";
import { formatProbability } from "./probability";
import { type Candidate, type ResolverLookups, resolveWith, reviewReason } from "./resolve";
import { GOLDEN_FIELDS, type SurvivorshipRecord, surviveFields } from "./survivorship";

/**
 * The bulk load of customer records: a retailer's first load, the generator, the bench. Each record
 * is decided by the incremental path's own rules (resolve.ts's resolveWith, the match model, the
 * guard rails, the review rules), in the same order, against the store held in memory instead of
 * read row by row; the rows are written at the end, many to a statement, the indexes and the name
 * index built after them, in one transaction. Same file, same store as the incremental path, IDs
 * included (bulk.test.ts compares the two).
 *
 * A nearly empty store's records, identifiers, blocks and review decisions are read into memory
 * first and take part as they would incrementally; a merge that absorbs one of its profiles is
 * replayed at the end with the incremental path's statements (its orders and client book move). A
 * file that changes a record sent before (the same source ID twice, other details) stops the bulk
 * load: BulkNotApplicable, and the caller loads the files the incremental way. Nothing has been
 * written by then. Several files go through one load (importFiles): the store is read once, and
 * each file's records are decided after the files before it, as one load per file would decide them.
 */

export class BulkNotApplicable extends Error {}

/**
 * A bulk load pays for what the store already holds: its records are read into memory and the
 * tables' indexes are built again over them. Measured on the generator's exports (200,000 records):
 * the app file (26,000 records) into a store holding 3.9 times as many took 7.2–7.8 CPU-seconds in
 * bulk against 8.0–8.2 incrementally, 8 s against 12 s on the clock. So bulk while the store holds
 * at most four times the file's records (a retailer's first exports, loaded one source after
 * another, qualify), incremental beyond.
 */
export const BULK_RATIO = 4;

/**
 * Whether an import of the files' customer rows (`fileRows` counts them, from `files` files loaded
 * in one run) takes the bulk path (null: the caller asked for it). The rows are counted only when
 * the store holds records: reading a million JSON lines to count them took 2 s of a first load.
 */
export async function chooseImportPath(db: Db, fileRows: (() => Promise<number>) | null, files = 1): Promise<{ bulk: boolean; why: string }> {
  if (fileRows === null) return { bulk: true, why: "asked for" };
  const held = countSourceRecords(db);
  if (held === 0) return { bulk: true, why: "the store holds no customer records yet" };
  const rows = await fileRows();
  const n = (v: number) => v.toLocaleString("en-GB");
  const theFiles = files === 1 ? "the file's" : `the ${files} files'`;
  if (held <= BULK_RATIO * rows) return { bulk: true, why: `the store holds ${n(held)} customer records, at most ${BULK_RATIO}× ${theFiles} ${n(rows)}` };
  return { bulk: false, why: `the store holds ${n(held)} customer records, more than ${BULK_RATIO}× ${theFiles} ${n(rows)}` };
}

/**
 * Page cache for the load's transaction: it writes every row and builds every index of the customer
 * tables, which at a million records outgrow the connection's 64 MiB many times over. Measured at
 * 500,000 records (two files): sys time 8.4 → 4.4 s, user unchanged.
 */
const BULK_CACHE_KIB = 1_048_576;

/** From how many times the load's records the store must hold for its indexes to be kept (storeOutweighsLoad). */
const KEEP_INDEXES_RATIO = 1.5;

/** Re-indexing one stored profile's name costs about as much as indexing fifty afresh (rebuildNameIndex). */
const RENAME_COST = 50;

/** Writes what the load decided, in one transaction: all of it, or (on any error) none of it. */
export function loadInBulk(db: Db, load: BulkLoad): { profilesCreated: number; merges: number } {
  return withPageCache(db, BULK_CACHE_KIB, () =>
    inBulkTransaction(db, CUSTOMER_TABLES, () => {
      load.assertStoreUnchanged();
      return load.finish();
    }),
  );
}

/** The tables a customer bulk load writes, whose secondary indexes are built after the rows. */
export const CUSTOMER_TABLES = ["profiles", "source_customers", "identifiers", "match_keys", "merge_events", "merge_event_records", "review_queue"];

type BulkRecord = {
  id: number;
  profileId: number;
  match: MatchRecord;
  survivor: SurvivorshipRecord;
  /** Absent for records already in the store (written there already). */
  row?: unknown[];
  ids?: Identifier[];
};

type NewProfile = { id: number; mergedInto: number | null; golden: unknown[] | null };

/** A profile's records by ID; a sorted merge keeps them so when two profiles join. */
function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++]);
  return out;
}

const pairKey = (a: number, b: number) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export class BulkLoad implements ResolverLookups {
  readonly fullBlocks = new Set<string>();
  private readonly records = new Map<number, BulkRecord>();
  private readonly byKey = new Map<string, { id: number; hash: string }>();
  private readonly ofProfile = new Map<number, number[]>();
  private readonly withIdentifier = new Map<string, number[]>();
  private readonly blocks = new Map<string, number[]>();
  private readonly rejected = new Set<string>();
  /** Records that joined a profile, or came again unchanged: their profiles get the split check once the load is in (looseGroups). */
  private readonly joins: number[] = [];
  private readonly reviewed = new Set<string>();
  private readonly flagged = new Set<string>();
  private readonly absorbedInto = new Map<number, number[]>();
  private readonly newProfiles = new Map<number, NewProfile>();
  /** Profiles that were in the store before the load and gained records: their golden fields are refreshed at the end. */
  private readonly touchedExisting = new Set<number>();
  private readonly merges: { id: number; survivorId: number; absorbedId: number; cause: string; evidence: MatchEvidence | null; records: number[] }[] = [];
  private readonly reviews: unknown[][] = [];
  /** Merges absorbing a profile the store had before the load, with its golden values at that moment when it had changed. */
  /** Set by begin(): rows are written as they are decided, indexes built at the end (the generator's load). */
  private writers: Writers | null = null;
  private schema: Schema = [];
  /** Figures of new profiles from the orders the load brings, as the incremental path's statistics. */
  private readonly stats = new Map<number, { spend: number; orders: number; last: number | null }>();
  private readonly storeOrders = new LoadedOrders();
  private storeHeldOrders = false;
  private readonly storedMerges: { survivorId: number; absorbedId: number; golden: unknown[] | null }[] = [];
  private readonly next: Map<string, number>;
  private readonly first: Map<string, number>;
  private readonly firstProfileId: number;
  /** Whether an erasure has ever happened: until one does, no identifier is suppressed and none is checked. */
  private readonly suppressing: boolean;

  constructor(private readonly ctx: IngestContext) {
    this.suppressing = suppressionInForce(ctx.db);
    this.next = nextIds(ctx.db, ["profiles", "source_customers", "identifiers", "merge_events", "review_queue"]);
    this.first = new Map(this.next);
    this.firstProfileId = this.next.get("profiles")!;
    this.preload(ctx.db);
  }

  /** Another writer added customers since the load read the store: its decisions may no longer hold. */
  assertStoreUnchanged(): void {
    const now = nextIds(this.ctx.db, ["profiles", "source_customers", "review_queue"]);
    for (const [table, first] of now) if (first !== this.first.get(table)) throw new BulkNotApplicable(`${table} changed while the file was read`);
    if (!this.suppressing && suppressionInForce(this.ctx.db)) throw new BulkNotApplicable("a customer was erased while the file was read");
  }

  /**
   * Adds a batch of file rows the reading worker has checked against the schema and hashed
   * (file-batches.ts), as ingestEntries would: a bad row is reported, the others added.
   */
  addPrepared(source: string, prepared: PreparedCustomer[]): EntryResult[] {
    return prepared.map((p) =>
      "errors" in p ? { ok: false, errors: p.errors } : appliedResult(() => this.outcomeOf(this.add({ ...p.item, source }, p.stored))),
    );
  }

  private outcomeOf(r: CustomerIngestResult): ItemOutcome {
    return {
      status: r.status,
      sourceRecordId: r.sourceRecordId,
      createdProfile: r.createdProfile,
      merges: r.absorbedProfileIds.length,
      reviewItems: r.reviewItems,
    };
  }

  private take(table: string): number {
    const id = this.next.get(table)!;
    this.next.set(table, id + 1);
    return id;
  }

  /** What the store holds already: a nearly empty store's records take part in resolution as they would incrementally. */
  private preload(db: Db): void {
    const trust = new Map([...this.ctx.sources.values()].map((s) => [s.id, s]));
    type Stored = RawMatchRecord & {
      sourceId: number;
      sourceCustomerId: string;
      payloadHash: string;
      tier: string | null;
      consents: string | null;
      sourceUpdatedAt: number;
      phoneIdentifier: string | null;
    };
    const country = this.ctx.settings.defaultCountry;
    for (const r of storedCustomerRecords<Stored>(db)) {
      const source = trust.get(r.sourceId)!;
      // The number as it was normalised when the record came in: not parsed again for its match record and golden fields.
      if (r.phone && r.phoneIdentifier) rememberPhone(r.phone, country, r.phoneIdentifier);
      this.addRecord({
        id: r.id,
        profileId: r.profileId,
        match: toMatchRecord(r, this.ctx.settings),
        survivor: survivorOf(r.id, source, r, r.sourceUpdatedAt, r.consents ? JSON.parse(r.consents) : null),
      });
      this.byKey.set(`${r.sourceId}:${r.sourceCustomerId}`, { id: r.id, hash: r.payloadHash });
    }
    for (const i of storedIdentifiers(db)) this.push(this.withIdentifier, `${i.type}:${i.value}`, i.recordId);
    for (const k of storedMatchKeys(db)) this.push(this.blocks, k.key, k.recordId);
    for (const r of storedRedirects(db)) this.push(this.absorbedInto, r.mergedInto, r.id);
    for (const r of storedReviewItems(db)) {
      if (r.kind === "over_shared_identifier") this.flagged.add(`${r.type}:${r.value}`);
      if (r.b === null) continue;
      if (r.status === "rejected") this.rejected.add(pairKey(r.a, r.b));
      if (r.status === "open" || r.status === "rejected") this.reviewed.add(pairKey(r.a, r.b));
    }
  }

  private push<K>(map: Map<K, number[]>, key: K, value: number): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }

  private addRecord(r: BulkRecord): void {
    this.records.set(r.id, r);
    this.push(this.ofProfile, r.profileId, r.id);
  }

  // ── ResolverLookups: the same answers the SQL in resolve.ts gives, from memory ──

  ownersOf(type: string, value: string, limit: number): number[] {
    const owners: number[] = [];
    for (const id of this.withIdentifier.get(`${type}:${value}`) ?? []) {
      const p = this.records.get(id)!.profileId;
      if (!owners.includes(p)) owners.push(p);
      if (owners.length >= limit) break;
    }
    return owners;
  }

  recordsInBlock(key: string, limit: number): number[] {
    // The block itself when it fits: resolveWith only reads it, and copying every block walked is measurable.
    const block = this.blocks.get(key) ?? [];
    return block.length <= limit ? block : block.slice(0, limit);
  }

  profileOfRecord(recordId: number): number | undefined {
    return this.records.get(recordId)?.profileId;
  }

  recordsOfProfile(profileId: number): MatchRecord[] {
    return (this.ofProfile.get(profileId) ?? []).slice(0, 50).map((id) => this.records.get(id)!.match);
  }

  keptApart(a: number, b: number): boolean {
    // As in the store (queries.ts): a decision about a profile either has absorbed holds for it.
    const [as, bs] = [this.withAbsorbed(a), this.withAbsorbed(b)];
    return as.some((x) => bs.some((y) => this.rejected.has(pairKey(x, y))));
  }

  private withAbsorbed(p: number): number[] {
    return [p, ...(this.absorbedInto.get(p) ?? [])];
  }

  // ── ingestCustomerRecord's writes, in memory ──

  /**
   * Adds one record as ingestCustomerRecord would (resolution, merges, review items); its rows are
   * written by finish(). `stored` is payloadOf(input), when the caller has it already (the generator
   * has it computed on the thread that draws the people).
   */
  add(input: CustomerRecordInput, stored: StoredPayload = payloadOf(input)): CustomerIngestResult {
    const { ctx } = this;
    const source = ctx.sources.get(input.source);
    if (!source) throw new DomainError("unknown_source", `Unknown source "${input.source}".`);
    const { payload, hash } = stored;
    const key = `${source.id}:${input.sourceCustomerId}`;
    const existing = this.byKey.get(key);
    if (existing) {
      if (existing.hash === hash) {
        const profileId = this.records.get(existing.id)!.profileId;
        // As the incremental path does: a load run again after a crash still splits what the first run would have.
        this.joins.push(existing.id);
        return { status: "unchanged", sourceRecordId: existing.id, profileId, createdProfile: false, absorbedProfileIds: [], reviewItems: 0 };
      }
      throw new BulkNotApplicable(`${input.source} customer ${input.sourceCustomerId} is sent twice with different details`);
    }
    if (!knowsTheCustomer(input, ctx.settings)) throw new DomainError("invalid_input", KNOWS_NOTHING);
    const ids = linkableIdentifiers(input, ctx.settings);
    if (this.suppressing && isSuppressed(ctx.db, ids)) {
      throw new DomainError("conflict", "This customer asked to be erased: a record with their email, phone or loyalty ID is not loaded again.");
    }
    const now = ctx.now();
    const own = toMatchRecord({ id: -1, profileId: -1, sourceId: source.id, ...input, birthDate: input.birthDate ?? null } as RawMatchRecord, ctx.settings);
    const keys = blockingKeys(own);
    const resolution = resolveWith(this, ctx.settings, ctx.model, own, ids, null, keys);
    let reviewItems = 0;
    for (const { id, profileId } of resolution.overShared) reviewItems += this.flagOverShared(id, profileId, now);
    const joined = resolution.merge.map((c) => c.profileId).sort((a, b) => a - b);
    let profileId = joined[0] ?? null;
    const createdProfile = profileId === null;
    if (profileId === null) {
      profileId = this.take("profiles");
      this.newProfiles.set(profileId, { id: profileId, mergedInto: null, golden: null });
      this.ofProfile.set(profileId, []);
    }
    const evidence = new Map(resolution.merge.map((c) => [c.profileId, c.evidence]));
    for (const absorbed of joined.slice(1)) {
      const why = evidence.get(absorbed) ?? resolution.merge[0]?.evidence ?? null;
      const cause = `match model via ${input.source} record ${input.sourceCustomerId}${why ? ` (${formatProbability(why.probability)})` : ""}`;
      this.merge(profileId, absorbed, cause, why);
    }
    const id = this.take("source_customers");
    const fields = recordFields(input);
    const consents = input.consents ? JSON.stringify(input.consents) : null;
    const sourceUpdatedAt = input.updatedAt ?? now;
    // A record that joins a profile keeps the weights that put it there, as the incremental path writes them.
    const joinedBy = joined.length > 0 ? evidence.get(profileId) : undefined;
    const joinEvidence = joinedBy ? JSON.stringify(joinedBy) : null;
    const row = [id, source.id, input.sourceCustomerId, ...Object.values(fields), consents, joinEvidence, payload, hash, sourceUpdatedAt, now, now];
    const unique = ids.filter((x, i) => ids.findIndex((y) => y.type === x.type && y.value === x.value) === i);
    const record: BulkRecord = {
      id,
      profileId,
      match: { ...own, id, profileId },
      // The consents as written (channel → boolean, no undefined to drop): not parsed back from the JSON.
      survivor: survivorOf(id, source, fields, sourceUpdatedAt, input.consents ?? null),
      row,
      ids: unique,
    };
    this.addRecord(record);
    if (joined.length > 0) this.joins.push(id);
    // Written now with the profile it has now; finish() points the rows of merged profiles at their survivor.
    if (this.writers) this.writeRecord(record);
    this.byKey.set(key, { id, hash });
    if (!this.newProfiles.has(profileId)) this.touchedExisting.add(profileId);
    for (const x of unique) this.push(this.withIdentifier, `${x.type}:${x.value}`, id);
    for (const k of new Set(keys)) this.push(this.blocks, k, id);
    for (const candidate of resolution.review) reviewItems += this.queueForReview(profileId, candidate.profileId, candidate, now);
    return { status: "inserted", sourceRecordId: id, profileId, createdProfile, absorbedProfileIds: joined.slice(1), reviewItems };
  }

  /**
   * After the last record: the groups of records the nightly pass's split check would take off the
   * profiles the load added records to, on what the whole load brought (looseGroupsOf).
   * splitLooseGroups writes them once the load is in.
   */
  looseGroups(): LooseSplit[] {
    const { db, settings, model } = this.ctx;
    return looseGroupsOf(
      this,
      settings,
      model,
      this.joins.map((id) => this.records.get(id)!.profileId),
      leftAlone(db),
    );
  }

  private flagOverShared(id: Identifier, profileA: number, now: number): number {
    const key = `${id.type}:${id.value}`;
    if (this.flagged.has(key)) return 0;
    this.flagged.add(key);
    const reason = overSharedReason(id, this.ctx.settings);
    this.reviews.push([this.take("review_queue"), "over_shared_identifier", profileA, null, id.type, id.value, reason, null, null, now]);
    return 1;
  }

  private queueForReview(profileA: number, profileB: number, c: Pick<Candidate, "probability" | "evidence" | "conflict">, now: number): number {
    if (profileA === profileB) return 0;
    const a = this.withAbsorbed(profileA);
    const b = this.withAbsorbed(profileB);
    if (a.some((x) => b.some((y) => this.reviewed.has(pairKey(x, y))))) return 0;
    const [lo, hi] = profileA < profileB ? [profileA, profileB] : [profileB, profileA];
    this.reviewed.add(pairKey(lo, hi));
    this.reviews.push([this.take("review_queue"), "possible_duplicate", lo, hi, null, null, reviewReason(c), c.probability, JSON.stringify(c.evidence), now]);
    return 1;
  }

  private merge(survivorId: number, absorbedId: number, cause: string, evidence: MatchEvidence | null): void {
    const absorbed = this.newProfiles.get(absorbedId);
    // The absorbed profile keeps the golden fields it had, as the incremental path leaves them.
    if (absorbed) absorbed.golden = this.golden(absorbedId);
    else {
      const counter = counterConsentsOf(this.ctx, absorbedId);
      this.storedMerges.push({ survivorId, absorbedId, golden: this.touchedExisting.delete(absorbedId) ? this.golden(absorbedId, counter) : null });
    }
    if (absorbed) absorbed.mergedInto = survivorId;
    // The absorbed profile keeps its figures; the survivor's are summed again over both profiles' orders.
    const gained = this.stats.get(absorbedId);
    if (gained) this.addToStats(survivorId, gained.spend, gained.orders, gained.last);
    const moved = this.ofProfile.get(absorbedId) ?? [];
    this.merges.push({ id: this.take("merge_events"), survivorId, absorbedId, cause, evidence, records: moved });
    for (const id of moved) {
      const r = this.records.get(id)!;
      r.profileId = survivorId;
      r.match.profileId = survivorId;
    }
    this.ofProfile.set(survivorId, mergeSorted(this.ofProfile.get(survivorId) ?? [], moved));
    this.ofProfile.delete(absorbedId);
    // One hop, always: what pointed at the absorbed profile points at the survivor (in the store: replayed by finish()).
    const redirected = this.absorbedInto.get(absorbedId) ?? [];
    for (const p of redirected) {
      const profile = this.newProfiles.get(p);
      if (profile) profile.mergedInto = survivorId;
    }
    this.absorbedInto.delete(absorbedId);
    this.absorbedInto.set(survivorId, [...(this.absorbedInto.get(survivorId) ?? []), ...redirected, absorbedId]);
    if (!this.newProfiles.has(survivorId)) this.touchedExisting.add(survivorId);
  }

  /**
   * Merges that absorbed a profile the store already had, in order, with the incremental path's own
   * statements: its orders, interactions, client book and follow-ups move, redirects follow, and the
   * list and name-index triggers fire as they would have.
   */
  private replayStoredMerges(): void {
    const { stmts } = this.ctx;
    const now = this.ctx.now();
    for (const m of this.storedMerges) {
      if (m.golden) {
        const values: Record<string, unknown> = { profileId: m.absorbedId, now };
        GOLDEN_FIELDS.forEach((f, i) => (values[f] = m.golden![i]));
        values.lineage = m.golden[GOLDEN_FIELDS.length];
        values.consents = m.golden[GOLDEN_FIELDS.length + 1];
        stmts.updateGolden.run(values);
      }
      moveProfileRows(this.ctx, m.survivorId, m.absorbedId);
    }
    for (const survivor of new Set(this.storedMerges.map((m) => m.survivorId))) stmts.refreshStats.run({ profileId: survivor });
  }

  /** The profile's golden row values (GOLDEN_FIELDS, lineage, consents) from its records now; a new profile has no counter consents. */
  private golden(profileId: number, counterConsents: Record<string, ConsentState> = {}): unknown[] {
    const golden = surviveFields(this.survivors(profileId), goldenNormalisers(this.ctx.settings), counterConsents);
    return [...GOLDEN_FIELDS.map((f) => golden[f]), JSON.stringify(golden.lineage), JSON.stringify(golden.consents)];
  }

  /** Drops the indexes of `tables` and writes from now on as records are added. Call inside inBulkTransaction. */
  begin(tables: string[] = CUSTOMER_TABLES): void {
    const { db } = this.ctx;
    this.schema = [...dropIndexes(db, tables), ...dropNameIndexTriggers(db)];
    const writer = (table: string, columns: string) => new RowWriter(db, table, columns.split(", "));
    this.writers = {
      records: writer(
        "source_customers",
        "id, source_id, source_customer_id, first_name, last_name, email, phone, loyalty_id, birth_date, address, postcode, city, country, tier, consents, join_evidence, payload, payload_hash, source_updated_at, created_at, updated_at, profile_id",
      ),
      identifiers: writer("identifiers", "id, type, value, profile_id, source_record_id, created_at"),
      orders: writer("orders", "id, source_id, external_id, source_record_id, profile_id, channel, store_id, placed_at, total, created_at"),
      lines: writer("order_lines", "id, order_id, line_no, product_id, quantity, unit_price"),
      interactions: writer("interactions", "id, source_id, external_id, source_record_id, profile_id, kind, product_id, store_id, at"),
    };
    this.next.set("orders", nextIds(db, ["orders"]).get("orders")!);
    this.storeHeldOrders = db.select({ id: orders.id }).from(orders).limit(1).get() !== undefined;
    this.next.set("order_lines", nextIds(db, ["order_lines"]).get("order_lines")!);
    this.next.set("interactions", nextIds(db, ["interactions"]).get("interactions")!);
  }

  /**
   * Whether the store holds well over the customer records the load adds. Its indexes are then kept
   * and the rows go into them: building them again sorts every row the store holds, and dropping
   * them zeroes their pages (secure_delete). Measured on the generator's 500,000 records, in CPU
   * seconds of the load's writes: a file of 65,000 into 3.9 times as many 4.6 → 2.7, 181,000 into
   * 1.8 times 11.0 → 10.3; 121,000 into 1.1 times 7.8 → 10.1, so that one is still built again.
   */
  private storeOutweighsLoad(): boolean {
    const first = this.first.get("source_customers")!;
    return first - 1 >= KEEP_INDEXES_RATIO * (this.next.get("source_customers")! - first);
  }

  private writeRecord(r: BulkRecord): void {
    const w = this.writers!;
    const row = r.row!;
    w.records.add([...row, r.profileId]);
    for (const x of r.ids!) w.identifiers.add([this.take("identifiers"), x.type, x.value, r.profileId, r.id, row[row.length - 1]]);
    r.row = undefined;
    r.ids = undefined;
  }

  private addToStats(profileId: number, spend: number, orders: number, last: number | null): void {
    const s = this.stats.get(profileId);
    if (!s) this.stats.set(profileId, { spend, orders, last });
    else {
      s.spend += spend;
      s.orders += orders;
      if (last !== null && (s.last === null || last > s.last)) s.last = last;
    }
  }

  private customerOf(item: { source: string; sourceCustomerId?: string | null; customerSource?: string | null }): BulkRecord | null {
    if (!item.sourceCustomerId) return null;
    const source = this.ctx.sources.get(item.customerSource ?? item.source);
    const known = source && this.byKey.get(`${source.id}:${item.sourceCustomerId}`);
    if (!known) throw new DomainError("unknown_customer", `No ${item.customerSource ?? item.source} customer "${item.sourceCustomerId}".`);
    return this.records.get(known.id)!;
  }

  /**
   * A new order, as ingestOrder writes one: on the customer's profile as it is now, its figures added
   * to the profile's. Per-store list figures are rebuilt after the load (rebuildStoreCustomerStats,
   * from loadedOrders()); a store loaded in bulk has shown no suggestions, so there is nothing to attribute.
   */
  addOrder(input: OrderInput): void {
    const w = this.writers!;
    const source = sourceOf(this.ctx, input.source);
    if (input.lines.length === 0) throw new DomainError("invalid_input", "An order needs at least one line.");
    const storeId = storeIdOf(this.ctx, input.storeCode);
    const customer = this.customerOf(input);
    const lines = input.lines.map((l, i): [number, number, number, number] => [i + 1, productId(this.ctx, l.sku), l.quantity, l.unitPrice]);
    const total = input.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
    const id = this.take("orders");
    const profileId = customer?.profileId ?? null;
    w.orders.add([id, source.id, input.externalId, customer?.id ?? null, profileId, input.channel, storeId, input.placedAt, total, this.ctx.now()]);
    for (const line of lines) w.lines.add([this.take("order_lines"), id, ...line]);
    if (this.storeOrders.add(storeId, profileId, input.placedAt, total)) for (const [, product, quantity] of lines) this.storeOrders.addLine(product, quantity);
    if (profileId !== null) this.addToStats(profileId, total, total > 0 ? 1 : 0, total > 0 ? input.placedAt : null);
  }

  addInteraction(input: InteractionInput): void {
    const source = sourceOf(this.ctx, input.source);
    const customer = this.customerOf(input)!;
    const product = input.sku ? productId(this.ctx, input.sku) : null;
    const row = [
      this.take("interactions"),
      source.id,
      input.externalId,
      customer.id,
      customer.profileId,
      input.kind,
      product,
      storeIdOf(this.ctx, input.storeCode),
      input.at,
    ];
    this.writers!.interactions.add(row);
  }

  /** Writes everything add() decided. Call inside inBulkTransaction, once. */
  finish(): { profilesCreated: number; merges: number } {
    const { db } = this.ctx;
    const now = this.ctx.now();
    const streamed = this.writers !== null;
    if (!streamed) this.begin(this.storeOutweighsLoad() ? [] : CUSTOMER_TABLES);
    const w = this.writers!;
    for (const r of this.records.values()) if (r.row) this.writeRecord(r);
    for (const writer of Object.values(w)) writer.flush();
    const profiles = new RowWriter(
      db,
      "profiles",
      "id, merged_into, first_name, last_name, email, phone, loyalty_id, birth_date, city, postcode, tier, lineage, consents, lifetime_spend, order_count, last_purchase_at, created_at, updated_at".split(
        ", ",
      ),
    );
    for (const p of this.newProfiles.values()) {
      const s = this.stats.get(p.id);
      profiles.add([p.id, p.mergedInto, ...(p.golden ?? this.golden(p.id)), s?.spend ?? 0, s?.orders ?? 0, s?.last ?? null, now, now]);
    }
    profiles.flush();
    const keys = new RowWriter(db, "match_keys", ["key", "source_record_id"]);
    const firstRecord = this.first.get("source_customers")!;
    // A block's records are in ID order, the stored ones first: the load joined those whose last is its
    // own. Written in key order, without sorting the stored blocks again; sort() with no comparator
    // orders strings as < does, without a call back per comparison.
    const joinedBlocks: string[] = [];
    for (const [key, ids] of this.blocks) if (ids[ids.length - 1] >= firstRecord) joinedBlocks.push(key);
    for (const key of joinedBlocks.sort()) for (const id of this.blocks.get(key)!) if (id >= firstRecord) keys.add([key, id]);
    keys.flush();
    const events = new RowWriter(db, "merge_events", ["id", "kind", "survivor_id", "absorbed_id", "cause", "evidence", "staff_id", "at"]);
    const snapshots = new RowWriter(db, "merge_event_records", ["merge_event_id", "source_record_id"]);
    for (const m of this.merges) {
      events.add([m.id, "merge", m.survivorId, m.absorbedId, m.cause, m.evidence ? JSON.stringify(m.evidence) : null, null, now]);
      for (const r of m.records) snapshots.add([m.id, r]);
    }
    events.flush();
    snapshots.flush();
    const reviews = new RowWriter(db, "review_queue", [
      "id",
      "kind",
      "profile_a",
      "profile_b",
      "identifier_type",
      "identifier_value",
      "reason",
      "score",
      "evidence",
      "created_at",
    ]);
    for (const r of this.reviews) reviews.add(r);
    reviews.flush();
    // Rows written before their profile was merged follow it to the survivor, as the merge moves them.
    const moved = [...this.newProfiles.values()].filter((p) => p.mergedInto !== null).map((p): [number, number] => [p.id, p.mergedInto!]);
    if (streamed) remapProfiles(db, moved, ["source_customers", "identifiers", "orders", "interactions"]);
    // Profiles the store had before: their golden fields from all their records now, counter consents
    // included. Those no merge of stored profiles touches are written from memory before the indexes
    // are built; the others once the merges are replayed, from the store, as the incremental path does.
    const replayed = new Set(this.storedMerges.flatMap((m) => [m.survivorId, m.absorbedId]));
    const renamed = this.refreshGoldenFromMemory([...this.touchedExisting].filter((p) => !replayed.has(p)));
    restoreSchema(db, this.schema);
    // A second source's file renames most of the profiles the first made (it brings their city): at
    // a million records, taking 145,000 of them out of the name index one by one took minutes.
    if (renamed.length * RENAME_COST > this.firstProfileId) rebuildNameIndex(db);
    else {
      indexNamesFrom(db, this.firstProfileId);
      reindexNames(db, renamed);
    }
    this.replayStoredMerges();
    for (const p of this.touchedExisting) if (replayed.has(p)) refreshGolden(this.ctx, p);
    return { profilesCreated: this.newProfiles.size, merges: this.merges.length };
  }

  /**
   * After finish(): every order the store holds, as addOrder wrote them, on the profiles they are on
   * now (a merge's survivor), for rebuildStoreCustomerStats. Null when the store held orders before
   * the load or a merge absorbed a profile it held: then only the store has them all.
   */
  loadedOrders(): LoadedOrders | null {
    if (this.storeHeldOrders || this.storedMerges.length > 0) return null;
    this.storeOrders.relink((p) => this.newProfiles.get(p)?.mergedInto ?? p);
    return this.storeOrders;
  }

  /**
   * refreshGolden for stored profiles, from the records held in memory (the same records the store
   * holds for them by now). The name index's triggers are down meanwhile: returns the profiles whose
   * name or city changed, for the caller to index again.
   */
  private refreshGoldenFromMemory(profileIds: number[]): number[] {
    const { ctx } = this;
    const namesOf = profileNames(ctx.db);
    const normalisers = goldenNormalisers(ctx.settings);
    const renamed: number[] = [];
    for (const p of profileIds) {
      const before = namesOf(p);
      writeGolden(ctx, p, surviveFields(this.survivors(p), normalisers, counterConsentsOf(ctx, p)));
      if (namesOf(p) !== before) renamed.push(p);
    }
    return renamed;
  }

  private survivors(profileId: number): SurvivorshipRecord[] {
    return (this.ofProfile.get(profileId) ?? []).map((id) => this.records.get(id)!.survivor);
  }
}

type Writers = Record<"records" | "identifiers" | "orders" | "lines" | "interactions", RowWriter>;

function survivorOf(
  id: number,
  source: { name: string; trustRank: number },
  f: Partial<Record<(typeof GOLDEN_FIELDS)[number], string | null>>,
  sourceUpdatedAt: number,
  consents: Record<string, boolean> | null,
): SurvivorshipRecord {
  const r = { id, source: source.name, trustRank: source.trustRank, sourceUpdatedAt, consents } as SurvivorshipRecord;
  for (const field of GOLDEN_FIELDS) r[field] = f[field] ?? null;
  return r;
}
