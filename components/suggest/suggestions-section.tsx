import type { suggestForProfile } from "@/lib/suggest/engine";
import { SuggestionCards } from "./suggestion-cards";

/** Server part of the profile page's "Goes with what you bought": cards computed by the page, taps handled in the browser. */
export function SuggestionsSection({ profileId, grant, cards }: { profileId: number; grant: string | null; cards: ReturnType<typeof suggestForProfile> }) {
  return <SuggestionCards profileId={profileId} grant={grant} cards={cards} />;
}
