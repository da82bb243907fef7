/** The suggestion vocabulary the screens need, without reaching into db/. */
export type { RuleAnchorKind, RuleTargetKind, SuggestionRule, SuggestionRuleStatus, SuggestionStatus } from "@/db/schema";
