"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Channel } from "@/lib/customers/channels";
import { loadTimelineAction } from "@/lib/actions/profile";
import type { TimelineItem } from "@/lib/customers/timeline";
import { Button } from "../ui/button";
import { formatDate } from "../ui/format";
import { CHANNEL_LABELS } from "@/lib/customers/channels";
import { CHANNEL_FILTERS, Segmented } from "../ui/segmented";
import { unwrap } from "../ui/unwrap";
import { OrderCard } from "./order-card";

const KIND_LABELS = { view: "Viewed", wishlist: "Wish-listed", cart: "Left in cart", visit: "Visited the store" } as const;

export function Timeline({ profileId, grant }: { profileId: number; grant: string | null }) {
  const [channel, setChannel] = useState<Channel | null>(null);
  const timeline = useInfiniteQuery({
    queryKey: ["timeline", profileId, channel],
    queryFn: ({ pageParam }) => unwrap(loadTimelineAction({ profileId, grant, before: pageParam, channel })),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.next,
  });
  const items = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="flex flex-col gap-3">
      <Segmented<Channel | null> label="Filter the timeline by channel" options={[...CHANNEL_FILTERS]} value={channel} onChange={setChannel} />
      {timeline.isPending ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">Loading the timeline…</p>
      ) : timeline.isError && items.length === 0 ? (
        <p className="rounded-2xl bg-red-50 px-5 py-3 text-red-900">{timeline.error.message}</p>
      ) : items.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">
          Nothing recorded {channel ? CHANNEL_LABELS[channel].toLowerCase() : "yet"}.
        </p>
      ) : (
        <ol className="flex flex-col gap-3" aria-label="Timeline">
          {items.map((item) => (
            <Entry key={`${item.type}-${item.type === "order" ? item.order.id : ""}-${item.at}`} item={item} />
          ))}
        </ol>
      )}
      {timeline.hasNextPage && (
        <Button variant="secondary" onClick={() => timeline.fetchNextPage()} disabled={timeline.isFetchingNextPage} className="self-center">
          {timeline.isFetchingNextPage ? "Loading…" : "Show older"}
        </Button>
      )}
    </div>
  );
}

function Entry({ item }: { item: TimelineItem }) {
  if (item.type === "order") return <OrderCard order={item.order} />;
  const [title, detail] =
    item.type === "note"
      ? [`Note by ${item.author}: ${item.body}`, `${formatDate(item.at)} · ${item.place ?? "In store"}`]
      : [`${KIND_LABELS[item.kind]}${item.productName ? ` ${item.productName}` : ""}`, `${formatDate(item.at)} · ${item.place}`];
  return (
    <li className="rounded-2xl bg-white px-4 py-3 ring-1 ring-stone-200" data-testid="timeline-entry">
      <p className={item.type === "note" ? "whitespace-pre-wrap" : ""}>{title}</p>
      <p className="text-sm text-stone-600">{detail}</p>
    </li>
  );
}
