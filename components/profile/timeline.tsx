"use client";

import type { Channel } from "@/lib/customers/channels";
import { loadTimelineAction } from "@/lib/actions/profile";
import type { TimelineItem } from "@/lib/customers/timeline";
import { PagedList } from "../ui/paged-list";
import { formatDate } from "../ui/format";
import { CHANNEL_LABELS } from "@/lib/customers/channels";
import { CHANNEL_FILTERS, Segmented } from "../ui/segmented";
import { unwrap } from "../ui/unwrap";
import { OrderCard } from "./order-card";
import { useChannelPages } from "./use-channel-pages";

const KIND_LABELS = { view: "Viewed", wishlist: "Wish-listed", cart: "Left in cart", visit: "Visited the store" } as const;

export function Timeline({ profileId, grant }: { profileId: number; grant: string | null }) {
  const {
    channel,
    setChannel,
    query: timeline,
    pages,
  } = useChannelPages(["timeline", profileId], (channel, before: number | null) => unwrap(loadTimelineAction({ profileId, grant, before, channel })));
  const items = pages.flatMap((p) => p.items);
  return (
    <div className="flex flex-col gap-3">
      <Segmented<Channel | null> label="Filter the timeline by channel" options={CHANNEL_FILTERS} value={channel} onChange={setChannel} />
      <PagedList
        query={timeline}
        count={items.length}
        loading="Loading the timeline…"
        empty={`Nothing recorded ${channel ? CHANNEL_LABELS[channel].toLowerCase() : "yet"}.`}
        older="Show older"
      >
        <ol className="flex flex-col gap-3" aria-label="Timeline">
          {items.map((item) => (
            <Entry key={`${item.type}-${item.type === "order" ? item.order.id : ""}-${item.at}`} item={item} />
          ))}
        </ol>
      </PagedList>
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
