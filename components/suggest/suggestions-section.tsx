import { getDb } from "@/db/server";
import { suggestForProfile } from "@/lib/suggest/engine";
import { SuggestionCards } from "./suggestion-cards";

/** Server part of the profile page's "Goes with what you bought": cards computed in the page render, taps handled in the browser. */
export function SuggestionsSection({ profileId, grant, storeId }: { profileId: number; grant: string | null; storeId: number | null }) {
  const cards = suggestForProfile(getDb(), { profileId, storeId, now: Date.now() });
  return <SuggestionCards profileId={profileId} grant={grant} cards={cards} />;
}
