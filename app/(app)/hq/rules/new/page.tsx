import { HqNav } from "@/components/hq/hq-nav";
import { RuleEditor } from "@/components/hq/rule-editor";
import { withDb } from "@/lib/actions/app-db";
import { requireStaff } from "@/lib/actions/session";
import { listStoreNames } from "@/lib/stores/stores";
import { catalogueNames } from "@/lib/suggest/rules";

export const metadata = { title: "New suggestion rule" };

export default async function NewRulePage() {
  await requireStaff(["hq"]);
  const stores = withDb(listStoreNames);
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/rules" />
      <h1 className="text-2xl font-bold">New suggestion rule</h1>
      <RuleEditor rule={null} stores={stores} names={withDb(catalogueNames)} />
    </div>
  );
}
