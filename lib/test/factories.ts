import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Db, inTransaction, openDatabase } from "@/db/client";
import bcrypt from "bcryptjs";
import { type Role, products, sources, staff, stores } from "@/db/schema";
import type { StaffIdentity } from "@/lib/auth/staff";
import { type CustomerRecordInput, createIngestContext, ingestCustomerRecord } from "@/lib/identity/ingest";
import { type OrderInput, ingestOrder } from "@/lib/ingest/orders";

/** A fresh, migrated SQLite file per test: the real engine, never a mock. */
export function tempDatabase(): { db: Db; file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-test-"));
  const file = path.join(dir, "test.db");
  const db = openDatabase(file);
  return { db, file, cleanup: () => (db.$client.close(), fs.rmSync(dir, { recursive: true, force: true })) };
}

export function seedBasics(db: Db): void {
  db.insert(sources)
    .values([
      { name: "loyalty", label: "Loyalty programme", trustRank: 10 },
      { name: "ecom", label: "Online shop", trustRank: 20 },
      { name: "pos", label: "Store till", trustRank: 30 },
    ])
    .run();
  db.insert(stores)
    .values([
      { code: "LDN", name: "London Regent St", city: "London", phone: "020 7946 0001" },
      { code: "LDS", name: "Leeds Briggate", city: "Leeds", phone: "0113 496 0001" },
    ])
    .run();
  db.insert(products)
    .values([
      { sku: "LT-1-M", style: "LT-1", name: "Linen Top", category: "Tops", department: "womenswear", brand: "House", colour: "White", size: "M", price: 3900 },
      {
        sku: "JK-1-M",
        style: "JK-1",
        name: "Cotton Jacket",
        category: "Jackets",
        department: "womenswear",
        brand: "House",
        colour: "Navy",
        size: "M",
        price: 8900,
      },
    ])
    .run();
}

/** Staff who sign in with the password "pw" (hashed cheaply), returned by name as the identity actions see. */
export function addStaff(
  db: Db,
  people: readonly { email: string; name: string; role: Role; homeStoreId?: number | null; active?: boolean }[],
): Record<string, StaffIdentity> {
  const passwordHash = bcrypt.hashSync("pw", 4);
  const who: Record<string, StaffIdentity> = {};
  for (const p of people) {
    const row = db
      .insert(staff)
      .values({ ...p, passwordHash })
      .returning()
      .get();
    who[p.name] = { id: row.id, name: row.name, email: row.email, role: row.role, storeId: row.homeStoreId };
  }
  return who;
}

export function ingest(db: Db, customers: CustomerRecordInput[], orderInputs: OrderInput[] = []) {
  const ctx = createIngestContext(db);
  return inTransaction(db, () => ({
    customers: customers.map((c) => ingestCustomerRecord(ctx, c)),
    orders: orderInputs.map((o) => ingestOrder(ctx, o)),
  }));
}
