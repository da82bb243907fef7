import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { inventory, interactions, orderLines, orders, products, sourceCustomers, stores } from "@/db/schema";
import { importFile, readMapping } from "@/lib/identity/import";
import { INGEST_KINDS } from "./schemas";
import { seedBasics } from "@/lib/test/factories";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
let dir: string;
databaseEachTest((fresh) => {
  db = fresh;
  seedBasics(db);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-kinds-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, lines: (string | object)[]): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n"));
  return f;
}

/** The rejects file as "line,field,reason" strings, unquoted. */
const rejects = (f: string) => (parse(fs.readFileSync(`${f}.rejects.csv`), { from_line: 2 }) as string[][]).map((r) => r.join(","));

describe("importFile for every kind", () => {
  it("upserts products by SKU and stock by store and SKU, and says what it could not load", async () => {
    const catalogue = file("products.csv", [
      "sku,style,name,category,department,brand,colour,size,price,promoPercent,active",
      "LT-1-M,LT-1,Linen Top,Tops,womenswear,House,White,M,4200,,yes",
      "SC-1,,Silk Scarf,Scarves,accessories,House,,,2500,10,yes",
      "SC-2,,Wool Scarf,Scarves,accessories,House,,,-5,,yes",
      "JK-1-M,JK-1,Cotton Jacket,Jackets,womenswear,House,Navy,M,8900,,",
    ]);
    const summary = await importFile(db, { kind: "products", source: "pos", file: catalogue });
    expect(rejects(catalogue)).toEqual(["4,price,price must not be negative"]);
    expect(summary).toMatchObject({ read: 4, inserted: 1, updated: 1, unchanged: 1, rejected: 1 });
    expect(db.select().from(products).where(eq(products.sku, "SC-1")).get()).toMatchObject({ style: "SC-1", promoPercent: 10, price: 2500 });
    expect(db.select().from(products).where(eq(products.sku, "LT-1-M")).get()?.price).toBe(4200);

    const stock = file("stock.jsonl", [
      { storeCode: "LDN", sku: "SC-1", quantity: 4 },
      { storeCode: "LDN", sku: "SC-1", quantity: "6" },
      { storeCode: "XXX", sku: "SC-1", quantity: 1 },
      { storeCode: "LDS", sku: "NOPE", quantity: 1 },
      { storeCode: "LDS", sku: "SC-1", quantity: 1.5 },
      { storeCode: "LDS", sku: "SC-1", quantity: "six" },
    ]);
    expect(await importFile(db, { kind: "inventory", source: "pos", file: stock })).toMatchObject({ inserted: 1, updated: 1, rejected: 4 });
    expect(rejects(stock)).toEqual([
      '3,storeCode,Unknown store "XXX".',
      '4,sku,Unknown SKU "NOPE".',
      "5,quantity,quantity must be a whole number",
      '6,quantity,"six" is not a number',
    ]);
    const ldn = db.select({ id: stores.id }).from(stores).where(eq(stores.code, "LDN")).get()!.id;
    expect(db.select().from(inventory).where(eq(inventory.storeId, ldn)).all()).toMatchObject([{ quantity: 6 }]);
  });

  it("leaves out a line over the quantity limit but keeps its order, and takes a wholesaler's 2,000-line order", async () => {
    const people = file("people.jsonl", [{ sourceCustomerId: "W1", firstName: "Wendy", email: "wendy@example.com" }]);
    await importFile(db, { kind: "customers", source: "pos", file: people });
    const many = Array.from({ length: 2000 }, (_, i) => ({ sku: i % 2 ? "LT-1-M" : "JK-1-M", quantity: 12, unitPrice: 2.5 }));
    const jsonl = file("orders.jsonl", [
      {
        externalId: "B1",
        sourceCustomerId: "W1",
        channel: "online",
        placedAt: 1_780_000_000_000,
        lines: [
          { sku: "LT-1-M", quantity: 19_152, unitPrice: 39 },
          { sku: "JK-1-M", quantity: 5_012_345_678_901, unitPrice: 89 },
        ],
      },
      { externalId: "B2", sourceCustomerId: "W1", channel: "online", placedAt: 1_780_000_000_000, lines: many },
      { externalId: "B3", sourceCustomerId: "W1", channel: "online", placedAt: 1_780_000_000_000, lines: [{ sku: "JK-1-M", quantity: 0, unitPrice: 89 }] },
    ]);
    expect(await importFile(db, { kind: "orders", source: "pos", file: jsonl })).toMatchObject({ inserted: 2, rejected: 2 });
    expect(rejects(jsonl)).toEqual([
      "1,lines.1.quantity,quantity must be between -100000 and 100000 and not 0 (line left out, order kept)",
      "3,lines.0.quantity,quantity must be between -100000 and 100000 and not 0",
    ]);
    const lines = (externalId: string) =>
      db
        .select({ quantity: orderLines.quantity, unitPrice: orderLines.unitPrice })
        .from(orderLines)
        .innerJoin(orders, eq(orders.id, orderLines.orderId))
        .where(eq(orders.externalId, externalId))
        .all();
    expect(lines("B1")).toEqual([{ quantity: 19_152, unitPrice: 39 }]);
    expect(lines("B2")).toHaveLength(2000);
    expect(lines("B2")[0].unitPrice).toBe(3);
  });

  it("leaves out a line naming an unknown SKU but keeps its order, and re-imports it unchanged", async () => {
    const people = file("people.jsonl", [{ sourceCustomerId: "W1", firstName: "Wendy", email: "wendy@example.com" }]);
    await importFile(db, { kind: "customers", source: "pos", file: people });
    const order = (externalId: string, lines: { sku: string; quantity: number; unitPrice: number }[]) => ({
      externalId,
      sourceCustomerId: "W1",
      channel: "online",
      placedAt: 1_780_000_000_000,
      lines,
    });
    const jsonl = file("orders.jsonl", [
      order("U1", [
        { sku: "LT-1-M", quantity: 0, unitPrice: 39 },
        { sku: "GONE-1", quantity: 1, unitPrice: 10 },
        { sku: "JK-1-M", quantity: 2, unitPrice: 89 },
      ]),
      order("U2", [{ sku: "GONE-1", quantity: 1, unitPrice: 10 }]),
      // Past what a date can hold, and a year no order was placed in: either would break every page that shows it.
      { ...order("U3", [{ sku: "JK-1-M", quantity: 1, unitPrice: 89 }]), placedAt: 8_640_000_000_000_001 },
      { ...order("U4", [{ sku: "JK-1-M", quantity: 1, unitPrice: 89 }]), placedAt: "9999-12-31" },
      order("U5", [
        { sku: "JK-1-M", quantity: 1, unitPrice: 1e300 },
        { sku: "LT-1-M", quantity: 1, unitPrice: 39 },
      ]),
    ]);
    expect(await importFile(db, { kind: "orders", source: "pos", file: jsonl })).toMatchObject({ inserted: 2, rejected: 6 });
    expect(rejects(jsonl)).toEqual([
      "1,lines.0.quantity,quantity must be between -100000 and 100000 and not 0 (line left out, order kept)",
      '1,lines.1.sku,Unknown SKU "GONE-1" (line left out, order kept)',
      '2,sku,Unknown SKU "GONE-1".',
      '3,placedAt,"8640000000000001" is not a date from 1900 to today',
      '4,placedAt,"9999-12-31" is not a date from 1900 to today',
      "5,lines.0.unitPrice,unit price must be at most 1000000000 (pence: £10,000,000) (line left out, order kept)",
    ]);
    const kept = db.select().from(orders).where(eq(orders.externalId, "U1")).get()!;
    expect(kept.total).toBe(2 * 89);
    expect(db.select({ quantity: orderLines.quantity }).from(orderLines).where(eq(orderLines.orderId, kept.id)).all()).toEqual([{ quantity: 2 }]);
    expect(await importFile(db, { kind: "orders", source: "pos", file: jsonl })).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: 6 });
  });

  it("imports products without a category, department or brand, with prices in fractions of a penny", async () => {
    const catalogue = file("products.csv", [
      "sku,name,category,department,brand,price,cost",
      "85123A,WHITE HANGING HEART T-LIGHT HOLDER,,,,255.4,100.5",
      "POST,POSTAGE,,,,1800,",
    ]);
    expect(await importFile(db, { kind: "products", source: "pos", file: catalogue })).toMatchObject({ inserted: 2, rejected: 0 });
    expect(db.select().from(products).where(eq(products.sku, "85123A")).get()).toMatchObject({
      style: "85123A",
      category: "",
      department: "",
      brand: "",
      price: 255,
      cost: 101,
    });
  });

  it("groups an order's CSV rows, takes nested JSON lines, and re-imports without changing anything", async () => {
    const people = file("people.jsonl", [
      { sourceCustomerId: "P1", firstName: "Anna", email: "anna@example.com" },
      { sourceCustomerId: "P2", firstName: "Ben", phone: "07700 900123" },
    ]);
    expect(await importFile(db, { kind: "customers", source: "pos", file: people })).toMatchObject({ inserted: 2, profilesCreated: 2 });

    const mapping = {
      trim: true,
      fields: {
        externalId: "receipt",
        sourceCustomerId: "customer",
        channel: "channel",
        storeCode: "store",
        placedAt: "at",
        "lines.sku": "sku",
        "lines.quantity": "qty",
        "lines.unitPrice": "price",
      },
    };
    const csv = file("orders.csv", [
      "receipt,customer,channel,store,at,sku,qty,price",
      "R1,P1,store,LDN,2026-05-03T10:00:00Z,LT-1-M,1,3900",
      "R1,P1,store,LDN,2026-05-03T10:00:00Z,JK-1-M,2,8900",
      "R2,,store,LDN,2026-05-04T10:00:00Z,LT-1-M,1,3900",
      "R3,P9,store,LDN,2026-05-04T10:00:00Z,LT-1-M,1,3900",
      "R4,P2,shop,LDN,2026-05-04T10:00:00Z,LT-1-M,1,3900",
      "R5,P2,store,LDN,2026-05-04T10:00:00Z,XX-9,1,3900",
    ]);
    const first = await importFile(db, { kind: "orders", source: "pos", file: csv, mapping });
    expect(first).toMatchObject({ read: 6, inserted: 2, rejected: 3 });
    expect(rejects(csv)).toEqual([
      '5,sourceCustomerId,No pos customer "P9".',
      '6,channel,"shop" is not one of store, online, app',
      '7,sku,Unknown SKU "XX-9".',
    ]);
    const r1 = db.select().from(orders).where(eq(orders.externalId, "R1")).get()!;
    expect(r1).toMatchObject({ total: 3900 + 2 * 8900, placedAt: Date.UTC(2026, 4, 3, 10), profileId: expect.any(Number) });
    expect(db.select().from(orderLines).where(eq(orderLines.orderId, r1.id)).all()).toHaveLength(2);
    expect(db.select().from(orders).where(eq(orders.externalId, "R2")).get()?.profileId).toBeNull();

    const lineIds = db.select({ id: orderLines.id }).from(orderLines).all();
    expect(await importFile(db, { kind: "orders", source: "pos", file: csv, mapping })).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: 3 });
    expect(db.select({ id: orderLines.id }).from(orderLines).all()).toEqual(lineIds);

    const jsonl = file("orders.jsonl", [
      {
        externalId: "R1",
        sourceCustomerId: "P1",
        channel: "store",
        storeCode: "LDN",
        placedAt: "2026-05-03T10:00:00Z",
        lines: [{ sku: "LT-1-M", quantity: 1, unitPrice: 3900 }],
      },
      { externalId: "W1", sourceCustomerId: "P2", channel: "online", placedAt: 1_780_000_000_000, lines: [{ sku: "JK-1-M", quantity: 1, unitPrice: 8900 }] },
      { externalId: "W2", channel: "online", placedAt: 1_780_000_000_000, lines: [] },
    ]);
    expect(await importFile(db, { kind: "orders", source: "pos", file: jsonl })).toMatchObject({ inserted: 1, updated: 1, rejected: 1 });
    expect(rejects(jsonl)).toEqual(["3,lines,an order needs at least one line"]);
    expect(db.select().from(orderLines).where(eq(orderLines.orderId, r1.id)).all()).toHaveLength(1);
  });

  it("loads interactions of known customers, idempotent per source and ID", async () => {
    await importFile(db, { kind: "customers", source: "ecom", file: file("c.jsonl", [{ sourceCustomerId: "E1", email: "e1@example.com" }]) });
    const events = file("events.jsonl", [
      { externalId: "V1", sourceCustomerId: "E1", kind: "view", sku: "LT-1-M", at: "2026-05-01T09:00:00Z" },
      { externalId: "V2", sourceCustomerId: "E1", kind: "visit", storeCode: "LDN", at: "2026-05-02T09:00:00Z" },
      { externalId: "V3", sourceCustomerId: "E1", kind: "like", at: "2026-05-02T09:00:00Z" },
    ]);
    expect(await importFile(db, { kind: "interactions", source: "ecom", file: events })).toMatchObject({ inserted: 2, rejected: 1 });
    expect(await importFile(db, { kind: "interactions", source: "ecom", file: events })).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: 1 });
    const profileId = db.select({ p: sourceCustomers.profileId }).from(sourceCustomers).get()!.p;
    expect(db.select({ kind: interactions.kind, profileId: interactions.profileId }).from(interactions).all()).toEqual([
      { kind: "view", profileId },
      { kind: "visit", profileId },
    ]);
  });
});

describe("mapping files", () => {
  it("the example mappings name only fields of their kind, and a wrong field is refused with the list", () => {
    const examples = path.join(import.meta.dirname, "../../scripts/import-mappings");
    for (const kind of INGEST_KINDS) expect(() => readMapping(path.join(examples, `${kind}.json`), kind)).not.toThrow();
    expect(() => readMapping(path.join(examples, "orders.json"), "inventory")).toThrow(
      /externalId, sourceCustomerId, channel, placedAt, lines.sku, lines.quantity, lines.unitPrice are not fields of inventory/,
    );
  });

  it("takes consents for the channels the product knows, and refuses another before reading a row", () => {
    const mapping = (channel: string) => file(`${channel}.json`, [{ fields: { sourceCustomerId: "id", [`consents.${channel}`]: "ok" } }]);
    expect(() => readMapping(mapping("sms"))).not.toThrow();
    expect(() => readMapping(mapping("carrier_pigeon"))).toThrow(
      /consents.carrier_pigeon is not a field of customers \(.*consents.email, consents.sms, consents.post\)/,
    );
  });
});
