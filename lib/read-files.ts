import readline from "node:readline";
import { type Readable, pipeline } from "node:stream";
import { type Options, parse } from "csv-parse";
import { DomainError } from "@/lib/errors";

/**
 * Reading a file that a person gave (an import, a basket file) line by line or as CSV records: a
 * file that fails part-way is a DomainError naming it, never an unhandled stream error.
 */

/** A file that fails while it is read (a disk error, a file that is not what it claims): said as such, not a crash. */
function unreadable(path: string, err: Error): DomainError {
  return new DomainError("invalid_input", `Could not read ${path}: ${err.message}.`);
}

/** A system error of the stream itself (it has the failing call), as against an error of what reads it. */
const isReadError = (err: unknown): err is NodeJS.ErrnoException => err instanceof Error && "syscall" in err;

/**
 * A file's lines. readline's iterator does not always pass on an error of its input: run as the
 * import CLI, a first read that failed was an unhandled 'error' event that ended the process with a
 * stack trace. Here the reading stops either way and the caller gets a DomainError naming the file.
 */
export async function* linesOf(input: Readable, path: string): AsyncGenerator<string> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let failure = null as Error | null;
  input.on("error", (err) => {
    failure = err;
    lines.close();
  });
  try {
    for await (const line of lines) yield line;
  } catch (err) {
    throw isReadError(err) ? unreadable(path, err) : err;
  } finally {
    input.destroy();
  }
  if (failure) throw unreadable(path, failure);
}

/**
 * What `reading` yields, read from the file `input`: a read error of the file is a DomainError
 * naming it, and the file is closed however the loop ends.
 */
async function* namingReadErrors<T>(reading: AsyncIterable<T>, input: Readable, path: string): AsyncGenerator<T> {
  try {
    for await (const item of reading) yield item;
  } catch (err) {
    throw isReadError(err) ? unreadable(path, err) : err;
  } finally {
    input.destroy();
  }
}

/** A file's bytes in the stream's chunks; a read error is a DomainError naming the file. */
export async function* chunksOf(input: Readable, path: string): AsyncGenerator<Buffer> {
  yield* namingReadErrors(input as AsyncIterable<Buffer>, input, path);
}

/** A CSV file's records through csv-parse; the file's own read errors reach the loop (pipeline), as a DomainError. */
export async function* csvRecordsOf<T>(
  input: Readable,
  path: string,
  options: Options,
  onSkip: (err: Error & { code?: string; lines?: number }) => void,
): AsyncGenerator<T> {
  const parser = parse(options);
  parser.on("skip", onSkip);
  pipeline(input, parser, () => {});
  yield* namingReadErrors(parser as AsyncIterable<T>, input, path);
}
