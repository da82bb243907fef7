import Link from "next/link";
import { EraseForm } from "@/components/hq/erase-form";
import { LiftSuppressionForm } from "@/components/hq/lift-suppression-form";
import { HqNav } from "@/components/hq/hq-nav";
import { buttonClass } from "@/components/ui/button";
import { formatDate } from "@/components/ui/format";
import { withDb } from "@/lib/actions/app-db";
import { writeAudit } from "@/lib/audit/audit";
import { requireStaff } from "@/lib/actions/session";
import { type LookupResult, lookupCustomer } from "@/lib/customers/lookup";
import { DomainError } from "@/lib/errors";
import { identitySettingsFor } from "@/lib/identity/settings-cache";
import { type SubjectSummary, subjectSummary } from "@/lib/privacy/subject";
import { HeadingRow } from "@/components/ui/heading-row";
import { idFromPath } from "@/lib/validate";

export const metadata = { title: "Privacy requests" };

const PROFILE_ID = /^#\s*(\d{1,12})$/;

export default async function PrivacyPage({ searchParams }: { searchParams: Promise<{ q?: string; profile?: string }> }) {
  const staff = await requireStaff(["hq"]);
  const { q = "", profile } = await searchParams;
  const query = q.trim();
  const byId = PROFILE_ID.exec(query)?.[1] ?? profile;
  let subject: SubjectSummary | null = null;
  let missing = false;
  let found: LookupResult | null = null;
  if (byId) {
    try {
      const id = idFromPath(byId.replace(/^0+(?=\d)/, ""));
      if (id === null) throw new DomainError("not_found");
      subject = withDb(subjectSummary, id);
      withDb(writeAudit, { staffId: staff.id, storeId: staff.storeId, action: "privacy.view", profileId: subject.profileId });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      missing = true;
    }
  } else if (query) {
    found = withDb(lookupCustomer, withDb(identitySettingsFor), query);
    withDb(writeAudit, {
      staffId: staff.id,
      storeId: staff.storeId,
      action: "privacy.lookup",
      detail: { by: found.kind === "invalid" ? "invalid" : found.by, matches: found.kind === "matches" ? found.candidates.length : 0 },
    });
  }
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/privacy" />
      <div>
        <h1 className="text-2xl font-bold">Privacy requests</h1>
        <p className="text-stone-600">Find the customer who asked, then download everything held about them or erase them.</p>
      </div>
      <form action="/hq/privacy" role="search" className="flex flex-wrap gap-2">
        <label htmlFor="privacy-q" className="sr-only">
          Loyalty ID, phone, email, name or #profile ID
        </label>
        <input
          id="privacy-q"
          name="q"
          type="search"
          defaultValue={q}
          placeholder="Loyalty ID, phone, email, name or #profile ID"
          className="min-h-11 min-w-0 flex-1 rounded-xl border border-stone-300 px-3"
        />
        <button type="submit" className={buttonClass("primary")}>
          Find
        </button>
      </form>
      {missing && (
        <p role="alert" className="rounded-2xl bg-white p-5 ring-1 ring-stone-200">
          No customer has profile ID {byId}.
        </p>
      )}
      {found?.kind === "invalid" && (
        <p role="alert" className="rounded-2xl bg-white p-5 ring-1 ring-stone-200">
          {found.reason}
        </p>
      )}
      {found?.kind === "none" && (
        <p className="rounded-2xl bg-white p-5 ring-1 ring-stone-200">
          Nobody found for “{found.searched}”. Erased customers cannot be found by their former details.
        </p>
      )}
      {found?.kind === "matches" && (
        <ul aria-label="Customers found" className="flex flex-col gap-2">
          {found.candidates.map((c) => (
            <li key={c.profileId}>
              <Link
                href={`/hq/privacy?profile=${c.profileId}`}
                className="flex min-h-11 flex-wrap items-center justify-between gap-2 rounded-2xl bg-white p-4 ring-1 ring-stone-200 hover:ring-brand-600"
              >
                <span className="font-semibold text-brand-800">{c.name}</span>
                <span className="text-sm text-stone-600">{[c.maskedEmail, c.maskedPhone, c.city, `#${c.profileId}`].filter(Boolean).join(" · ")}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {subject && <Subject subject={subject} />}
      <section aria-labelledby="returning-heading" className="flex flex-col gap-3 rounded-2xl bg-white p-5 ring-1 ring-stone-200">
        <h2 id="returning-heading" className="text-lg font-semibold">
          An erased customer comes back
        </h2>
        <p className="text-stone-700">
          After an erasure, records carrying the customer&apos;s former email, phone number or loyalty ID are refused. If they ask to be known again by one of
          them, allow that one here; the others stay refused.
        </p>
        <LiftSuppressionForm />
      </section>
    </div>
  );
}

function Subject({ subject }: { subject: SubjectSummary }) {
  return (
    <section aria-labelledby="subject-heading" className="flex flex-col gap-4 rounded-2xl bg-white p-5 ring-1 ring-stone-200">
      <HeadingRow id="subject-heading" className="text-xl font-bold" title={subject.name}>
        <p className="text-stone-600">
          Profile #{subject.profileId}
          {subject.loyaltyId ? ` · ${subject.loyaltyId}` : ""}
          {subject.city ? ` · ${subject.city}` : ""}
        </p>
      </HeadingRow>
      {subject.erasedAt && <p className="rounded-xl bg-stone-100 p-3">Erased on {formatDate(Date.parse(subject.erasedAt))}. Only anonymous sales remain.</p>}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 sm:grid-cols-3">
        {Object.entries(subject.counts).map(([label, n]) => (
          <div key={label} className="flex justify-between gap-2 border-b border-stone-100 py-1">
            <dt className="text-stone-600">{label}</dt>
            <dd className="font-semibold tabular-nums">{n}</dd>
          </div>
        ))}
      </dl>
      <div>
        <h3 className="mb-2 text-lg font-semibold">Access request</h3>
        {/* A plain link: the browser downloads the file; the route checks the role and audits. */}
        <a href={`/api/privacy/export/${subject.profileId}`} download className={buttonClass("secondary")}>
          Download everything (JSON)
        </a>
      </div>
      {!subject.erasedAt && (
        <div className="border-t border-stone-200 pt-4">
          <h3 className="mb-2 text-lg font-semibold text-red-800">Erasure request</h3>
          <p className="mb-3 text-stone-700">
            Removes the name, contact details, loyalty ID, birth date and address from the profile and from every source record, with notes, preferences and
            tags. Orders stay for sales figures without the customer. Sources that send this customer again are refused.
          </p>
          <EraseForm profileId={subject.profileId} name={subject.name} />
        </div>
      )}
    </section>
  );
}
