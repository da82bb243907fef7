import { BackToLookup } from "@/components/ui/back-to-lookup";

export default function Forbidden() {
  return (
    <main className="mx-auto flex max-w-xl flex-col items-start gap-4 p-10">
      <h1 className="text-2xl font-bold">You do not have access to this page</h1>
      {/* The same page for a customer out of reach and one who does not exist: it never says which IDs are customers. */}
      <p className="text-stone-600">
        It is outside what your role and store can open, or there is nothing here. Ask your manager if you think you should have access.
      </p>
      <BackToLookup />
    </main>
  );
}
