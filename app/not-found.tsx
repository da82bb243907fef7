import { BackToLookup } from "@/components/ui/back-to-lookup";

export default function NotFound() {
  return (
    <main className="mx-auto flex max-w-xl flex-col items-start gap-4 p-10">
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="text-stone-600">There is nothing here. The customer may have been erased, or the link is wrong.</p>
      <BackToLookup />
    </main>
  );
}
