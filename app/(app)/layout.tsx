import Link from "next/link";
import type { ReactNode } from "react";
import { ConnectionStatus } from "@/components/layout/connection-status";
import { TabletGuard } from "@/components/layout/tablet-guard";
import { buttonClass } from "@/components/ui/button";
import { getDb } from "@/db/server";
import { signOutAction } from "@/lib/actions/auth";
import { requireStaff } from "@/lib/auth/session";
import { getStore } from "@/lib/stores/stores";

const DEFAULT_LOCK_SECONDS = 120;
const ROLE_LABELS = { associate: "Sales associate", manager: "Store manager", hq: "Head office" } as const;

export default async function AppLayout({ children }: { children: ReactNode }) {
  const staff = await requireStaff();
  const store = getStore(getDb(), staff.storeId);
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex items-center justify-between gap-4 border-b border-stone-200 bg-white px-5 py-2">
        <nav aria-label="Main" className="flex items-center gap-1">
          <Link href="/" className="mr-3 flex min-h-11 items-center text-xl font-bold text-brand-800">
            Clientele
          </Link>
          <Link href="/" className={buttonClass("ghost", "text-sm")}>
            Find
          </Link>
          <Link href="/enrol" className={buttonClass("ghost", "text-sm")}>
            Enrol
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
          {staff.role === "hq" && (
            <Link href="/hq/rules" className={buttonClass("ghost", "text-sm")}>
              Suggestion rules
            </Link>
          )}
        </nav>
        <div className="flex items-center gap-3">
          <ConnectionStatus />
          <p className="text-right text-sm leading-tight">
            <span className="block font-semibold">{staff.name}</span>
            <span className="text-stone-600">
              {ROLE_LABELS[staff.role]}
              {store ? ` · ${store.name}` : " · All stores"}
            </span>
          </p>
          <TabletGuard lockAfterSeconds={store?.lockTimeoutSeconds ?? DEFAULT_LOCK_SECONDS} />
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
