/**
 * `npm run suggest -- --customer <profile id | source:id> [--store CODE] [--at YYYY-MM-DD] [--db file]`:
 * a customer's suggestion cards with the reason and score of each, as the profile page computes them.
 */
import { askSuggestions, formatAsk } from "@/lib/suggest/ask";
import { UsageError, runCli } from "./cli";

const USAGE = `tsx scripts/suggest.ts --customer <profile id | source:customer-id> [--store CODE] [--at YYYY-MM-DD]
    [--limit 6] [--db file]
  Without --store: head office's view (stock in any store counts). --at asks as of that day (noon UTC).`;

runCli(import.meta.url, {
  usage: USAGE,
  options: { customer: { type: "string" }, store: { type: "string" }, at: { type: "string" }, limit: { type: "string" } },
  run({ values, db }) {
    if (!values.customer) throw new UsageError("--customer is required.");
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 50)) throw new UsageError("--limit takes a whole number from 1 to 50.");
    console.log(formatAsk(askSuggestions(db({ readonly: true, mustExist: true }), { customer: values.customer, store: values.store, at: values.at, limit })));
  },
});
