import { and, eq, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { consentEvents, identifiers, preferences, profiles, settings, sources } from "@/db/schema";
import { type IdentitySettings, isBlocked, makeLoyaltyId, normalizeEmail, normalizePhone } from "@/lib/identity/normalize";
import { type IngestContext, ingestCustomerRecord } from "@/lib/identity/ingest";
import { CLIENTELE_SOURCE } from "@/lib/identity/settings";
import { DomainError } from "@/lib/errors";
import { displayName } from "./display";
import { CONSENT_CHANNELS } from "./channels";

const LOYALTY_SEQUENCE_KEY = "loyalty.next";
/** Enrolments number their cards from here, clear of cards issued by the loyalty system. */
const FIRST_ENROLMENT_NUMBER = 500_000_000;

export function ensureClienteleSource(db: Db): void {
  db.insert(sources).values(CLIENTELE_SOURCE).onConflictDoNothing().run();
}

export const enrolmentSchema = (identity: IdentitySettings) =>
  z
    .object({
      firstName: z.string().trim().min(1, "Enter a first name.").max(80),
      lastName: z.string().trim().min(1, "Enter a last name.").max(80),
      email: z
        .string()
        .trim()
        .max(200)
        .refine((v) => v === "" || normalizeEmail(v) !== null, "This is not a valid email address."),
      phone: z
        .string()
        .trim()
        .max(40)
        .refine((v) => v === "" || normalizePhone(v, identity.defaultCountry) !== null, `This is not a valid phone number for ${identity.defaultCountry}.`),
      consents: z.object({ email: z.boolean(), sms: z.boolean(), post: z.boolean() }),
      sizes: z.record(z.string().max(40), z.string().trim().max(10)).default({}),
    })
    .refine((v) => v.email !== "" || v.phone !== "", { message: "Give a phone number or an email, so the customer can be found again.", path: ["phone"] });

export type EnrolmentInput = z.output<ReturnType<typeof enrolmentSchema>>;

export type ExistingMatch = { profileId: number; name: string; city: string | null; lastPurchaseAt: number | null; matchedOn: string[] };

/**
 * A placeholder typed to get past the form (test@test.com, 0000000000, the store's own number) is
 * on the identity guard rails' blocked list: it never finds the customer again, so say so as typed.
 */
export function placeholderWarnings(identity: IdentitySettings, contact: { email?: string; phone?: string }): { email?: string; phone?: string } {
  const email = normalizeEmail(contact.email);
  const phone = normalizePhone(contact.phone, identity.defaultCountry);
  return {
    ...(email && isBlocked({ type: "email", value: email }, identity)
      ? {
          email:
            "This looks like a placeholder, not the customer’s own email: it will never find them again and no email can reach them. Ask for their real address, or leave it empty.",
        }
      : {}),
    ...(phone && isBlocked({ type: "phone", value: phone }, identity)
      ? {
          phone: "This looks like a placeholder or the store’s own number: it will never find the customer again. Ask for their own number, or leave it empty.",
        }
      : {}),
  };
}

/** Before creating anyone: is this phone or email already someone's? */
export function findExistingCustomers(db: Db, identity: IdentitySettings, contact: { email?: string; phone?: string }): ExistingMatch[] {
  const wanted = [
    { type: "email" as const, value: normalizeEmail(contact.email) },
    { type: "phone" as const, value: normalizePhone(contact.phone, identity.defaultCountry) },
  ].filter((c): c is { type: "email" | "phone"; value: string } => c.value !== null);
  if (wanted.length === 0) return [];
  const rows = db
    .selectDistinct({ profileId: identifiers.profileId, type: identifiers.type })
    .from(identifiers)
    .where(or(...wanted.map((w) => and(eq(identifiers.type, w.type), eq(identifiers.value, w.value)))))
    .all();
  if (rows.length === 0) return [];
  const found = db
    .select()
    .from(profiles)
    .where(inArray(profiles.id, [...new Set(rows.map((r) => r.profileId))]))
    .all();
  return found.map((p) => ({
    profileId: p.id,
    name: `${p.firstName ?? ""} ${p.lastName ? `${p.lastName[0]}.` : ""}`.trim() || displayName(p),
    city: p.city,
    lastPurchaseAt: p.lastPurchaseAt,
    matchedOn: rows.filter((r) => r.profileId === p.id).map((r) => r.type),
  }));
}

function nextLoyaltyNumber(db: Db): number {
  const row = db.select().from(settings).where(eq(settings.key, LOYALTY_SEQUENCE_KEY)).get();
  const next = typeof row?.value === "number" ? row.value : FIRST_ENROLMENT_NUMBER;
  db.insert(settings)
    .values({ key: LOYALTY_SEQUENCE_KEY, value: next + 1, updatedAt: Date.now() })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`${next + 1}`, updatedAt: Date.now() } })
    .run();
  return next;
}

/** Creates the customer through the ingest path, as a record of the Clientele source. Call inside a transaction. */
export function enrolCustomer(
  ctx: IngestContext,
  input: EnrolmentInput,
  by: { staffId: number; storeId: number | null; storeCity?: string | null },
): { profileId: number; loyaltyId: string } {
  const { db } = ctx;
  if (!ctx.sources.has(CLIENTELE_SOURCE.name)) throw new DomainError("unknown_source", "The Clientele source is missing.");
  const loyaltyId = makeLoyaltyId(nextLoyaltyNumber(db), ctx.settings.loyalty);
  const now = ctx.now();
  const result = ingestCustomerRecord(ctx, {
    source: CLIENTELE_SOURCE.name,
    sourceCustomerId: loyaltyId,
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email || null,
    phone: input.phone || null,
    loyaltyId,
    city: by.storeCity ?? null,
    tier: "Member",
    consents: input.consents,
    updatedAt: now,
  });
  if (!result.createdProfile) {
    // The identifiers were checked a moment ago; someone else enrolled the same person in between.
    throw new DomainError("conflict", "This phone number or email now belongs to a customer. Search for them instead.");
  }
  for (const channel of CONSENT_CHANNELS) {
    db.insert(consentEvents)
      .values({ profileId: result.profileId, channel, granted: input.consents[channel], staffId: by.staffId, storeId: by.storeId, at: now })
      .run();
  }
  for (const [category, size] of Object.entries(input.sizes)) {
    if (size) db.insert(preferences).values({ profileId: result.profileId, category, size, staffId: by.staffId, updatedAt: now }).run();
  }
  return { profileId: result.profileId, loyaltyId };
}
