import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { addStaff, seedBasics } from "@/lib/test/factories";
import { writeAudit } from "./audit";
import { DAY_MS } from "@/lib/days";
import { type AuditCursor, auditCsvChunks, auditFilterSchema, decodeCursor, encodeCursor, queryAudit } from "./query";
import { databaseEachTest } from "@/lib/test/each-test";

let db: Db;
const T0 = Date.parse("2026-03-01T00:00:00Z");
databaseEachTest((fresh) => {
  db = fresh;
  seedBasics(db);
  addStaff(db, [
    { email: "a@x", name: "Ada", role: "associate", homeStoreId: 1 },
    { email: "h@x", name: "Harper", role: "hq" },
  ]);
  // Three entries share one millisecond: paging must neither skip nor repeat them.
  writeAudit(db, { staffId: 1, storeId: 1, action: "customer.lookup", profileId: 7 }, T0);
  writeAudit(db, { staffId: 1, storeId: 1, action: "customer.lookup", profileId: 8 }, T0 + DAY_MS);
  writeAudit(db, { staffId: 1, storeId: 1, action: "consent.change", profileId: 7 }, T0 + DAY_MS);
  writeAudit(db, { staffId: 2, storeId: null, action: "hq.store.update", detail: { storeId: 2, note: 'says "hi", =1+1' } }, T0 + DAY_MS);
  writeAudit(db, { staffId: 2, storeId: null, action: "hq.storefront" }, T0 + 2 * DAY_MS);
});

const filter = (raw: Record<string, string>) => auditFilterSchema.parse(raw);
const actions = (raw: Record<string, string>) => queryAudit(db, filter(raw), null).rows.map((r) => r.action);

describe("audit filters", () => {
  it("filters by staff, customer, store, action (with everything under it) and whole days, newest first", () => {
    expect(actions({})).toEqual(["hq.storefront", "hq.store.update", "consent.change", "customer.lookup", "customer.lookup"]);
    expect(actions({ staffId: "2" })).toEqual(["hq.storefront", "hq.store.update"]);
    expect(actions({ profileId: "7" })).toEqual(["consent.change", "customer.lookup"]);
    expect(actions({ storeId: "1", action: "customer.lookup" })).toEqual(["customer.lookup", "customer.lookup"]);
    expect(actions({ action: "hq.store" })).toEqual(["hq.store.update"]);
    expect(actions({ action: "hq" })).toEqual(["hq.storefront", "hq.store.update"]);
    expect(actions({ action: "hq.%" })).toEqual([]);
    expect(actions({ from: "2026-03-02", to: "2026-03-02" })).toEqual(["hq.store.update", "consent.change", "customer.lookup"]);
    expect(actions({ staffId: "", profileId: " ", action: "", from: "", to: "" })).toHaveLength(5);
  });

  it("refuses malformed filters instead of guessing", () => {
    expect(auditFilterSchema.safeParse({ staffId: "abc" }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ from: "2026-13-45" }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ to: "yesterday" }).success).toBe(false);
  });
});

describe("keyset paging", () => {
  it("walks every row exactly once through entries sharing a timestamp, and the cursor survives the URL", () => {
    const seen: number[] = [];
    let cursor: AuditCursor | null = null;
    let pages = 0;
    do {
      const page = queryAudit(db, filter({}), cursor, 2);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.next ? decodeCursor(encodeCursor(page.next)) : null;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([5, 4, 3, 2, 1]);
    expect(decodeCursor("1.2; drop")).toBeNull();
  });
});

describe("CSV export", () => {
  it("names staff and store, quotes and defuses formulas, and holds every filtered row across pages", () => {
    const text = [...auditCsvChunks(db, filter({ staffId: "2" }), 1)].join("");
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,staff_id,staff,store,action,profile_id,detail");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(`4,2026-03-02T00:00:00.000Z,2,Harper,,hq.store.update,,"{""storeId"":2,""note"":""says \\""hi\\"", =1+1""}"`);
  });
});
