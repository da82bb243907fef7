import type { Db } from "@/db/client";
import { lookupCustomer } from "@/lib/customers/lookup";
import { DomainError } from "@/lib/errors";
import type { IdentitySettings } from "@/lib/identity/normalize";
import { type SuggestionCard, loadPreferences, loadPurchases, suggestForProfile } from "./engine";
import { type RuleDefinition, customerHistory, ruleAnchor, ruleIsLive } from "./rank";

export type PreviewResult = {
  customer: { profileId: number; name: string; city: string | null };
  cards: SuggestionCard[];
  /** Why the draft produced no card, when it did not. */
  draftNote: string | null;
};

/**
 * What the tablet in `storeId` would show this customer now, with the draft rule standing in for its
 * stored version. Only an exact loyalty ID, phone or email picks the customer: a preview is of one
 * real person, never a guess by name.
 */
export function previewSuggestions(
  db: Db,
  settings: IdentitySettings,
  options: { query: string; storeId: number | null; draft: RuleDefinition | null; now: number },
): PreviewResult {
  const found = lookupCustomer(db, settings, options.query);
  if (found.kind === "invalid") throw new DomainError("invalid_input", found.reason, { customer: [found.reason] });
  if (found.kind === "none" || found.by === "name") {
    const message =
      found.kind === "matches" ? "Enter a loyalty ID, phone number or email, not a name." : "No customer has that loyalty ID, phone number or email.";
    throw new DomainError("invalid_input", message, { customer: [message] });
  }
  if (found.candidates.length > 1) {
    const message = "That identifier belongs to more than one customer; use their loyalty ID.";
    throw new DomainError("invalid_input", message, { customer: [message] });
  }
  const [match] = found.candidates;
  const cards = suggestForProfile(db, { profileId: match.profileId, storeId: options.storeId, now: options.now, draftRule: options.draft ?? undefined });
  return {
    customer: { profileId: match.profileId, name: match.name, city: match.city },
    cards,
    draftNote: options.draft ? draftNote(db, options.draft, match.profileId, options, cards) : null,
  };
}

function draftNote(db: Db, draft: RuleDefinition, profileId: number, options: { storeId: number | null; now: number }, cards: SuggestionCard[]): string | null {
  if (cards.some((c) => c.source.kind === "rule" && c.source.ruleId === draft.id)) return null;
  if (!ruleIsLive(draft, options.storeId, options.now)) return "The rule is not live for this store today (check its dates and stores).";
  const history = customerHistory(loadPurchases(db, profileId), loadPreferences(db, profileId));
  if (!ruleAnchor(draft, history, options.now)) return `This customer bought nothing matching the anchor in the last ${draft.withinDays} days.`;
  return "The rule matched, but its suggestions are owned already, out of stock or outranked by other cards.";
}
