/** The sentence a rule says when head office writes none of its own; shared by the engine and the rule form. */
export const DEFAULT_RULE_MESSAGE = "Goes with the {anchor} you bought {anchorPlace} on {anchorDate}";
