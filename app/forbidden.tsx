import { BackToLookup } from "@/components/ui/back-to-lookup";

export default function Forbidden() {
  return (
    <main className="mx-auto flex max-w-xl flex-col items-start gap-4 p-10">
      <h1 className="text-2xl font-bold">You do not have access to this page</h1>
      <p className="text-stone-600">Your role does not include it. Ask your manager if you think it should.</p>
      <BackToLookup />
    </main>
  );
}
