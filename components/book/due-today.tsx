import Link from "next/link";
import { formatDay } from "@/lib/days";
import { FOLLOW_UP_CHANNEL_LABELS } from "@/lib/customers/channels";
import type { FollowUpView } from "@/lib/book/follow-ups";
import { HeadingRow } from "../ui/heading-row";

const SHOWN = 3;

/**
 * The associate's follow-ups to do, on the page they open the day with: the earliest few, and the way to all.
 * Its links are not prefetched: every page renders per request, so a prefetch would only have the
 * server render them while the assistant is looking a customer up on this page.
 */
export function DueToday({ items, today }: { items: FollowUpView[]; today: string }) {
  const overdue = items.filter((f) => f.overdue).length;
  return (
    <section aria-labelledby="due-today-heading" className="flex flex-col gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <HeadingRow id="due-today-heading" className="text-lg font-bold" title="Your follow-ups">
        <Link href="/follow-ups" prefetch={false} className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline">
          {items.length === 0 ? "See snoozed and done" : `All ${items.length} to do${overdue ? `, ${overdue} overdue` : ""}`}
        </Link>
      </HeadingRow>
      {items.length === 0 ? (
        <p className="text-stone-600">Nothing to do.</p>
      ) : (
        <ul className="flex flex-col divide-y divide-stone-200" aria-label="To do">
          {items.slice(0, SHOWN).map((f) => (
            <li key={f.id} className="flex flex-wrap items-center justify-between gap-x-4 py-1">
              <Link href={`/customers/${f.profileId}`} prefetch={false} className="flex min-h-11 flex-col justify-center">
                <span className="font-semibold text-brand-800 underline">{f.customerName}</span>
                <span className="text-sm text-stone-600">
                  {f.title} · {FOLLOW_UP_CHANNEL_LABELS[f.channel]}
                </span>
              </Link>
              <span className={`text-sm ${f.overdue ? "font-semibold text-red-800" : "text-stone-600"}`}>
                {f.overdue ? `Overdue since ${formatDay(f.dueOn)}` : f.dueOn === today ? "Due today" : `Due ${formatDay(f.dueOn)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
