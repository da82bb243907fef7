import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type InteractionKind, interactions } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import type { IngestContext } from "@/lib/identity/ingest";
import { params, rawParams, sourceOf, storeIdOf } from "./common";
import { productId } from "./orders";

export type InteractionInput = {
  source: string;
  externalId: string;
  sourceCustomerId: string;
  /** Source of the customer record when it differs from the interaction's. */
  customerSource?: string | null;
  kind: InteractionKind;
  sku?: string | null;
  storeCode?: string | null;
  at: number;
};

export function prepareInteractions(db: Db) {
  const p = sql.placeholder;
  return {
    insertInteraction: db
      .insert(interactions)
      .values(params(interactions, "sourceId", "externalId", "sourceRecordId", "profileId", "kind", "productId", "storeId", "at"))
      .onConflictDoNothing({ target: [interactions.sourceId, interactions.externalId] })
      .returning({ id: interactions.id })
      .prepare(),
    updateInteraction: db
      .update(interactions)
      .set(rawParams(interactions, "sourceRecordId", "profileId", "kind", "productId", "storeId", "at"))
      .where(and(eq(interactions.sourceId, p("sourceId")), eq(interactions.externalId, p("externalId"))))
      .returning({ id: interactions.id })
      .prepare(),
  };
}

export type InteractionIngestResult = { status: "inserted" | "updated"; interactionId: number; profileId: number };

/** Adds or replaces one view, wish-list, cart or store-visit event of a known customer. Call inside a transaction. */
export function ingestInteraction(ctx: IngestContext, input: InteractionInput): InteractionIngestResult {
  const { stmts } = ctx;
  const source = sourceOf(ctx, input.source);
  const customerSource = sourceOf(ctx, input.customerSource ?? input.source);
  const record = stmts.recordByKey.get({ sourceId: customerSource.id, sourceCustomerId: input.sourceCustomerId });
  if (!record) throw new DomainError("unknown_customer", `No ${customerSource.name} customer "${input.sourceCustomerId}".`);
  const storeId = storeIdOf(ctx, input.storeCode);
  const values = {
    sourceId: source.id,
    externalId: input.externalId,
    sourceRecordId: record.id,
    profileId: record.profileId,
    kind: input.kind,
    productId: input.sku ? productId(ctx, input.sku) : null,
    storeId,
    at: input.at,
  };
  const inserted = stmts.insertInteraction.get(values);
  if (inserted) return { status: "inserted", interactionId: inserted.id, profileId: record.profileId };
  return { status: "updated", interactionId: stmts.updateInteraction.get(values)!.id, profileId: record.profileId };
}
