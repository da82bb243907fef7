import Link from "next/link";

const LINKS = [
  { href: "/hq/staff", label: "Staff" },
  { href: "/hq/stores", label: "Stores" },
  { href: "/hq/sources", label: "Sources" },
  { href: "/hq/identity", label: "Identity" },
  { href: "/hq/audit", label: "Audit log" },
  { href: "/hq/rules", label: "Suggestion rules" },
  { href: "/hq/associations", label: "Bought together" },
  { href: "/hq/suggestions", label: "Suggestion results" },
  { href: "/hq/api-keys", label: "API keys" },
  { href: "/hq/privacy", label: "Privacy requests" },
] as const;

export function HqNav({ current }: { current: (typeof LINKS)[number]["href"] }) {
  return (
    <nav aria-label="Head office" className="flex flex-wrap gap-1 self-start rounded-xl bg-stone-200 p-1">
      {LINKS.map((l) => (
        <Link
          key={l.href}
          href={l.href}
          aria-current={l.href === current ? "page" : undefined}
          className={`flex min-h-11 items-center rounded-lg px-4 text-sm font-semibold ${l.href === current ? "bg-white shadow-sm" : "text-stone-700"}`}
        >
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
