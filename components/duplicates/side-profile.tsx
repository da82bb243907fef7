import Link from "next/link";
import { FIELD_LABELS } from "@/components/profile/profile-header";
import type { SideProfile } from "@/lib/identity/review";
import { formatDate, formatMoney } from "../ui/format";
import { channelLabel } from "@/lib/customers/channels";

const IDENTIFIER_LABELS: Record<string, string> = { loyalty: "Loyalty ID", email: "Email", phone: "Phone" };

/** One of the two profiles under review: golden fields with where each comes from, the source records, identifiers and orders. */
export function SideProfileCard({ profile, label, other }: { profile: SideProfile; label: string; other: SideProfile | null }) {
  const otherValue = (field: string) => other?.golden.find((g) => g.field === field)?.value;
  return (
    <section aria-labelledby={`side-${profile.id}`} className="flex min-w-0 flex-col gap-4 rounded-3xl bg-white p-5 ring-1 ring-stone-200">
      <header>
        <p className="text-sm font-semibold uppercase tracking-wide text-stone-500">{label}</p>
        <h2 id={`side-${profile.id}`} className="text-2xl font-bold">
          <Link
            href={`/customers/${profile.id}`}
            className="inline-flex min-h-11 items-center underline decoration-stone-300 underline-offset-4 hover:decoration-brand-600"
          >
            {profile.name}
          </Link>
        </h2>
        <p className="text-sm text-stone-600">
          Customer {profile.id} · profile created {formatDate(profile.createdAt)}
        </p>
      </header>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5" aria-label={`Details of ${profile.name}`}>
        {profile.golden.map((g) => {
          const theirs = otherValue(g.field);
          const differs = other !== null && theirs !== undefined && theirs !== g.value;
          return (
            <div key={g.field} className="contents">
              <dt className="text-sm text-stone-600">{FIELD_LABELS[g.field] ?? g.field}</dt>
              <dd className="min-w-0">
                <span className={`break-words font-medium ${differs ? "rounded bg-amber-100 px-1" : ""}`}>{g.value}</span>
                {g.lineage && (
                  <span className="block text-xs text-stone-500">
                    from {g.lineage.source}, updated {formatDate(g.lineage.updatedAt)}
                  </span>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      <div>
        <h3 className="font-semibold" title="Source records: one per system (till, online shop, app, loyalty) that holds this customer">
          Records from our systems ({profile.records.length})
        </h3>
        <ul className="mt-1 flex flex-col gap-2 text-sm">
          {profile.records.map((r) => (
            <li key={r.id} className="rounded-xl bg-stone-50 px-3 py-2">
              <p className="font-medium">
                {r.source} #{r.sourceCustomerId} <span className="font-normal text-stone-500">· {formatDate(r.updatedAt)}</span>
              </p>
              <p className="break-words text-stone-700">{Object.values(r.fields).join(" · ") || "No details"}</p>
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h3 className="font-semibold">Identifiers</h3>
        {profile.identifiers.length === 0 ? (
          <p className="text-sm text-stone-600">None</p>
        ) : (
          <ul className="mt-1 text-sm">
            {profile.identifiers.map((i, n) => (
              <li key={n}>
                {IDENTIFIER_LABELS[i.type] ?? i.type} {i.value} <span className="text-stone-500">({i.source})</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <h3 className="font-semibold">
          Orders: {profile.orders.count}, {formatMoney(profile.orders.spend)}
        </h3>
        <ul className="mt-1 text-sm">
          {profile.orders.recent.map((o) => (
            <li key={o.id}>
              {formatDate(o.placedAt)} · {channelLabel(o.channel)}
              {o.store ? ` · ${o.store}` : ""} · {formatMoney(o.total)}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
