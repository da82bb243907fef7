import type { ProfileSummary } from "@/lib/customers/profile";
import { formatDate, formatMoney, tierLabel } from "../ui/format";

export const FIELD_LABELS: Record<string, string> = {
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  phone: "Phone",
  loyaltyId: "Loyalty ID",
  birthDate: "Birth date",
  city: "City",
  postcode: "Postcode",
  tier: "Tier",
};

const CONSENT_LABELS: Record<string, string> = { email: "Email", sms: "SMS", post: "Post", phone: "Phone" };

export function ProfileHeader({ profile }: { profile: ProfileSummary }) {
  return (
    <section aria-labelledby="customer-name" className="rounded-3xl bg-white p-5 ring-1 ring-stone-200">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 id="customer-name" className="text-3xl font-bold">
            {profile.name}
          </h1>
          <p className="mt-1 text-stone-600">
            {[profile.loyaltyId && `Card ${profile.loyaltyId}`, profile.maskedEmail, profile.maskedPhone, profile.city].filter(Boolean).join(" · ") ||
              "No contact details on file"}
          </p>
        </div>
        {profile.tier && <span className="rounded-full bg-brand-100 px-4 py-1.5 font-semibold text-brand-800">{tierLabel(profile.tier)}</span>}
      </div>
      <div className="mt-4 flex flex-wrap gap-2 text-sm" aria-label="Contact consents">
        {Object.keys(profile.consents).length === 0 && <span className="text-stone-600">No contact consent recorded</span>}
        {Object.entries(profile.consents).map(([channel, consent]) => (
          <span
            key={channel}
            title={`${consent.granted ? "Given" : "Refused"} ${formatDate(consent.at)} via ${consent.source}`}
            className={`rounded-full px-3 py-1 ${consent.granted ? "bg-emerald-50 text-emerald-900 ring-1 ring-emerald-200" : "bg-stone-100 text-stone-700 ring-1 ring-stone-200"}`}
          >
            {CONSENT_LABELS[channel] ?? channel}: {consent.granted ? "yes" : "no"}
          </span>
        ))}
      </div>
      <details className="mt-3 text-sm text-stone-600">
        <summary className="min-h-11 cursor-pointer content-center">
          {/* A source that re-used its ID for someone else took the customer's only record with it. */}
          {profile.sources.length ? `Known to: ${profile.sources.map((s) => s.label).join(", ")}` : "Known to no source now: the details its last record held"}
        </summary>
        <ul className="mt-1 grid gap-1 sm:grid-cols-2" aria-label="Where each detail comes from">
          {Object.entries(profile.lineage).map(([field, from]) => (
            <li key={field}>
              {FIELD_LABELS[field] ?? field} from {profile.sources.find((s) => s.source === from.source)?.label ?? from.source}, updated{" "}
              {formatDate(from.updatedAt)}
            </li>
          ))}
        </ul>
      </details>
      <dl className="mt-5 grid grid-cols-2 gap-3 sm:grid-cols-5">
        <Stat label="Lifetime spend" value={formatMoney(profile.lifetimeSpend)} />
        <Stat label="Orders" value={String(profile.orderCount)} />
        <Stat label="Average order" value={profile.averageOrderValue === null ? "—" : formatMoney(profile.averageOrderValue)} />
        <Stat label="Last purchase" value={profile.lastPurchaseAt ? formatDate(profile.lastPurchaseAt) : "—"} />
        <Stat label="Buys most" value={profile.topCategories.map((c) => c.category).join(", ") || "—"} />
      </dl>
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-2xl bg-stone-50 px-4 py-3">
      <dt className="text-sm text-stone-600">{label}</dt>
      <dd className="text-lg font-semibold">{value}</dd>
    </div>
  );
}
