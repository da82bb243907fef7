import { EnrolForm } from "@/components/enrol/enrol-form";

export const metadata = { title: "Enrol a customer" };

export default async function EnrolPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q } = await searchParams;
  return (
    <div className="mx-auto max-w-3xl">
      <EnrolForm initialQuery={typeof q === "string" ? q.slice(0, 200) : ""} />
    </div>
  );
}
