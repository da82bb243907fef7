/**
 * `npm run suggest -- --customer <profile id | source:id> [--store CODE] [--at YYYY-MM-DD] [--db file]`:
 * a customer's suggestion cards with the reason and score of each, as the profile page computes them.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";
import { DomainError } from "@/lib/errors";
import { askSuggestions, formatAsk } from "@/lib/suggest/ask";
import { cliDatabasePath, runWhenMain } from "./cli";

const USAGE = `tsx scripts/suggest.ts --customer <profile id | source:customer-id> [--store CODE] [--at YYYY-MM-DD]
    [--limit 6] [--db file]
  Without --store: head office's view (stock in any store counts). --at asks as of that day (noon UTC).`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customer: { type: "string" },
      store: { type: "string" },
      at: { type: "string" },
      limit: { type: "string" },
      db: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help || !values.customer) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 50))
    throw new DomainError("invalid_input", "--limit takes a whole number from 1 to 50.");
  const file = cliDatabasePath(values.db);
  if (!fs.existsSync(file)) throw new DomainError("invalid_input", `No database at ${file}: pass --db.`);
  const db = openDatabase(file, { readonly: true });
  try {
    console.log(formatAsk(askSuggestions(db, { customer: values.customer, store: values.store, at: values.at, limit })));
  } finally {
    closeDatabase(db);
  }
  return 0;
}

runWhenMain(import.meta.url, main, (error) => (error instanceof Error ? error.message : error));
