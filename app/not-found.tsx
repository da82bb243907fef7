import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="mx-auto flex max-w-xl flex-col items-start gap-4 p-10">
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="text-stone-600">There is nothing here. The customer may have been erased, or the link is wrong.</p>
      {/* A plain link: every page's payload carries this element, and with next/link the profile's
          would name a script the lookup page has not loaded, fetched after Enter. From an error page
          a full load is fine. */}
      {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
      <a href="/" className={buttonClass("secondary")}>
        Back to customer lookup
      </a>
    </main>
  );
}
