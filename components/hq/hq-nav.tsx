import Link from "next/link";

const LINKS = [
  { href: "/hq/rules", label: "Suggestion rules" },
  { href: "/hq/suggestions", label: "Suggestion results" },
  { href: "/hq/privacy", label: "Privacy requests" },
] as const;

export function HqNav({ current }: { current: (typeof LINKS)[number]["href"] }) {
  return (
    <nav aria-label="Head office" className="flex gap-1 rounded-xl bg-stone-200 p-1 self-start">
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
