import { pathToFileURL } from "node:url";
import { DEFAULT_DATABASE_PATH } from "@/db/client";

/** The database file a CLI opens: its --db flag, else DATABASE_PATH, else the app's own file. */
export function cliDatabasePath(flag?: string): string {
  return flag ?? process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH;
}

/**
 * Runs a CLI's `main` when its file is the one Node was started with (not when a test imports it),
 * exiting with the code main returns; an exception is printed as `describe` renders it, with code 1.
 */
export function runWhenMain(moduleUrl: string, main: (args: string[]) => Promise<number>, describe: (error: unknown) => unknown = (error) => error): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(describe(error));
      process.exit(1);
    },
  );
}
