import type { ReactNode } from "react";

/** A white card with its heading, the section named by it: the profile's side panels and head office's boxes. */
export function Panel({ headingId, title, className = "", children }: { headingId: string; title: ReactNode; className?: string; children: ReactNode }) {
  return (
    <section aria-labelledby={headingId} className={`rounded-3xl bg-white p-5 ring-1 ring-stone-200 ${className}`}>
      <h2 id={headingId} className="text-lg font-bold">
        {title}
      </h2>
      {children}
    </section>
  );
}
