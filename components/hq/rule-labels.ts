import type { RuleAnchorKind, RuleTargetKind, SuggestionRuleStatus } from "@/lib/suggest/types";

/** Client-side copies of the kinds as labels: importing db/schema values would ship drizzle to the browser. */

export const ANCHOR_LABELS: Record<RuleAnchorKind, string> = { sku: "SKU or style", category: "Category", collection: "Collection", brand: "Brand" };
export const TARGET_LABELS: Record<RuleTargetKind, string> = { sku: "SKU or style", category: "Category", collection: "Collection", brand: "Brand" };
export const STATUS_LABELS: Record<SuggestionRuleStatus, string> = { draft: "Draft", published: "Published", inactive: "Inactive" };
export const STATUS_STYLES: Record<SuggestionRuleStatus, string> = {
  draft: "bg-amber-100 text-amber-900",
  published: "bg-emerald-100 text-emerald-900",
  inactive: "bg-stone-200 text-stone-700",
};
