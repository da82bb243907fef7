import { buttonClass } from "./button";

/**
 * The error pages' way back. A plain link: every page's payload carries these pages' elements, and
 * with next/link the profile's would name a script the lookup page has not loaded, fetched after
 * Enter. From an error page a full load is fine.
 */
export function BackToLookup() {
  return (
    // eslint-disable-next-line @next/next/no-html-link-for-pages
    <a href="/" className={buttonClass("secondary")}>
      Back to customer lookup
    </a>
  );
}
