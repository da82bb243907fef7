import Link from "next/link";

export const pillClass = (on: boolean) =>
  `inline-flex min-h-11 items-center gap-2 rounded-xl px-4 text-sm font-semibold ${on ? "bg-brand-600 text-white" : "bg-white text-stone-800 ring-1 ring-stone-300 hover:bg-stone-100"}`;

/** Head office's choice of store on the book and follow-up pages. */
export function StorePicker({
  stores,
  current,
  hrefFor,
}: {
  stores: { id: number; name: string }[];
  current: number | undefined;
  hrefFor: (storeId: number) => string;
}) {
  if (stores.length === 0) return null;
  return (
    <nav aria-label="Store" className="flex flex-wrap gap-2">
      {stores.map((s) => (
        <Link key={s.id} href={hrefFor(s.id)} className={pillClass(s.id === current)} aria-current={s.id === current ? "page" : undefined}>
          {s.name}
        </Link>
      ))}
    </nav>
  );
}
