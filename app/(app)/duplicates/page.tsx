import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { formatDate } from "@/components/ui/format";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { formatProbability } from "@/lib/identity/probability";
import { REVIEW_KIND_LABELS, listReviewItems } from "@/lib/identity/review";

export const metadata = { title: "Possible duplicates" };

const LIST_LIMIT = 100;

export default async function DuplicatesPage() {
  const me = await requireStaff(["manager", "hq"]);
  const items = withDb(listReviewItems, me.role === "hq" ? null : (me.storeId ?? -1), LIST_LIMIT);
  return (
    <section aria-labelledby="duplicates-heading" className="flex flex-col gap-4">
      <h1 id="duplicates-heading" className="text-2xl font-bold">
        Possible duplicates
      </h1>
      <p className="text-stone-600">
        Customers the match model finds likely to be one person but not sure enough to merge on its own, or sure but held back by a different card, birth year
        or first name; and identifiers shared by too many people.
        {me.role === "manager" ? " Shown: those involving customers of your store." : ""}
      </p>
      {items.length === LIST_LIMIT && <p className="text-sm text-stone-600">The {LIST_LIMIT} most likely are shown; more appear as these are decided.</p>}
      {items.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">Nothing to review.</p>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Items to review">
          {items.map((item) => (
            <li key={item.id} className="flex flex-wrap items-center justify-between gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
              <div className="min-w-0">
                <p className="font-semibold">
                  {item.a.name}
                  {item.b ? ` and ${item.b.name}` : ""}
                </p>
                <p className="text-sm text-stone-600">
                  {REVIEW_KIND_LABELS[item.kind]}
                  {item.score !== null && !item.reason.includes("likely") ? ` · ${formatProbability(item.score)}` : ""} · {item.reason} ·{" "}
                  {formatDate(item.createdAt)}
                </p>
              </div>
              <Link
                href={`/duplicates/${item.id}`}
                className={buttonClass("secondary")}
                aria-label={`Review ${item.a.name}${item.b ? ` and ${item.b.name}` : ""}`}
              >
                Review
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
