"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { isNetworkError, setOnline, useOnline } from "@/components/offline/network";
import { loadSuggestionsAction } from "@/lib/actions/profile";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";
import { SuggestionCards } from "./suggestion-cards";

/**
 * The profile page's "Goes with what you bought", fetched once the page is on screen so the name and
 * purchases never wait for the engine. Each visit asks afresh (nothing kept once the page is left),
 * as the cards and their statuses are per visit. Offline, it waits for the network and then asks.
 */
export function SuggestionsSection({ profileId, grant }: { profileId: number; grant: string | null }) {
  const online = useOnline();
  const suggestions = useQuery({
    queryKey: ["suggestions", profileId, grant],
    queryFn: () => unwrap(loadSuggestionsAction({ profileId, grant })),
    enabled: online,
    staleTime: 0,
    gcTime: 0,
  });
  const { isError, error, refetch } = suggestions;
  useEffect(() => {
    if (isError && isNetworkError(error)) setOnline(false);
  }, [isError, error]);
  useEffect(() => {
    if (online && isError) void refetch();
  }, [online, isError, refetch]);
  if (suggestions.isSuccess) return <SuggestionCards profileId={profileId} grant={grant} cards={suggestions.data} />;
  return (
    <section aria-labelledby="suggestions-heading" className="flex flex-col gap-3">
      <h2 id="suggestions-heading" className="text-xl font-bold">
        Goes with what you bought
      </h2>
      {!online ? (
        <p role="status" className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">
          Suggestions need the network; they appear as soon as it is back.
        </p>
      ) : isError ? (
        <div className="flex flex-col items-start gap-3 rounded-2xl bg-red-50 px-5 py-3 text-red-900">
          <p>Suggestions could not be loaded: {error.message}</p>
          <Button type="button" variant="secondary" onClick={() => void refetch()}>
            Try again
          </Button>
        </div>
      ) : (
        <p role="status" className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">
          Finding suggestions…
        </p>
      )}
    </section>
  );
}
