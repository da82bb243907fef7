import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { profiles, sourceCustomers, sources, stores } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { type SuggestionCard, suggestForProfile } from "./engine";
import { shelfPolicy } from "./settings";

/**
 * "Why did she get this?": one customer's cards with the reason and the score behind each, for a
 * merchandiser at a terminal (`npm run suggest`).
 */

export type AskOptions = { customer: string; store?: string; at?: string; limit?: number };

export type AskResult = {
  profileId: number;
  name: string;
  store: { id: number; code: string; name: string } | null;
  now: number;
  stockFeed: boolean;
  cards: SuggestionCard[];
};

/** A profile ID (following merges to the survivor), or "source:customer-id" as a source system knows them. */
export function findProfile(db: Db, ref: string): { profileId: number; name: string } {
  let profileId: number | undefined;
  const colon = ref.indexOf(":");
  if (/^\d+$/.test(ref)) profileId = Number(ref);
  else if (colon > 0) {
    profileId = db
      .select({ profileId: sourceCustomers.profileId })
      .from(sourceCustomers)
      .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
      .where(and(eq(sources.name, ref.slice(0, colon)), eq(sourceCustomers.sourceCustomerId, ref.slice(colon + 1))))
      .get()?.profileId;
    if (profileId === undefined) throw new DomainError("not_found", `No customer "${ref.slice(colon + 1)}" from source "${ref.slice(0, colon)}".`);
  } else throw new DomainError("invalid_input", `--customer takes a profile ID or source:customer-id, not "${ref}".`);
  for (let hops = 0; hops < 20; hops++) {
    const p = db
      .select({ id: profiles.id, mergedInto: profiles.mergedInto, firstName: profiles.firstName, lastName: profiles.lastName })
      .from(profiles)
      .where(eq(profiles.id, profileId))
      .get();
    if (!p) throw new DomainError("not_found", `No profile ${profileId}.`);
    if (p.mergedInto === null) return { profileId: p.id, name: [p.firstName, p.lastName].filter(Boolean).join(" ") || "(no name)" };
    profileId = p.mergedInto;
  }
  throw new DomainError("invalid_input", `Profile ${ref} redirects in a loop.`);
}

/** Noon UTC of a YYYY-MM-DD day, so the day is the same in every European time zone. */
export function dayMoment(day: string): number {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T12:00:00Z`) : Number.NaN;
  if (!Number.isFinite(at)) throw new DomainError("invalid_input", `--at takes a date as YYYY-MM-DD, not "${day}".`);
  return at;
}

export function askSuggestions(db: Db, options: AskOptions, now = Date.now()): AskResult {
  const { profileId, name } = findProfile(db, options.customer.trim());
  let store: AskResult["store"] = null;
  if (options.store) {
    store =
      db.select({ id: stores.id, code: stores.code, name: stores.name }).from(stores).where(eq(stores.code, options.store.trim().toUpperCase())).get() ?? null;
    if (!store) {
      const codes = db
        .select({ code: stores.code })
        .from(stores)
        .orderBy(stores.code)
        .all()
        .map((s) => s.code);
      throw new DomainError("invalid_input", `No store "${options.store}". Stores: ${codes.join(", ") || "none"}.`);
    }
  }
  const at = options.at ? dayMoment(options.at) : now;
  const shelf = shelfPolicy(db, store?.id ?? null);
  const cards = suggestForProfile(db, { profileId, storeId: store?.id ?? null, now: at, limit: options.limit, shelf });
  return { profileId, name, store, now: at, stockFeed: shelf.stockFeed, cards };
}

const TIERS: Record<number, string> = { 1: "rule", 0: "goes with / interest", [-1]: "best seller" };

function sourceText(card: SuggestionCard): string {
  const s = card.source;
  if (s.kind === "rule") return `rule "${s.ruleName ?? s.ruleId}"`;
  if (s.kind === "association") return `bought together: confidence ${(100 * (s.confidence ?? 0)).toFixed(1)}%, lift ${(s.lift ?? 0).toFixed(1)}`;
  if (s.kind === "interest") return "looked at, now changed in their favour";
  return "best seller this season";
}

export function formatAsk(r: AskResult): string {
  const where = r.store ? `${r.store.name} (${r.store.code})` : "head office (stock in any store)";
  const head = [
    `Profile ${r.profileId}, ${r.name} — at ${where} on ${new Date(r.now).toISOString().slice(0, 10)}${r.stockFeed ? "" : ", no stock feed: cards say check stock"}`,
  ];
  if (r.cards.length === 0)
    return [...head, "  No cards: nothing they bought or looked at has a match that can be sold here, and nothing sells here yet."].join("\n");
  const lines = r.cards.flatMap((c, i) => [
    `${String(i + 1).padStart(2)}. ${c.name} (${c.sku ?? c.style})  £${(c.price / 100).toFixed(2)}${c.promoPercent ? ` −${c.promoPercent}%` : ""}  [${c.stock}]`,
    `    ${c.reason}`,
    `    why: ${sourceText(c)}; tier ${c.tier} (${TIERS[c.tier] ?? c.tier}), score ln e = ${c.score.toFixed(3)}${c.anchor.productName ? `; anchor ${c.anchor.productName} (${c.anchor.style}) on ${new Date(c.anchor.date).toISOString().slice(0, 10)}` : ""}`,
  ]);
  return [...head, ...lines].join("\n");
}
