import fs from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { sourceCustomers } from "@/db/schema";
import { seedBasics, tempDatabase } from "@/lib/test/factories";
import { importFile } from "./import";
import { KNOWS_NOTHING } from "./ingest";

let db: Db;
let dir: string;
let cleanup: () => void;
beforeEach(() => {
  let file: string;
  ({ db, file, cleanup } = tempDatabase());
  dir = path.dirname(file);
  seedBasics(db);
});
afterEach(() => cleanup());

const records = () => db.select({ n: count() }).from(sourceCustomers).get()!.n;
const rejects = (file: string) => (fs.existsSync(`${file}.rejects.csv`) ? fs.readFileSync(`${file}.rejects.csv`, "utf8").trim().split("\n").slice(1) : []);

describe("files that break mid-way", () => {
  it("refuses a CSV whose quote never closes, naming the line it opens on, with nothing written", async () => {
    const csv = path.join(dir, "customers.csv");
    const rows = ["sourceCustomerId,firstName,email"];
    // Line 1,501 of 1,601 (the header is line 1) opens a quote that never closes.
    for (let i = 1; i <= 1600; i++) rows.push(i === 1500 ? `C${i},"Broken,c${i}@example.com` : `C${i},Name${i},c${i}@example.com`);
    fs.writeFileSync(csv, `${rows.join("\n")}\n`);
    await expect(importFile(db, { source: "pos", file: csv, batchSize: 500 })).rejects.toThrow(
      /^Line 1501: a quoted value starts here and is never closed.*Nothing was imported/,
    );
    expect(records()).toBe(0);
    expect(rejects(csv)).toEqual([]);
  });

  it("still imports a CSV whose quoted values span lines, and rejects a stray quote by its own line", async () => {
    const csv = path.join(dir, "multiline.csv");
    fs.writeFileSync(csv, ["sourceCustomerId,firstName,address", 'A1,Ann,"1 High St', 'Leeds"', 'A2,Bo"b,2 Low St', "A3,Cy,3 Mid St", ""].join("\n"));
    const summary = await importFile(db, { source: "pos", file: csv });
    expect(summary).toMatchObject({ inserted: 2, rejected: 1 });
    expect(rejects(csv).map((r) => r.split(",")[0])).toEqual(["4"]);
  });

  it("refuses a file whose header names no field (separated by semicolons), or none of the mapping's columns, with nothing written", async () => {
    const csv = path.join(dir, "semicolons.csv");
    fs.writeFileSync(csv, ["sourceCustomerId;firstName;email", "S1;Sam;sam@example.com", ""].join("\n"));
    await expect(importFile(db, { source: "pos", file: csv })).rejects.toThrow(
      'The header ("sourceCustomerId;firstName;email") names none of the customers fields (sourceCustomerId, firstName, lastName, email, …): the file seems separated by ";", not commas. Nothing was imported.',
    );
    const other = path.join(dir, "other.csv");
    fs.writeFileSync(other, ["Kundennummer,Vorname", "K1,Kai", ""].join("\n"));
    const mapping = { fields: { sourceCustomerId: "CustomerNo", firstName: "Forename" } };
    await expect(importFile(db, { source: "pos", file: other, mapping })).rejects.toThrow(
      'The header ("Kundennummer,Vorname") names none of the columns the mapping reads. Nothing was imported.',
    );
    expect(records()).toBe(0);
  });

  it("refuses a file with a column it reads named twice, and takes one with an unread column named twice", async () => {
    const csv = path.join(dir, "twice.csv");
    fs.writeFileSync(csv, ["sourceCustomerId,email,firstName,email", "T1,old@example.com,Tess,new@example.com", ""].join("\n"));
    await expect(importFile(db, { source: "pos", file: csv })).rejects.toThrow(
      'The header names "email" 2 times (columns 2 and 4): which one to read is not clear. Nothing was imported.',
    );
    expect(records()).toBe(0);
    const unread = path.join(dir, "unread.csv");
    fs.writeFileSync(unread, ["sourceCustomerId,note,firstName,note", "T1,a,Tess,b", ""].join("\n"));
    await expect(importFile(db, { source: "pos", file: unread })).resolves.toMatchObject({ inserted: 1 });
  });

  it("refuses a file in another encoding, naming the first line that is not UTF-8, with nothing written", async () => {
    const csv = path.join(dir, "latin1.csv");
    const rows = ["sourceCustomerId,firstName,lastName"];
    // Past the first 64 KiB the stream reads, so the line is counted across chunks.
    for (let i = 1; i <= 6000; i++) rows.push(i === 5000 ? `C${i},José,Núñez` : `C${i},Name${i},Surname${i}`);
    fs.writeFileSync(csv, Buffer.from(`${rows.join("\n")}\n`, "latin1"));
    await expect(importFile(db, { source: "pos", file: csv })).rejects.toThrow(/^Line 5001 holds bytes that are not UTF-8 text.*Nothing was imported/);
    expect(records()).toBe(0);
    // The same names in UTF-8 go in as they are, and so do they in UTF-16 with its byte-order mark.
    fs.writeFileSync(csv, `${rows.join("\n")}\n`);
    await expect(importFile(db, { source: "pos", file: csv })).resolves.toMatchObject({ inserted: 6000 });
    const utf16 = path.join(dir, "utf16.csv");
    fs.writeFileSync(utf16, Buffer.from(`\uFEFFsourceCustomerId,firstName,lastName\nU1,José,Núñez\n`, "utf16le"));
    await expect(importFile(db, { source: "pos", file: utf16 })).resolves.toMatchObject({ inserted: 1 });
    expect(db.select({ lastName: sourceCustomers.lastName }).from(sourceCustomers).where(eq(sourceCustomers.sourceCustomerId, "U1")).get()).toEqual({
      lastName: "Núñez",
    });
  });

  it("rejects a row with more values than the header has columns, and takes one with trailing blanks left off or a trailing comma", async () => {
    const csv = path.join(dir, "shifted.csv");
    fs.writeFileSync(
      csv,
      [
        "sourceCustomerId,firstName,lastName,email",
        "A1,Ann,Smith,ann@example.com",
        "A2,Smith, Bob,Jones,bob@example.com",
        "A3,Cy",
        "A4,Di,Lee,di@example.com,",
        "",
      ].join("\n"),
    );
    expect(await importFile(db, { source: "pos", file: csv })).toMatchObject({ inserted: 3, rejected: 1 });
    expect(rejects(csv)).toEqual(["3,row,more values than the header has columns (a comma in a value that is not in quotes?)"]);
  });

  it("reads a JSON-lines file that starts with a byte-order mark, and rejects a deeply nested line and one holding no customer by their numbers", async () => {
    const jsonl = path.join(dir, "customers.jsonl");
    const deep = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;
    fs.writeFileSync(
      jsonl,
      `\uFEFF${JSON.stringify({ sourceCustomerId: "J1", firstName: "Bom" })}\n{"sourceCustomerId":"J2","firstName":${deep(100_000)}}\n${JSON.stringify({ sourceCustomerId: "J3", firstName: { nested: true } })}\n${JSON.stringify({ sourceCustomerId: "J4", firstName: " " })}\n`,
    );
    const summary = await importFile(db, { source: "pos", file: jsonl });
    expect(summary).toMatchObject({ read: 4, inserted: 1, rejected: 3 });
    expect(rejects(jsonl)).toEqual([
      "2,row,nested more than 64 levels deep",
      '3,firstName,"Invalid input: expected string, received object"',
      `4,item,"${KNOWS_NOTHING}"`,
    ]);
  });

  it.each(["bulk", "incremental"] as const)("rejects a new customer row holding nothing to know them by on the %s path, by its line", async (importPath) => {
    const csv = path.join(dir, "customers.csv");
    fs.writeFileSync(csv, "sourceCustomerId,firstName,lastName,city\nB1,Bea,Okafor,Leeds\nB2, ,\u200e,Leeds\nB3,,Ng,\n");
    const summary = await importFile(db, { source: "pos", file: csv, path: importPath });
    expect(summary).toMatchObject({ read: 3, inserted: 2, rejected: 1 });
    expect(rejects(csv)).toEqual([`3,item,"${KNOWS_NOTHING}"`]);
    expect(db.select({ id: sourceCustomers.sourceCustomerId }).from(sourceCustomers).all()).toEqual([{ id: "B1" }, { id: "B3" }]);
  });

  // Linux's /proc/self/mem opens as a file and fails on its first read (EIO), as a failing disk would.
  it.each([
    ["customers.jsonl", "auto"],
    ["customers.jsonl", "bulk"],
    ["customers.jsonl", "incremental"],
    ["customers.csv", "auto"],
    ["customers.csv", "bulk"],
  ] as const)("says a %s that cannot be read part-way cannot be read (%s path), with nothing written", async (name, importPath) => {
    const file = path.join(dir, name);
    fs.symlinkSync("/proc/self/mem", file);
    await expect(importFile(db, { source: "pos", file, path: importPath })).rejects.toThrow(`Could not read ${file}: EIO: i/o error, read.`);
    expect(records()).toBe(0);
  });
});
