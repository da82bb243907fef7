import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { reviewQueue, sourceCustomers, sources } from "@/db/schema";
import { DEFAULT_IDENTITY_SETTINGS, makeLoyaltyId } from "@/lib/identity/normalize";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-import-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function runImport(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], {
    cwd: process.cwd(),
    encoding: "utf8",
    env: { ...process.env, DATABASE_PATH: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const card = (n: number) => makeLoyaltyId(n, DEFAULT_IDENTITY_SETTINGS.loyalty);

describe("scripts/import.ts", () => {
  it("imports a mapped CSV, rejects bad rows with their line and reason, and is idempotent", () => {
    const csv = path.join(dir, "crm.csv");
    const db = path.join(dir, "store.db");
    fs.writeFileSync(
      csv,
      [
        "id,first,last,mail,tel,card,email_ok",
        `A1, Anna ,Kowalski,anna@example.com,07412 345678,${card(1)},yes`,
        `A2,Anna,Kowalski,ANNA@example.com,,,`,
        `,No,Id,nobody@example.com,,,`,
        `A3,Annah,Kowalski,,07412345678,${card(2)},maybe`,
        `A4,"Smith, Jo",Smith,jo@example.com,,${card(2)},no`,
        `A5,Annah,Kowalski,,+44 7412 345678,${card(2)},no`,
      ].join("\n"),
    );
    const mapping = path.join(dir, "mapping.json");
    fs.writeFileSync(
      mapping,
      JSON.stringify({
        trim: true,
        fields: { sourceCustomerId: "id", firstName: "first", lastName: "last", email: "mail", phone: "tel", loyaltyId: "card", "consents.email": "email_ok" },
      }),
    );

    const unknown = runImport("--source", "crm", "--kind", "customers", csv, "--mapping", mapping, "--db", db);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown source "crm"');

    // A dry run reports what the import would do, into a copy: the database keeps no trace of it.
    const dry = runImport(
      "--source",
      "crm",
      "--kind",
      "customers",
      csv,
      "--mapping",
      mapping,
      "--db",
      db,
      "--create-source",
      "--trust-rank",
      "40",
      "--dry-run",
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Dry run: nothing was written to ${db}.`);
    expect(dry.stdout).toContain("inserted 4, updated 0, unchanged 0, rejected 2");
    expect(dry.stdout).toContain("profiles created 3, merges 0, review items 1");
    expect(dry.stdout).toMatch(
      /first review items:\n {4}- over 99\.9% likely: same phone number, same surname: Kowalski, first names close: Annah \/ Anna; against: different loyalty IDs; not merged automatically: different loyalty cards$/m,
    );
    expect(fs.readFileSync(`${csv}.dry-run.rejects.csv`, "utf8")).toContain("4,sourceCustomerId,missing source customer ID");
    expect(fs.existsSync(`${csv}.rejects.csv`)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes("dry-run-"))).toEqual([]);
    const untouched = openDatabase(db, { readonly: true });
    expect(
      untouched
        .select()
        .from(sources)
        .all()
        .map((s) => s.name),
    ).not.toContain("crm");
    untouched.$client.close();

    const first = runImport("--source", "crm", "--kind", "customers", csv, "--mapping", mapping, "--db", db, "--create-source", "--trust-rank", "40");
    // Progress lines go to stderr on a slow run; anything else there is a failure.
    expect(first.stderr.split("\n").filter((line) => line && !/^[\d,]+ rows \(/.test(line))).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("read 6 rows of customers");
    expect(first.stdout).toContain("inserted 4, updated 0, unchanged 0, rejected 2");
    expect(first.stdout).toContain("profiles created 3, merges 0, review items 1");
    expect(fs.readFileSync(`${csv}.rejects.csv`, "utf8").trim().split("\n")).toEqual([
      "line,field,reason",
      "4,sourceCustomerId,missing source customer ID",
      '5,consents.email,"""maybe"" is not a yes/no consent"',
    ]);

    const store = openDatabase(db);
    try {
      expect(store.select().from(sources).all()).toMatchObject([{ name: "crm", trustRank: 40 }]);
      const records = new Map(
        store
          .select()
          .from(sourceCustomers)
          .all()
          .map((r) => [r.sourceCustomerId, r]),
      );
      expect(records.get("A1")).toMatchObject({ firstName: "Anna", consents: { email: true } });
      expect(records.get("A4")?.firstName).toBe("Smith, Jo");
      expect(records.get("A2")?.profileId).toBe(records.get("A1")?.profileId);
      // One card, two different names: strong evidence, not proof; and Annah's phone is Anna's too, with another card.
      expect(new Set(["A1", "A4", "A5"].map((id) => records.get(id)?.profileId)).size).toBe(3);
      expect(
        store
          .select()
          .from(reviewQueue)
          .all()
          .map((r) => r.kind),
      ).toEqual(["possible_duplicate"]);
    } finally {
      store.$client.close();
    }

    const again = runImport("--source", "crm", "--kind", "customers", csv, "--mapping", mapping, "--db", db);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("inserted 0, updated 0, unchanged 4, rejected 2");

    const out = path.join(dir, "clusters.csv");
    const exported = spawnSync(process.execPath, ["--import", "tsx", "scripts/identity-export.ts", "--out", out, "--db", db], { encoding: "utf8" });
    expect(exported.status).toBe(0);
    const lines = fs.readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("source,source_customer_id,profile_id");
    const profileOf = new Map(lines.slice(1).map((l) => [l.split(",")[1], l.split(",")[2]]));
    expect([...profileOf.keys()]).toEqual(["A1", "A2", "A4", "A5"]);
    expect(profileOf.get("A1")).toBe(profileOf.get("A2"));
    expect(new Set(["A1", "A4", "A5"].map((id) => profileOf.get(id))).size).toBe(3);
  });

  it("imports several files in one run, each after its own --source and --mapping, with a summary and rejects file per file", () => {
    const app = path.join(dir, "app.jsonl");
    const shop = path.join(dir, "shop.csv");
    const db = path.join(dir, "store.db");
    fs.writeFileSync(app, [JSON.stringify({ sourceCustomerId: "U1", firstName: "Ann", lastName: "Lee", email: "ann@example.com" }), "{not json"].join("\n"));
    fs.writeFileSync(shop, ["id,mail,first,last", "S1,ANN@example.com,Ann,Lee", "S2,bo@example.com,Bo,Ray", ""].join("\n"));
    const mapping = path.join(dir, "shop.json");
    fs.writeFileSync(mapping, JSON.stringify({ fields: { sourceCustomerId: "id", email: "mail", firstName: "first", lastName: "last" } }));

    const r = runImport("--kind", "customers", "--source", "app", app, "--source", "ecom", "--mapping", mapping, shop, "--db", db, "--create-source");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^read 4 rows of customers from 2 files in /);
    expect(r.stdout).toContain(
      `  ${app} (app): read 2 rows\n    path: bulk (the store holds no customer records yet)\n    inserted 1, updated 0, unchanged 0, rejected 1`,
    );
    expect(r.stdout).toContain(
      `  ${shop} (ecom): read 2 rows\n    path: bulk (the store holds no customer records yet)\n    inserted 2, updated 0, unchanged 0, rejected 0`,
    );
    // The shop's Ann is the app's: her record joined the profile the first file made.
    expect(r.stdout).toContain("    profiles created 1, merges 0, review items 0\n");
    expect(fs.readFileSync(`${app}.rejects.csv`, "utf8")).toContain("2,row,not valid JSON");
    expect(fs.existsSync(`${shop}.rejects.csv`)).toBe(false);

    const unsourced = runImport("--kind", "customers", "--source", "app", app, shop, "--db", db);
    expect(unsourced.code).toBe(2);
    expect(unsourced.stderr).toContain(`Give --source before ${shop}: with several files, each follows its own --source.`);
    const trailing = runImport("--kind", "customers", "--source", "app", app, "--source", "ecom", shop, "--mapping", mapping, "--db", db);
    expect(trailing.code).toBe(2);
    expect(trailing.stderr).toContain("--source and --mapping go before the file they are for");
  });

  it("imports JSON lines with our field names and explains bad arguments", () => {
    const jsonl = path.join(dir, "app.jsonl");
    const db = path.join(dir, "store.db");
    fs.writeFileSync(
      jsonl,
      [
        JSON.stringify({ sourceCustomerId: "U1", email: "u1@example.com", consents: { sms: "yes" } }),
        "{not json",
        JSON.stringify({ sourceCustomerId: "U2", firstName: "Uma" }),
      ].join("\n"),
    );
    const r = runImport("--source", "app", "--kind", "customers", jsonl, "--db", db, "--create-source");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("inserted 2");
    expect(r.stdout).toContain("rejected 1");
    expect(fs.readFileSync(`${jsonl}.rejects.csv`, "utf8")).toContain("2,row,not valid JSON");
    // An empty file (a failed export) is said to be empty, not just counted.
    const empty = path.join(dir, "empty.csv");
    fs.writeFileSync(empty, "");
    const none = runImport("--source", "app", "--kind", "customers", empty, "--db", db);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain("the file holds no rows: nothing was imported (is it the right file?)");
    const bad = runImport("--source", "app", "--kind", "widgets", jsonl, "--db", db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--kind must be one of customers, orders, products, inventory, interactions");
    // A folder or a missing path is the user's slip: a sentence, not a stack trace.
    const folder = runImport("--source", "app", "--kind", "customers", dir, "--db", db);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`Not a file: ${dir}`);
    expect(folder.stderr).not.toContain("    at ");
    const missing = runImport("--source", "app", "--kind", "customers", path.join(dir, "nope.jsonl"), "--db", db);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("No such file");
    // A file that fails as it is read (here Linux's /proc/self/mem, EIO on the first read), as a failing disk would.
    const unreadable = path.join(dir, "unreadable.jsonl");
    fs.symlinkSync("/proc/self/mem", unreadable);
    const failing = runImport("--source", "app", "--kind", "customers", unreadable, "--db", db);
    expect(failing.code).toBe(1);
    expect(failing.stderr.trim()).toBe(`Could not read ${unreadable}: EIO: i/o error, read.`);
  });
});
