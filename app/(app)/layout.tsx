import Link from "next/link";
import type { ReactNode } from "react";
import { ConnectionStatus } from "@/components/layout/connection-status";
import { TabletGuard } from "@/components/layout/tablet-guard";
import { buttonClass } from "@/components/ui/button";
import { ROLE_LABELS } from "@/components/ui/format";
import { getDb } from "@/db/server";
import { signOutAction } from "@/lib/actions/auth";
import { requireStaff, tabletStoreId } from "@/lib/auth/session";
import { storeToday } from "@/lib/book/days";
import { countMyDue } from "@/lib/book/follow-ups";
import { getStore } from "@/lib/stores/stores";

const DEFAULT_LOCK_SECONDS = 120;

export default async function AppLayout({ children }: { children: ReactNode }) {
  const staff = await requireStaff();
  const db = getDb();
  const store = getStore(db, staff.storeId);
  // A store tablet locks on its store's timeout, whoever is signed in (head office visiting included).
  const tabletStore = await tabletStoreId();
  const lockStore = tabletStore === null || tabletStore === store?.id ? store : getStore(db, tabletStore);
  const due = staff.role === "associate" ? countMyDue(db, staff.id, storeToday()) : null;
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 border-b border-stone-200 bg-white px-5 py-2">
        <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
          <Link href="/" className="mr-3 flex min-h-11 items-center text-xl font-bold text-brand-800">
            Clientele
          </Link>
          <Link href="/" className={buttonClass("ghost", "text-sm")}>
            Find
          </Link>
          <Link href="/enrol" className={buttonClass("ghost", "text-sm")}>
            Enrol
          </Link>
          <Link href="/book" className={buttonClass("ghost", "text-sm whitespace-nowrap")}>
            {staff.role === "associate" ? "My customers" : "Client book"}
          </Link>
          <Link href="/follow-ups" className={buttonClass("ghost", "text-sm whitespace-nowrap")}>
            Follow-ups
            {due && due.due > 0 && (
              <span className={`rounded-full px-2 text-xs ${due.overdue ? "bg-red-100 text-red-900" : "bg-stone-200"}`} aria-label={`${due.due} due${due.overdue ? `, ${due.overdue} overdue` : ""}`}>
                {due.due}
              </span>
            )}
          </Link>
          {staff.role !== "associate" && (
            <Link href="/customers/list" className={buttonClass("ghost", "text-sm")}>
              Customers
            </Link>
          )}
          {staff.role !== "associate" && (
            <Link href="/team" className={buttonClass("ghost", "text-sm")}>
              Team
            </Link>
          )}
          {staff.role !== "associate" && (
            <Link href="/duplicates" className={buttonClass("ghost", "text-sm")}>
              Duplicates
            </Link>
          )}
          {staff.role === "hq" && (
            <Link href="/hq/staff" className={buttonClass("ghost", "text-sm")}>
              Head office
            </Link>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <ConnectionStatus />
          <p className="text-right text-sm leading-tight">
            <span className="block font-semibold">{staff.name}</span>
            <span className="text-stone-600">
              {ROLE_LABELS[staff.role]}
              {store ? ` · ${store.name}` : " · All stores"}
            </span>
          </p>
          <TabletGuard lockAfterSeconds={lockStore?.lockTimeoutSeconds ?? DEFAULT_LOCK_SECONDS} />
          <form action={signOutAction}>
            <button type="submit" className={buttonClass("ghost", "text-sm")}>
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-5 sm:px-6">{children}</main>
    </div>
  );
}
