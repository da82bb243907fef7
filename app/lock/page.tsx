import Link from "next/link";
import { redirect } from "next/navigation";
import { UnlockForm } from "@/components/layout/unlock-form";
import { UnsavedNotice } from "@/components/offline/offline-notice";
import { withDb } from "@/lib/actions/app-db";
import { tabletStaff } from "@/lib/auth/pin";
import { currentStaff, tabletStoreId } from "@/lib/actions/session";
import { getStore } from "@/lib/stores/stores";

export const metadata = { title: "Locked" };

export default async function LockPage({ searchParams }: { searchParams: Promise<{ unsaved?: string }> }) {
  if (await currentStaff()) redirect("/");
  const storeId = await tabletStoreId();
  if (storeId === null) redirect("/sign-in");
  const store = withDb(getStore, storeId);
  const people = withDb(tabletStaff, storeId);
  const unsaved = Math.max(0, Math.trunc(Number((await searchParams).unsaved)) || 0);
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="w-full max-w-md rounded-3xl bg-white p-8 shadow-sm ring-1 ring-stone-200">
        <h1 className="text-2xl font-bold text-brand-800">Tablet locked</h1>
        <p className="mt-1 mb-6 text-stone-600">{store?.name ?? "Store tablet"}: choose your name and enter your PIN.</p>
        {unsaved > 0 && <UnsavedNotice count={unsaved} />}
        {people.length === 0 ? (
          <p className="text-stone-600">No one in this store has a PIN yet. A manager sets PINs for associates.</p>
        ) : (
          <UnlockForm people={people} />
        )}
        <Link href="/sign-in" className="mt-6 inline-flex min-h-11 items-center text-brand-700 underline">
          Sign in with a password instead
        </Link>
      </div>
    </main>
  );
}
