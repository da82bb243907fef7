"use client";

import { useState } from "react";
import type { Channel } from "@/lib/customers/channels";
import { loadPurchaseHistoryAction } from "@/lib/actions/customers";
import type { HistoryCursor, HistoryPage } from "@/lib/customers/profile";
import { HeadingRow } from "../ui/heading-row";
import { PagedList } from "../ui/paged-list";
import { CHANNEL_LABELS } from "@/lib/customers/channels";
import { CHANNEL_FILTERS, Segmented } from "../ui/segmented";
import { unwrap } from "../ui/unwrap";
import { OrderCard } from "./order-card";
import { Timeline } from "./timeline";
import { useChannelPages } from "./use-channel-pages";

const VIEWS = [
  { id: "purchases", label: "Purchases" },
  { id: "everything", label: "Everything" },
] as const;

export function PurchaseHistory({ profileId, grant, firstPage }: { profileId: number; grant: string | null; firstPage: HistoryPage }) {
  const [view, setView] = useState<"purchases" | "everything">("purchases");
  return (
    <section aria-labelledby="history-heading" className="flex flex-col gap-3">
      <HeadingRow id="history-heading" className="text-xl font-bold" title="Purchase history" align="center">
        <Segmented label="What to show" options={VIEWS} value={view} onChange={setView} />
      </HeadingRow>
      {view === "purchases" ? <Purchases profileId={profileId} grant={grant} firstPage={firstPage} /> : <Timeline profileId={profileId} grant={grant} />}
    </section>
  );
}

function Purchases({ profileId, grant, firstPage }: { profileId: number; grant: string | null; firstPage: HistoryPage }) {
  const {
    channel,
    setChannel,
    query: history,
    pages,
  } = useChannelPages(
    ["purchase-history", profileId],
    (channel, before: HistoryCursor | null) => unwrap(loadPurchaseHistoryAction({ profileId, grant, before, channel })),
    firstPage,
  );
  const orders = pages.flatMap((p) => p.orders);
  return (
    <div className="flex flex-col gap-3">
      <Segmented<Channel | null> label="Filter by channel" options={CHANNEL_FILTERS} value={channel} onChange={setChannel} />
      <PagedList
        query={history}
        count={orders.length}
        loading="Loading purchases…"
        empty={channel === null ? "No purchases yet in any store, online or in the app." : `No purchases ${CHANNEL_LABELS[channel].toLowerCase()}.`}
        older="Show older purchases"
      >
        <ol className="flex flex-col gap-3">
          {orders.map((order) => (
            <OrderCard key={order.id} order={order} />
          ))}
        </ol>
      </PagedList>
    </div>
  );
}
