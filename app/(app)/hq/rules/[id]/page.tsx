import { notFound } from "next/navigation";
import { HqNav } from "@/components/hq/hq-nav";
import { RuleEditor } from "@/components/hq/rule-editor";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { listStoreNames } from "@/lib/stores/stores";
import { catalogueNames, findRule } from "@/lib/suggest/rules";
import { idFromPath } from "@/lib/validate";

export const metadata = { title: "Suggestion rule" };

export default async function RulePage({ params }: { params: Promise<{ id: string }> }) {
  await requireStaff(["hq"]);
  const id = idFromPath((await params).id);
  if (id === null) notFound();
  const rule = withDb(findRule, id);
  if (!rule) notFound();
  const stores = withDb(listStoreNames);
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/rules" />
      <h1 className="text-2xl font-bold">{rule.name}</h1>
      <RuleEditor rule={rule} stores={stores} names={withDb(catalogueNames)} />
    </div>
  );
}
