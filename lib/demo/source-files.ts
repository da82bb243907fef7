import fs from "node:fs";
import path from "node:path";
import { buildCatalogue } from "./catalogue";
import { DEMO_CUSTOMER_COUNT } from "./demo-customers";
import { HistoryGenerator, Sequences } from "./history";
import { PeopleStream, recordsOf } from "./people";
import { Random } from "./random";

/** Customer sources in load order: the loyalty programme first, as tills sell on its cards. */
export const CUSTOMER_SOURCES = ["loyalty", "ecom", "app", "pos"] as const;
const ORDER_SOURCES = ["pos", "ecom", "app"] as const;

export type SourceFile = { source: string; kind: "customers" | "orders"; file: string; items: number };

export type SourceFileOptions = {
  /** Customer source records to write (all sources together); whole people, so a few more. */
  records: number;
  seed: number;
  /** The first person number: another run continues a population without reusing its keys. */
  firstPerson?: number;
  withOrders?: boolean;
};

/** Appends lines to a file through a buffer: a million records without a million system calls. */
class LineWriter {
  private fd: number;
  private buffer: string[] = [];
  private size = 0;
  items = 0;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, "w");
  }

  write(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    this.buffer.push(line);
    this.size += line.length;
    this.items++;
    if (this.size > 1 << 20) this.flush();
  }

  flush(): void {
    fs.writeSync(this.fd, this.buffer.join(""));
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/**
 * Writes what the demo chain's source systems would export about a stream of generated people, as
 * JSON-lines files for `npm run import`: one customers file per source (with the generator's
 * overlaps and noise) and one orders file per selling source, lines nested. Same seed, same files.
 */
export function writeSourceFiles(dir: string, options: SourceFileOptions): { files: SourceFile[]; people: number; nextPerson: number } {
  fs.mkdirSync(dir, { recursive: true });
  const random = new Random(options.seed);
  const firstPerson = options.firstPerson ?? DEMO_CUSTOMER_COUNT + 1;
  const people = new PeopleStream(random, firstPerson);
  const history = new HistoryGenerator(random, buildCatalogue(), new Sequences());
  const customers = new Map(CUSTOMER_SOURCES.map((s) => [s, new LineWriter(path.join(dir, `customers-${s}.jsonl`))]));
  const orders = new Map(ORDER_SOURCES.map((s) => [s, new LineWriter(path.join(dir, `orders-${s}.jsonl`))]));
  let records = 0;
  let count = 0;
  while (records < options.records) {
    const person = people.next();
    count++;
    for (const { source, payload, ...record } of recordsOf(random, person)) {
      customers.get(source as (typeof CUSTOMER_SOURCES)[number])!.write(record);
      records++;
    }
    if (options.withOrders ?? true) {
      for (const { source, ...order } of history.ordersOf(person)) orders.get(source as (typeof ORDER_SOURCES)[number])!.write(order);
    }
  }
  const files: SourceFile[] = [];
  for (const [source, w] of customers) {
    w.close();
    files.push({ source, kind: "customers", file: w.file, items: w.items });
  }
  for (const [source, w] of orders) {
    w.close();
    files.push({ source, kind: "orders", file: w.file, items: w.items });
  }
  return { files, people: count, nextPerson: firstPerson + count };
}
