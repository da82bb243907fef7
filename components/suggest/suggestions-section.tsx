"use client";

import { useQuery } from "@tanstack/react-query";
import { loadSuggestionsAction } from "@/lib/actions/profile";
import { unwrap } from "../ui/unwrap";
import { SuggestionCards } from "./suggestion-cards";

/**
 * The profile page's "Goes with what you bought", fetched once the page is on screen so the name and
 * purchases never wait for the engine. Each visit asks afresh (nothing kept once the page is left),
 * as the cards and their statuses are per visit.
 */
export function SuggestionsSection({ profileId, grant }: { profileId: number; grant: string | null }) {
  const suggestions = useQuery({
    queryKey: ["suggestions", profileId, grant],
    queryFn: () => unwrap(loadSuggestionsAction({ profileId, grant })),
    staleTime: 0,
    gcTime: 0,
  });
  if (suggestions.isPending) {
    return (
      <p role="status" className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">
        Finding suggestions…
      </p>
    );
  }
  if (suggestions.isError) {
    return (
      <section aria-labelledby="suggestions-heading" className="flex flex-col gap-3">
        <h2 id="suggestions-heading" className="text-xl font-bold">
          Goes with what you bought
        </h2>
        <p className="rounded-2xl bg-red-50 px-5 py-3 text-red-900">Suggestions could not be loaded: {suggestions.error.message}</p>
      </section>
    );
  }
  return <SuggestionCards profileId={profileId} grant={grant} cards={suggestions.data} />;
}
