import Link from "next/link";
import { HqNav } from "@/components/hq/hq-nav";
import { RecomputeGolden, SourceList } from "@/components/hq/source-list";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { listSources } from "@/lib/hq/identity";
import { Panel } from "@/components/ui/panel";

export const metadata = { title: "Sources" };

export default async function SourcesPage() {
  await requireStaff(["hq"]);
  const sources = withDb(listSources);
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/sources" />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Sources</h1>
        <Link href="/hq/api-keys" className="flex min-h-11 items-center font-semibold text-brand-800 underline underline-offset-4">
          API keys for these systems
        </Link>
      </div>
      <p className="text-stone-600">
        Each field of a customer&apos;s profile comes from the most trusted system that has a value (lower rank wins; equal ranks go to the most recent), but
        for a name: a full name beats an initial, and a name written in capitals and small letters beats one keyed all in one case. A new order applies to every
        record received from now on; recompute to apply it to existing profiles too.
      </p>
      {sources.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">
          No source systems yet. They appear when an import or API client first sends customers.
        </p>
      ) : (
        <SourceList sources={sources} />
      )}
      <Panel headingId="recompute" title="Apply the trust order to existing profiles" className="flex flex-col gap-3">
        <RecomputeGolden />
      </Panel>
    </div>
  );
}
