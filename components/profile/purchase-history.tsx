"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Channel } from "@/lib/customers/channels";
import { loadPurchaseHistoryAction } from "@/lib/actions/customers";
import type { HistoryCursor, HistoryPage } from "@/lib/customers/profile";
import { Button } from "../ui/button";
import { CHANNEL_LABELS } from "@/lib/customers/channels";
import { CHANNEL_FILTERS, Segmented } from "../ui/segmented";
import { unwrap } from "../ui/unwrap";
import { OrderCard } from "./order-card";
import { Timeline } from "./timeline";

export function PurchaseHistory({ profileId, grant, firstPage }: { profileId: number; grant: string | null; firstPage: HistoryPage }) {
  const [view, setView] = useState<"purchases" | "everything">("purchases");
  return (
    <section aria-labelledby="history-heading" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="history-heading" className="text-xl font-bold">
          Purchase history
        </h2>
        <Segmented
          label="What to show"
          options={[
            { id: "purchases" as const, label: "Purchases" },
            { id: "everything" as const, label: "Everything" },
          ]}
          value={view}
          onChange={setView}
        />
      </div>
      {view === "purchases" ? <Purchases profileId={profileId} grant={grant} firstPage={firstPage} /> : <Timeline profileId={profileId} grant={grant} />}
    </section>
  );
}

function Purchases({ profileId, grant, firstPage }: { profileId: number; grant: string | null; firstPage: HistoryPage }) {
  const [channel, setChannel] = useState<Channel | null>(null);
  const history = useInfiniteQuery({
    queryKey: ["purchase-history", profileId, channel],
    queryFn: ({ pageParam }) => unwrap(loadPurchaseHistoryAction({ profileId, grant, before: pageParam, channel })),
    initialPageParam: null as HistoryCursor | null,
    getNextPageParam: (last) => last.next,
    initialData: channel === null ? { pages: [firstPage], pageParams: [null] } : undefined,
  });
  const orders = history.data?.pages.flatMap((p) => p.orders) ?? [];
  return (
    <div className="flex flex-col gap-3">
      <Segmented<Channel | null> label="Filter by channel" options={[...CHANNEL_FILTERS]} value={channel} onChange={setChannel} />
      {history.isPending ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">Loading purchases…</p>
      ) : history.isError && orders.length === 0 ? (
        <p className="rounded-2xl bg-red-50 px-5 py-3 text-red-900">{history.error.message}</p>
      ) : orders.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">
          {channel === null ? "No purchases yet in any store, online or in the app." : `No purchases ${CHANNEL_LABELS[channel].toLowerCase()}.`}
        </p>
      ) : (
        <ol className="flex flex-col gap-3">
          {orders.map((order) => (
            <OrderCard key={order.id} order={order} />
          ))}
        </ol>
      )}
      {history.isFetchNextPageError && (
        <p className="rounded-2xl bg-red-50 px-5 py-3 text-red-900">{history.error?.message ?? "Could not load older orders."}</p>
      )}
      {history.hasNextPage && (
        <Button variant="secondary" onClick={() => history.fetchNextPage()} disabled={history.isFetchingNextPage} className="self-center">
          {history.isFetchingNextPage ? "Loading…" : "Show older purchases"}
        </Button>
      )}
    </div>
  );
}
