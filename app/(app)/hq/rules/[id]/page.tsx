import { notFound } from "next/navigation";
import { HqNav } from "@/components/hq/hq-nav";
import { RuleEditor } from "@/components/hq/rule-editor";
import { getDb } from "@/db/server";
import { suggestionRules } from "@/db/schema";
import { requireStaff } from "@/lib/next/session";
import { catalogueNames } from "@/lib/suggest/rules";
import { eq } from "drizzle-orm";

export const metadata = { title: "Suggestion rule" };

export default async function RulePage({ params }: { params: Promise<{ id: string }> }) {
  await requireStaff(["hq"]);
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const db = getDb();
  const rule = db.select().from(suggestionRules).where(eq(suggestionRules.id, id)).get();
  if (!rule) notFound();
  const stores = db.query.stores.findMany({ columns: { id: true, name: true }, orderBy: (s, { asc }) => asc(s.name) }).sync();
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/rules" />
      <h1 className="text-2xl font-bold">{rule.name}</h1>
      <RuleEditor rule={rule} stores={stores} names={catalogueNames(db)} />
    </div>
  );
}
