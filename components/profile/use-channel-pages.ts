"use client";

import { type InfiniteData, useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Channel } from "@/lib/customers/channels";

/**
 * A customer's history newest first, a page at a time, filtered by channel: the pages of `load`,
 * each naming the cursor of the next. `firstPage`, when given, is the unfiltered first page the server rendered.
 */
export function useChannelPages<Page extends { next: Cursor | null }, Cursor>(
  key: readonly unknown[],
  load: (channel: Channel | null, before: Cursor | null) => Promise<Page>,
  firstPage?: Page,
) {
  const [channel, setChannel] = useState<Channel | null>(null);
  const query = useInfiniteQuery<Page, Error, InfiniteData<Page, Cursor | null>, readonly unknown[], Cursor | null>({
    queryKey: [...key, channel],
    queryFn: ({ pageParam }) => load(channel, pageParam as Cursor | null),
    initialPageParam: null,
    getNextPageParam: (last) => last.next,
    initialData: firstPage && channel === null ? { pages: [firstPage], pageParams: [null] } : undefined,
  });
  return { channel, setChannel, query, pages: query.data?.pages ?? [] };
}
