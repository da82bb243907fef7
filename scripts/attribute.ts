/**
 * `npm run attribute -- [--db data/clientele.db] [--since 2026-01-01]`: marks suggestions converted
 * by later purchases (lib/suggest/feedback.ts). Meant to run after each import of orders, or nightly;
 * it is idempotent, and without --since it looks back over the conversion window plus a day.
 */
import { attributeConversions } from "@/lib/suggest/feedback";
import { UsageError, runCli } from "./cli";

runCli(import.meta.url, {
  usage: "tsx scripts/attribute.ts [--db file] [--since YYYY-MM-DD]",
  options: { since: { type: "string" } },
  run({ values, file, db }) {
    const since = values.since === undefined ? undefined : Date.parse(values.since);
    if (since !== undefined && !Number.isFinite(since)) throw new UsageError(`--since must be a date (YYYY-MM-DD), got ${values.since}`);
    const started = performance.now();
    const s = attributeConversions(db(), { since });
    console.log(
      `${file}: ${s.checked} suggestions checked, ${s.converted} converted (${(s.revenue / 100).toFixed(2)} attributed) within ${s.windowDays} days, in ${((performance.now() - started) / 1000).toFixed(2)} s`,
    );
  },
});
