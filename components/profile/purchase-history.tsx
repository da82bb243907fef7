"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Channel } from "@/db/schema";
import { loadPurchaseHistoryAction } from "@/lib/actions/customers";
import type { HistoryCursor, HistoryOrder, HistoryPage } from "@/lib/customers/profile";
import { Button } from "../ui/button";
import { CHANNEL_LABELS, formatDate, formatMoney } from "../ui/format";
import { unwrap } from "../ui/unwrap";

const FILTERS: { id: Channel | null; label: string }[] = [
  { id: null, label: "All" },
  { id: "store", label: "In store" },
  { id: "online", label: "Online" },
  { id: "app", label: "App" },
];

export function PurchaseHistory({ profileId, grant, firstPage }: { profileId: number; grant: string | null; firstPage: HistoryPage }) {
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
    <section aria-labelledby="history-heading" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="history-heading" className="text-xl font-bold">
          Purchase history
        </h2>
        <div role="group" aria-label="Filter by channel" className="flex gap-1 rounded-xl bg-stone-200 p-1">
          {FILTERS.map((f) => (
            <button
              key={f.label}
              type="button"
              aria-pressed={channel === f.id}
              onClick={() => setChannel(f.id)}
              className={`min-h-11 rounded-lg px-3 text-sm font-semibold ${channel === f.id ? "bg-white shadow-sm" : "text-stone-700"}`}
            >
              {f.label}
            </button>
          ))}
        </div>
      </div>
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
      {history.isFetchNextPageError && <p className="rounded-2xl bg-red-50 px-5 py-3 text-red-900">{history.error?.message ?? "Could not load older orders."}</p>}
      {history.hasNextPage && (
        <Button variant="secondary" onClick={() => history.fetchNextPage()} disabled={history.isFetchingNextPage} className="self-center">
          {history.isFetchingNextPage ? "Loading…" : "Show older purchases"}
        </Button>
      )}
    </section>
  );
}

function OrderCard({ order }: { order: HistoryOrder }) {
  const where = order.channel === "store" ? (order.storeName ?? "A store") : CHANNEL_LABELS[order.channel];
  return (
    <li className="rounded-2xl bg-white p-4 ring-1 ring-stone-200" data-testid="history-order">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="font-semibold">
          {formatDate(order.placedAt)} · <span data-testid="order-where">{where}</span>
          {order.isReturn && <span className="ml-2 rounded-full bg-amber-100 px-2.5 py-0.5 text-sm font-semibold text-amber-900">Return</span>}
        </p>
        <p className="text-stone-600">
          {CHANNEL_LABELS[order.channel]} · {formatMoney(order.total)}
        </p>
      </div>
      <ul className="mt-2 divide-y divide-stone-100">
        {order.lines.map((line) => (
          <li key={line.lineNo} className="flex items-center gap-3 py-2">
            {line.imagePath && <img src={line.imagePath} alt="" width={44} height={44} className="size-11 rounded-lg bg-stone-100" />}
            <div className="flex-1">
              <p className={line.quantity < 0 ? "text-amber-900" : ""}>{line.name}</p>
              <p className="text-sm text-stone-600">{[line.colour, line.size && `size ${line.size}`, line.sku].filter(Boolean).join(" · ")}</p>
            </div>
            <p className="text-right tabular-nums">
              {line.quantity < 0 ? `Returned ${-line.quantity}` : `${line.quantity} ×`} {formatMoney(line.unitPrice)}
            </p>
          </li>
        ))}
      </ul>
    </li>
  );
}
