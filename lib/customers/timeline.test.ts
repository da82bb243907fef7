import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { interactions, sources } from "@/db/schema";
import { ingest, seedBasics } from "@/lib/test/factories";
import { addNote } from "./clienteling";
import { getTimeline } from "./timeline";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
let profileId: number;
databaseEachTest((fresh) => {
  db = fresh;
  seedBasics(db);
  db.insert(sources).values({ name: "app", label: "Mobile app", trustRank: 25 }).run();
  const day = (d: number) => Date.UTC(2026, 0, d);
  const res = ingest(
    db,
    [{ source: "ecom", sourceCustomerId: "E", firstName: "Tia", email: "tia@example.com" }],
    [
      {
        source: "ecom",
        externalId: "W1",
        sourceCustomerId: "E",
        channel: "online",
        placedAt: day(2),
        lines: [{ sku: "LT-1-M", quantity: 1, unitPrice: 3900 }],
      },
      {
        source: "ecom",
        externalId: "W2",
        sourceCustomerId: "E",
        channel: "store",
        storeCode: "LDN",
        placedAt: day(6),
        lines: [{ sku: "JK-1-M", quantity: 1, unitPrice: 8900 }],
      },
    ],
  );
  profileId = res.customers[0].profileId;
  const [ecom, app] = [2, 4];
  db.insert(interactions)
    .values([
      { sourceId: ecom, externalId: "v1", profileId, kind: "view", productId: 2, at: day(3) },
      { sourceId: app, externalId: "w1", profileId, kind: "wishlist", productId: 2, at: day(4) },
      { sourceId: ecom, externalId: "s1", profileId, kind: "visit", storeId: 1, at: day(5) },
    ])
    .run();
  const staffId = (
    db.$client.prepare("insert into staff (email, name, role, password_hash) values ('s@x', 'Sam', 'associate', 'x') returning id").get() as { id: number }
  ).id;
  addNote(db, profileId, { staffId, storeId: 1 }, "Wants a navy jacket", day(7));
});

const kinds = (items: ReturnType<typeof getTimeline>["items"]) => items.map((i) => (i.type === "activity" ? i.kind : i.type));

describe("getTimeline", () => {
  it("merges orders, browsing, visits and notes newest first", () => {
    expect(kinds(getTimeline(db, profileId, null, null).items)).toEqual(["note", "order", "visit", "wishlist", "view", "order"]);
  });

  it("filters every kind by channel", () => {
    expect(kinds(getTimeline(db, profileId, null, "store").items)).toEqual(["note", "order", "visit"]);
    expect(kinds(getTimeline(db, profileId, null, "online").items)).toEqual(["view", "order"]);
    expect(kinds(getTimeline(db, profileId, null, "app").items)).toEqual(["wishlist"]);
  });

  it("pages without losing or repeating anything", () => {
    const first = getTimeline(db, profileId, null, null, 4);
    expect(first.items).toHaveLength(4);
    const second = getTimeline(db, profileId, first.next, null, 4);
    expect(second.next).toBeNull();
    expect(kinds([...first.items, ...second.items])).toEqual(kinds(getTimeline(db, profileId, null, null).items));
  });
});
