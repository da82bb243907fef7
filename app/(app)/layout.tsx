import Link from "next/link";
import type { ReactNode } from "react";
import { ConnectionStatus } from "@/components/layout/connection-status";
import { TabletGuard } from "@/components/layout/tablet-guard";
import { buttonClass } from "@/components/ui/button";
import { ROLE_LABELS } from "@/components/ui/format";
import { getDb } from "@/db/server";
import { signOutAction } from "@/lib/actions/auth";
import { requireStaff, tabletStoreId } from "@/lib/next/session";
import { storeToday } from "@/lib/days";
import { countMyDue } from "@/lib/book/follow-ups";
import { getStore } from "@/lib/stores/stores";

const DEFAULT_LOCK_SECONDS = 120;

/** Tighter than a button: head office's eight links fit one row of a portrait tablet. */
const NAV_LINK = "inline-flex min-h-11 items-center gap-2 whitespace-nowrap rounded-xl px-2 text-sm font-semibold text-stone-700 hover:bg-stone-200";

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
      <header className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 border-b border-stone-200 bg-white px-3 py-2 lg:px-5">
        <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
          <Link href="/" className="mr-3 hidden min-h-11 items-center text-xl font-bold text-brand-800 lg:flex">
            Clientele
          </Link>
          <Link href="/" className={NAV_LINK}>
            Find
          </Link>
          <Link href="/enrol" className={NAV_LINK}>
            Enrol
          </Link>
          <Link href="/book" className={NAV_LINK}>
            {staff.role === "associate" ? "My customers" : "Client book"}
          </Link>
          <Link href="/follow-ups" className={NAV_LINK}>
            Follow-ups
            {due && due.due > 0 && (
              <span className={`rounded-full px-2 text-xs ${due.overdue ? "bg-red-100 text-red-900" : "bg-stone-200"}`} aria-label={`${due.due} due${due.overdue ? `, ${due.overdue} overdue` : ""}`}>
                {due.due}
              </span>
            )}
          </Link>
          {staff.role !== "associate" && (
            <Link href="/customers/list" className={NAV_LINK}>
              Customers
            </Link>
          )}
          {staff.role !== "associate" && (
            <Link href="/team" className={NAV_LINK}>
              Team
            </Link>
          )}
          {staff.role !== "associate" && (
            <Link href="/duplicates" className={NAV_LINK}>
              Duplicates
            </Link>
          )}
          {staff.role === "hq" && (
            <Link href="/hq/staff" className={NAV_LINK}>
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
