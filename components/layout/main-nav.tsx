"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useRef } from "react";

export type NavLink = { href: string; label: string; badge?: { count: number; label: string; urgent: boolean } };

const LINK = "min-h-11 shrink-0 items-center gap-2 whitespace-nowrap rounded-xl px-2 text-sm font-semibold text-stone-700 hover:bg-stone-200";
const CURRENT = "bg-stone-200 text-stone-900";

function isCurrent(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

function NavItem({ link, pathname, className = "inline-flex" }: { link: NavLink; pathname: string; className?: string }) {
  const current = isCurrent(pathname, link.href);
  return (
    <Link href={link.href} prefetch={false} aria-current={current ? "page" : undefined} className={`${LINK} ${current ? CURRENT : ""} ${className}`}>
      {link.label}
      {link.badge && link.badge.count > 0 && (
        <span className={`rounded-full px-2 text-xs ${link.badge.urgent ? "bg-red-100 text-red-900" : "bg-stone-200"}`} aria-label={link.badge.label}>
          {link.badge.count}
        </span>
      )}
    </Link>
  );
}

/**
 * Every page is rendered per request, so a prefetch brings little but the route's outline, and the
 * header's links would be prefetched again after every navigation, beside the page being opened:
 * they are fetched when tapped.
 *
 * One header row in both orientations: the links every role uses stay in sight; a manager's and
 * head office's own pages sit inline on a landscape tablet and under "More" on a portrait one.
 */
export function MainNav({ primary, secondary }: { primary: NavLink[]; secondary: NavLink[] }) {
  const pathname = usePathname();
  const inMore = secondary.find((l) => isCurrent(pathname, l.href));
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      <Link
        href="/"
        prefetch={false}
        aria-label="Clientele"
        className="mr-1 flex min-h-11 min-w-11 shrink-0 items-center gap-2 text-lg font-bold text-brand-800 lg:mr-2"
      >
        <img src="/icons/icon.svg" alt="" width={28} height={28} />
        <span className="hidden lg:inline">Clientele</span>
      </Link>
      {primary.map((l) => (
        <NavItem key={l.href} link={l} pathname={pathname} />
      ))}
      {secondary.map((l) => (
        <NavItem key={l.href} link={l} pathname={pathname} className="hidden xl:inline-flex" />
      ))}
      {secondary.length > 0 && (
        <Menu label="More" className="xl:hidden" current={Boolean(inMore)}>
          {secondary.map((l) => (
            <NavItem key={l.href} link={l} pathname={pathname} className="flex w-full" />
          ))}
        </Menu>
      )}
    </nav>
  );
}

/** A disclosure menu that closes when the page changes, on Escape and on a tap outside. */
export function Menu({
  label,
  children,
  className = "",
  current = false,
  align = "left",
}: {
  label: ReactNode;
  children: ReactNode;
  className?: string;
  current?: boolean;
  align?: "left" | "right";
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    ref.current?.removeAttribute("open");
  }, [pathname]);
  useEffect(() => {
    const close = (e: Event) => {
      const details = ref.current;
      if (!details?.open) return;
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !details.contains(e.target as Node)) details.removeAttribute("open");
    };
    document.addEventListener("pointerdown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("pointerdown", close);
      document.removeEventListener("keydown", close);
    };
  }, []);
  return (
    <details ref={ref} className={`relative ${className}`}>
      <summary className={`${LINK} flex cursor-pointer list-none ${current ? CURRENT : ""}`}>
        {label}
        <span aria-hidden="true">▾</span>
      </summary>
      <div
        className={`absolute top-full z-30 mt-1 flex min-w-48 flex-col gap-1 rounded-2xl bg-white p-2 shadow-lg ring-1 ring-stone-200 ${align === "right" ? "right-0" : "left-0"}`}
      >
        {children}
      </div>
    </details>
  );
}
