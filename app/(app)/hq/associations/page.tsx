import Link from "next/link";
import { AssociationsView } from "@/components/suggest/associations-view";
import { HqNav } from "@/components/hq/hq-nav";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { findItems, itemAssociations } from "@/lib/suggest/associations";

export const metadata = { title: "Bought together" };

const text = (v: string | string[] | undefined) => (typeof v === "string" ? v.slice(0, 200) : "");

export default async function AssociationsPage({ searchParams }: { searchParams: Promise<{ q?: string | string[]; item?: string | string[] }> }) {
  await requireStaff(["hq"]);
  const params = await searchParams;
  const q = text(params.q);
  const item = text(params.item);
  const matches = withDb(findItems, q);
  const chosen = item ? withDb(itemAssociations, item) : null;
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/associations" />
      <h1 className="text-2xl font-bold">Bought together</h1>
      <AssociationsView query={q} matches={matches} chosen={chosen} missing={item !== "" && chosen === null ? item : null} />
      <p className="text-sm text-stone-600">
        Pairs come from the nightly mining run over every order and each customer&apos;s purchases within 90 days. Tablets use the strongest for &ldquo;goes
        with what you bought&rdquo;; to push a pair yourself,{" "}
        <Link href="/hq/rules/new" className="text-brand-800 underline">
          write a rule
        </Link>
        .
      </p>
    </div>
  );
}
