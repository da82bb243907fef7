import type { ReactNode } from "react";
import { Button } from "./button";

/** What a list loaded a page at a time shows of its query (react-query's useInfiniteQuery). */
type PagedQuery = {
  isPending: boolean;
  isError: boolean;
  error: Error | null;
  isFetchNextPageError: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
};

const note = "rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200";
const failure = "rounded-2xl bg-red-50 px-5 py-3 text-red-900";

/** A newest-first list a page at a time: loading, failure and empty states, then the items and the way to older ones. */
export function PagedList({
  query,
  count,
  loading,
  empty,
  older,
  children,
}: {
  query: PagedQuery;
  count: number;
  loading: string;
  empty: ReactNode;
  older: string;
  children: ReactNode;
}) {
  return (
    <>
      {query.isPending ? (
        <p className={note}>{loading}</p>
      ) : query.isError && count === 0 ? (
        <p className={failure}>{query.error?.message}</p>
      ) : count === 0 ? (
        <p className={note}>{empty}</p>
      ) : (
        children
      )}
      {query.isFetchNextPageError && <p className={failure}>{query.error?.message ?? "Could not load older entries."}</p>}
      {query.hasNextPage && (
        <Button variant="secondary" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage} className="self-center">
          {query.isFetchingNextPage ? "Loading…" : older}
        </Button>
      )}
    </>
  );
}
