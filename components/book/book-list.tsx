"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { loadBookPageAction } from "@/lib/actions/book";
import type { BookCursor, BookPage } from "@/lib/book/assignments";
import { Button } from "../ui/button";
import { formatDate, formatMoney } from "../ui/format";
import { unwrap } from "../ui/unwrap";
import { BulkActions } from "./bulk-actions";
import { TableHead } from "@/components/ui/table-head";
import { AlertText } from "../ui/alert-text";

/** One associate's customers. Managers can select rows and act on them with the bulk toolbar. */
export function BookList({ storeId, staffId, firstPage, selectable }: { storeId: number; staffId: number; firstPage: BookPage; selectable: boolean }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const queryKey = ["book", storeId, staffId];
  const book = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => unwrap(loadBookPageAction({ storeId, staffId, after: pageParam })),
    initialPageParam: null as BookCursor | null,
    getNextPageParam: (last) => last.next,
    initialData: { pages: [firstPage], pageParams: [null] },
  });
  const rows = book.data?.pages.flatMap((p) => p.rows) ?? [];
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.profileId));
  const refresh = () => {
    setSelected(new Set());
    void queryClient.invalidateQueries({ queryKey });
    router.refresh();
  };
  return (
    <div className="flex flex-col gap-3">
      {selectable && <BulkActions storeId={storeId} profileIds={[...selected]} onDone={refresh} />}
      {rows.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">No customers in this book yet.</p>
      ) : (
        <table className="w-full overflow-hidden rounded-2xl bg-white text-left ring-1 ring-stone-200">
          <TableHead
            className="bg-stone-100 text-sm text-stone-700"
            cellClassName="px-3 py-2"
            leading={
              selectable && (
                <th className="w-14 px-2">
                  <label className="flex min-h-11 min-w-11 cursor-pointer items-center justify-center">
                    <input
                      type="checkbox"
                      className="size-6 accent-brand-600"
                      checked={allSelected}
                      onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.profileId)))}
                    />
                    <span className="sr-only">Select all shown</span>
                  </label>
                </th>
              )
            }
            columns={[
              "Customer",
              "Last purchase",
              { label: "Spend here", className: "px-3 py-2 text-right" },
              { label: "Spend, all channels", className: "px-3 py-2 text-right" },
              { label: "Follow-ups", className: "px-3 py-2 text-right" },
            ]}
          />
          <tbody>
            {rows.map((r) => (
              <tr key={r.profileId} className="border-t border-stone-200">
                {selectable && (
                  <td className="px-2">
                    <label className="flex min-h-11 min-w-11 cursor-pointer items-center justify-center">
                      <input type="checkbox" className="size-6 accent-brand-600" checked={selected.has(r.profileId)} onChange={() => toggle(r.profileId)} />
                      <span className="sr-only">Select {r.name}</span>
                    </label>
                  </td>
                )}
                <td className="px-3 py-2">
                  <Link href={`/customers/${r.profileId}`} className="flex min-h-11 flex-col justify-center font-semibold text-brand-800 underline">
                    {r.name}
                  </Link>
                  {r.tier && <span className="text-sm text-stone-600">{r.tier}</span>}
                </td>
                <td className="px-3 py-2">{r.lastPurchaseAt ? formatDate(r.lastPurchaseAt) : "Never"}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatMoney(r.storeSpend)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatMoney(r.lifetimeSpend)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{r.openFollowUps || "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AlertText message={book.error?.message} className="text-sm" />
      {book.hasNextPage && (
        <Button type="button" variant="secondary" className="self-center" disabled={book.isFetchingNextPage} onClick={() => void book.fetchNextPage()}>
          {book.isFetchingNextPage ? "Loading…" : "Show more"}
        </Button>
      )}
    </div>
  );
}
