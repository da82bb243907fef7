"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { loadActivityAction } from "@/lib/actions/profile";
import type { ActivityItem } from "@/lib/customers/clienteling";
import { Button } from "../ui/button";
import { formatDate } from "../ui/format";
import { unwrap } from "../ui/unwrap";

const KIND_LABELS: Record<ActivityItem["kind"], string> = { view: "Viewed", wishlist: "Wish-listed", cart: "Left in cart", visit: "Visited" };

export function ActivityPanel({ profileId, grant, firstPage }: { profileId: number; grant: string | null; firstPage: { items: ActivityItem[]; next: number | null } }) {
  const activity = useInfiniteQuery({
    queryKey: ["activity", profileId],
    queryFn: ({ pageParam }) => unwrap(loadActivityAction({ profileId, grant, before: pageParam })),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.next,
    initialData: { pages: [firstPage], pageParams: [null] },
  });
  const items = activity.data.pages.flatMap((p) => p.items);
  return (
    <section aria-labelledby="activity-heading" className="rounded-3xl bg-white p-5 ring-1 ring-stone-200">
      <h2 id="activity-heading" className="text-lg font-bold">
        Browsing and visits
      </h2>
      {items.length === 0 ? (
        <p className="mt-2 text-stone-600">Nothing viewed, wish-listed or left in a cart, and no store visits recorded.</p>
      ) : (
        <ul className="mt-2 divide-y divide-stone-100">
          {items.map((item) => (
            <li key={item.id} className="flex items-center gap-3 py-2" data-testid="activity-item">
              {item.productImage && <img src={item.productImage} alt="" width={36} height={36} className="size-9 rounded-lg bg-stone-100" />}
              <div className="flex-1">
                <p>
                  {KIND_LABELS[item.kind]}
                  {item.productName ? ` ${item.productName}` : ""}
                  {item.promoPercent ? <span className="ml-2 rounded-full bg-rose-100 px-2 text-sm font-semibold text-rose-900">{item.promoPercent}% off now</span> : null}
                </p>
                <p className="text-sm text-stone-600">
                  {formatDate(item.at)} · {item.place}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      {activity.hasNextPage && (
        <Button variant="ghost" onClick={() => activity.fetchNextPage()} disabled={activity.isFetchingNextPage} className="mt-2">
          {activity.isFetchingNextPage ? "Loading…" : "Show more"}
        </Button>
      )}
    </section>
  );
}
