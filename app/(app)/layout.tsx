import type { ReactNode } from "react";
import { ConnectionStatus } from "@/components/layout/connection-status";
import { MainNav, type NavLink } from "@/components/layout/main-nav";
import { OfflineNavGuard } from "@/components/offline/offline-nav-guard";
import { AfterPaint } from "@/components/ui/after-paint";
import { TabletGuard } from "@/components/layout/tablet-guard";
import { buttonClass } from "@/components/ui/button";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { withDb } from "@/lib/actions/app-db";
import { signOutAction } from "@/lib/actions/auth";
import { requireStaff, tabletStoreId } from "@/lib/actions/session";
import { storeToday } from "@/lib/days";
import { countMyDue } from "@/lib/book/follow-ups";
import { getStore } from "@/lib/stores/stores";

const DEFAULT_LOCK_SECONDS = 120;

export default async function AppLayout({ children }: { children: ReactNode }) {
  const staff = await requireStaff();
  const store = withDb(getStore, staff.storeId);
  // A store tablet locks on its store's timeout, whoever is signed in (head office visiting included).
  const tabletStore = await tabletStoreId();
  const lockStore = tabletStore === null || tabletStore === store?.id ? store : withDb(getStore, tabletStore);
  const due = staff.role === "associate" ? withDb(countMyDue, staff.id, storeToday()) : null;
  const secondary: NavLink[] =
    staff.role === "associate"
      ? []
      : [
          { href: "/customers/list", label: "Customers" },
          { href: "/team", label: "Team" },
          { href: "/duplicates", label: "Duplicates" },
          ...(staff.role === "hq" ? [{ href: "/hq/staff", label: "Head office" }] : []),
        ];
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex items-center justify-between gap-2 border-b border-stone-200 bg-white px-3 py-2 lg:px-5">
        <MainNav
          primary={[
            { href: "/", label: "Find" },
            { href: "/enrol", label: "Enrol" },
            { href: "/book", label: staff.role === "associate" ? "My customers" : "Client book" },
            {
              href: "/follow-ups",
              label: "Follow-ups",
              badge: due ? { count: due.due, urgent: due.overdue > 0, label: `${due.due} due${due.overdue ? `, ${due.overdue} overdue` : ""}` } : undefined,
            },
          ]}
          secondary={secondary}
        />
        <div className="flex min-w-0 items-center gap-1">
          <p
            className="min-w-0 max-w-40 text-right text-sm leading-tight lg:max-w-56"
            title={`${staff.name}, ${ROLE_LABELS[staff.role]}${store ? `, ${store.name}` : ", all stores"}`}
          >
            <span className="block truncate font-semibold">{staff.name}</span>
            {/* Role and store on lines of their own: a long store name cut off on a tablet cannot be read any other way. */}
            <span className="block truncate text-xs text-stone-600">{ROLE_LABELS[staff.role]}</span>
            <span className="block truncate text-xs text-stone-600">{store ? store.name : "All stores"}</span>
          </p>
          <TabletGuard lockAfterSeconds={lockStore?.lockTimeoutSeconds ?? DEFAULT_LOCK_SECONDS} />
          <form action={signOutAction}>
            <button type="submit" className={buttonClass("ghost", "whitespace-nowrap px-3 text-sm")}>
              Sign out
            </button>
          </form>
        </div>
      </header>
      <ConnectionStatus />
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-5 sm:px-6">{children}</main>
      {/* The guard draws nothing until a tap is held, so it can wait for the first frame. It also puts
          AfterPaint in the shell's code: the profile defers its side panels with it, and a component
          only the profile used would be fetched after the lookup's answer, and the name wait for it. */}
      <AfterPaint fallback={null}>
        <OfflineNavGuard />
      </AfterPaint>
    </div>
  );
}
