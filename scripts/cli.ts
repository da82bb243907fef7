import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type Db, DEFAULT_DATABASE_PATH, openDatabase } from "@/db/client";
import { closeDatabase } from "@/db/maintenance";

/** The database file a CLI opens: its --db flag, else DATABASE_PATH, else the app's own file. */
export function cliDatabasePath(flag?: string): string {
  return flag ?? process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH;
}

/** A wrong or missing argument: printed with the usage, exit code 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;
const COMMON = { db: { type: "string" }, help: { type: "boolean", short: "h" } } as const;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O & typeof COMMON; strict: true; allowPositionals: true; tokens: true }>>;

export type Cli<O extends Options> = {
  values: Parsed<O>["values"];
  positionals: string[];
  /** Options and positionals in the order given, for a CLI where an option applies to the files after it. */
  tokens: Parsed<O>["tokens"];
  /** The --db file (else DATABASE_PATH, else the app's own). */
  file: string;
  /** Opens the database once; runCli closes it when `run` ends, however it ends. */
  db(options?: { readonly?: boolean; mustExist?: boolean }): Db;
};

/**
 * One CLI: parses its options (plus --db and --help), runs it with the database opened on demand and
 * always closed, and maps failures to an exit code: 2 with the usage for bad arguments, 1 with the
 * message (never a stack) for anything else. It runs only when its file is the one Node was started
 * with, not when a test imports the file.
 */
export function runCli<const O extends Options = Record<never, never>>(
  moduleUrl: string,
  spec: { usage: string; options?: O; positionals?: boolean; run: (cli: Cli<O>) => Promise<number | void> | number | void },
): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const main = async (argv: string[]): Promise<number> => {
    let parsed: Parsed<O>;
    try {
      parsed = parseArgs({
        args: argv,
        options: { ...spec.options, ...COMMON },
        strict: true,
        allowPositionals: spec.positionals ?? false,
        tokens: true,
      }) as Parsed<O>;
    } catch (error) {
      return usageError(error, spec.usage);
    }
    const common = parsed.values as { db?: string; help?: boolean };
    if (common.help) {
      console.log(spec.usage);
      return 0;
    }
    const file = cliDatabasePath(common.db);
    let db: Db | undefined;
    const cli: Cli<O> = {
      values: parsed.values,
      positionals: parsed.positionals,
      tokens: parsed.tokens,
      file,
      db(options = {}) {
        if (options.mustExist && file !== ":memory:" && !fs.existsSync(file)) throw new UsageError(`No database at ${file}: pass --db.`);
        db ??= openDatabase(file, { readonly: options.readonly });
        return db;
      },
    };
    try {
      return (await spec.run(cli)) ?? 0;
    } catch (error) {
      if (error instanceof UsageError) return usageError(error, spec.usage);
      console.error(error instanceof Error ? error.message : error);
      return 1;
    } finally {
      if (db) closeDatabase(db);
    }
  };
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}

function usageError(error: unknown, usage: string): number {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
  return 2;
}
