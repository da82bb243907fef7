import { asc, eq, sql } from "drizzle-orm";
import { type CountryCode, getCountries } from "libphonenumber-js/max";
import { z } from "zod";
import type { Db } from "@/db/client";
import { type Store, staff, stores } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { normalizePhone } from "@/lib/identity/normalize";

/** The tablet must lock soon enough to protect a customer's data left on screen, and not so soon that it locks mid-conversation. */
const MIN_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 30 * 60;

const COUNTRIES = new Set<string>(getCountries());

/** ISO 3166 alpha-2 as libphonenumber knows it: the country phone numbers are read in. */
export const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => COUNTRIES.has(c), "Use a two-letter country code, such as GB or FR.")
  .transform((c) => c as CountryCode);

export const storeInputSchema = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{2,8}$/, "2 to 8 letters or digits, such as LDN."),
    name: z.string().trim().min(1, "Enter the store's name.").max(80, "Keep the name under 80 characters."),
    city: z.string().trim().min(1, "Enter the city.").max(80, "Keep the city under 80 characters."),
    country: countryCode,
    phone: z.string().trim().max(40),
    lockTimeoutSeconds: z
      .number({ error: "Enter a number of seconds." })
      .int("Whole seconds only.")
      .min(MIN_LOCK_SECONDS, `At least ${MIN_LOCK_SECONDS} seconds.`)
      .max(MAX_LOCK_SECONDS, `At most ${MAX_LOCK_SECONDS} seconds (30 minutes).`),
  })
  .transform((s, ctx) => {
    // The store's phone is blocked from linking customers, so it must be a number the normaliser understands.
    if (s.phone === "") return { ...s, phone: null };
    const phone = normalizePhone(s.phone, s.country);
    if (!phone) {
      ctx.addIssue({ code: "custom", path: ["phone"], message: `Not a valid phone number in ${s.country}.` });
      return z.NEVER;
    }
    return { ...s, phone };
  });

export type StoreInput = z.output<typeof storeInputSchema>;

export type StoreRow = Store & { staffCount: number };

export function listStores(db: Db): StoreRow[] {
  const staffCount = sql<number>`(select count(*) from ${staff} where ${staff.homeStoreId} = ${stores.id} and ${staff.active} = 1)`;
  return db
    .select({ store: stores, staffCount })
    .from(stores)
    .orderBy(asc(stores.name))
    .all()
    .map(({ store, staffCount }) => ({ ...store, staffCount }));
}

function refuseTakenCode(db: Db, code: string, exceptId: number | null): void {
  const taken = db.select({ id: stores.id }).from(stores).where(eq(stores.code, code)).get();
  if (taken && taken.id !== exceptId) throw new DomainError("conflict", "Another store has that code.", { code: ["Another store has that code."] });
}

export function createStore(db: Db, input: StoreInput): Store {
  refuseTakenCode(db, input.code, null);
  return db.insert(stores).values(input).returning().get();
}

/** Returns the fields that changed, for the audit trail. */
export function updateStore(db: Db, id: number, input: StoreInput): { store: Store; changes: Record<string, { from: unknown; to: unknown }> } {
  const before = db.select().from(stores).where(eq(stores.id, id)).get();
  if (!before) throw new DomainError("unknown_store");
  refuseTakenCode(db, input.code, id);
  const store = db.update(stores).set(input).where(eq(stores.id, id)).returning().get();
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(input) as (keyof StoreInput)[]) {
    if (before[key] !== store[key]) changes[key] = { from: before[key], to: store[key] };
  }
  return { store, changes };
}
