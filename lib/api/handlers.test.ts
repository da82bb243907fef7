import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { apiKeys, auditLog, profiles, sourceCustomers, staff } from "@/db/schema";
import { seedBasics } from "@/lib/test/factories";
import { MAX_BODY_BYTES, MAX_ITEMS, handleIngest, handleLookup } from "./handlers";
import { createApiKey, hashApiKey, listApiKeys, revokeApiKey } from "./keys";
import { RateLimiter } from "./rate-limit";
import { databaseEachTest } from "@/lib/test/each-test";
import { KNOWS_NOTHING } from "@/lib/identity/ingest";

let db: Db;
let hq: number;
databaseEachTest((fresh) => {
  db = fresh;
  seedBasics(db);
  hq = db.insert(staff).values({ email: "hq@example.com", name: "HQ", role: "hq", passwordHash: "x" }).returning({ id: staff.id }).get().id;
});

const posId = () => 3;
const key = (scope: "ingest" | "lookup", sourceId = posId()) => createApiKey(db, { sourceId, name: `${scope} key`, scope, staffId: hq }).key;

function post(kind: string, body: unknown, apiKey?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return handleIngest(
    db,
    new Request(`http://test/api/v1/${kind}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }),
    kind,
  );
}

function lookup(q: string, apiKey: string) {
  return handleLookup(
    db,
    new Request(`http://test/api/v1/customers/lookup?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${apiKey}` } }),
    "test-audit-key-".repeat(3),
  );
}

describe("API keys", () => {
  it("keeps only the hash, shows a prefix, and audits creation and revocation", () => {
    const created = createApiKey(db, { sourceId: posId(), name: "Till feed", scope: "ingest", staffId: hq });
    expect(created.key).toMatch(/^clk_[A-Za-z0-9_-]{43}$/);
    const stored = db.select().from(apiKeys).get()!;
    expect(stored.hash).toBe(hashApiKey(created.key));
    expect(JSON.stringify(stored)).not.toContain(created.key.slice(12));
    expect(listApiKeys(db)).toMatchObject([{ name: "Till feed", prefix: created.key.slice(0, 12), sourceName: "pos", scope: "ingest", revokedAt: null }]);
    revokeApiKey(db, { id: created.id, staffId: hq });
    expect(listApiKeys(db)[0].revokedAt).toEqual(expect.any(Number));
    expect(db.select({ action: auditLog.action, staffId: auditLog.staffId }).from(auditLog).all()).toEqual([
      { action: "api_key.create", staffId: hq },
      { action: "api_key.revoke", staffId: hq },
    ]);
  });
});

describe("POST /api/v1/{kind}", () => {
  it("writes a batch as the key's source and answers per item", async () => {
    const k = key("ingest");
    const items = [
      { sourceCustomerId: "T1", firstName: "Anna", email: "anna@example.com", consents: { sms: true } },
      { firstName: "No ID" },
      { sourceCustomerId: "T2", emial: "typo@example.com" },
      { sourceCustomerId: "T3", phone: "07700 900123", updatedAt: "yesterday" },
      { sourceCustomerId: "T4", updatedAt: -8_640_000_000_000_005 },
    ];
    const res = await post("customers", { items }, k);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ kind: "customers", source: "pos", inserted: 1, rejected: 4 });
    expect(body.results).toEqual([
      { index: 0, status: "inserted" },
      { index: 1, status: "rejected", errors: [{ field: "sourceCustomerId", message: "missing source customer ID" }] },
      { index: 2, status: "rejected", errors: [{ field: "emial", message: expect.stringContaining("Unrecognized key") }] },
      { index: 3, status: "rejected", errors: [{ field: "updatedAt", message: '"yesterday" is not a date' }] },
      { index: 4, status: "rejected", errors: [{ field: "updatedAt", message: '"-8640000000000005" is not a date from 1900 to today' }] },
    ]);
    expect(db.select({ id: sourceCustomers.sourceCustomerId }).from(sourceCustomers).all()).toEqual([{ id: "T1" }]);

    const again = await (await post("customers", { items: [items[0], { ...items[0], firstName: "Anne" }] }, k)).json();
    expect(again.results.map((r: { status: string }) => r.status)).toEqual(["unchanged", "updated"]);

    const order = {
      externalId: "R1",
      sourceCustomerId: "T1",
      channel: "store",
      storeCode: "LDN",
      placedAt: "2026-05-03T10:00:00Z",
      lines: [{ sku: "LT-1-M", quantity: 1, unitPrice: 3900 }],
    };
    const orders = await (
      await post(
        "orders",
        {
          items: [
            order,
            { ...order, externalId: "R2", lines: [{ sku: "NOPE", quantity: 1, unitPrice: 1 }] },
            { ...order, externalId: "R3", lines: [{ sku: "NOPE", quantity: 1, unitPrice: 1 }, ...order.lines] },
            { ...order, externalId: "R4", storeCode: " " },
            { ...order, externalId: "R5", channel: "online", storeCode: undefined },
          ],
        },
        k,
      )
    ).json();
    expect(orders.results).toEqual([
      { index: 0, status: "inserted" },
      { index: 1, status: "rejected", errors: [{ field: "sku", message: 'Unknown SKU "NOPE".' }] },
      { index: 2, status: "inserted", errors: [{ field: "lines.0.sku", message: 'Unknown SKU "NOPE"' }] },
      { index: 3, status: "rejected", errors: [{ field: "storeCode", message: "missing store code: an in-store order is a store's" }] },
      { index: 4, status: "inserted" },
    ]);
  });

  it("says which values it kept but cannot use, item by item, and still writes the item", async () => {
    const items = [
      { sourceCustomerId: "W1", firstName: "Zoe", email: "not-an-email", phone: "12", loyaltyId: "CL0010000001", birthDate: "1900-01-01" },
      { sourceCustomerId: "W2", firstName: "Zak", email: "zak@example.com", phone: "07412 345678" },
      { sourceCustomerId: "W3", firstName: "Zia", birthDate: "31/02/1990" },
      { sourceCustomerId: "W4", firstName: "Zed", phone: "0775818876" },
    ];
    const body = await (await post("customers", { items }, key("ingest"))).json();
    const unused = "kept as sent, not used to find or match the customer";
    const slip = "kept as sent, never used to find the customer, compared only as a slip of another record's";
    expect(body.results).toEqual([
      {
        index: 0,
        status: "inserted",
        warnings: [
          { field: "email", message: `not an email address: ${unused}` },
          { field: "phone", message: `not a phone number that can be dialled: ${unused}` },
          { field: "loyaltyId", message: `not a loyalty ID of this programme: ${unused}` },
          { field: "birthDate", message: `not a birth date: ${unused}` },
        ],
      },
      { index: 1, status: "inserted" },
      // A day that does not exist, and a mobile with a digit missed: slips of real values.
      { index: 2, status: "inserted", warnings: [{ field: "birthDate", message: `not a day that exists: ${slip}` }] },
      { index: 3, status: "inserted", warnings: [{ field: "phone", message: `not a phone number that can be dialled: ${slip}` }] },
    ]);
    expect(db.select().from(sourceCustomers).where(eq(sourceCustomers.sourceCustomerId, "W1")).get()).toMatchObject({ email: "not-an-email", phone: "12" });
    const zia = db.select().from(sourceCustomers).where(eq(sourceCustomers.sourceCustomerId, "W3")).get()!;
    expect(zia.birthDate).toBe("31/02/1990");
    expect(db.select().from(profiles).where(eq(profiles.id, zia.profileId)).get()!.birthDate).toBeNull();
  });

  it("keeps no control or text-direction characters: a name cannot be made to read as another", async () => {
    const res = await post(
      "customers",
      { items: [{ sourceCustomerId: "RTL", firstName: "\u202Eevil", lastName: "Ni\u0000c\u200Bk", city: "\u0007", address: "1\u2060 High\u00AD St\uFEFF" }] },
      key("ingest"),
    );
    expect((await res.json()).results).toEqual([{ index: 0, status: "inserted" }]);
    const [row] = db.select().from(sourceCustomers).where(eq(sourceCustomers.sourceCustomerId, "RTL")).all();
    // Zero-width spaces, word joiners and soft hyphens too: "Nick" must find him.
    expect(row).toMatchObject({ firstName: "evil", lastName: "Nick", city: null, address: "1 High St" });
  });

  it("with ?dryRun=true says what a batch would do, links and duplicates included, and writes nothing", async () => {
    const k = key("ingest");
    await post(
      "customers",
      { items: [{ sourceCustomerId: "T1", firstName: "Anna", lastName: "Kowalski", email: "anna@example.com", birthDate: "1985-03-02", postcode: "N1 9GU" }] },
      k,
    );
    const items = [
      { sourceCustomerId: "T2", firstName: "Anna", email: "ANNA@example.com " },
      // Close names and the same birth date: likely, not sure (the same postcode too would merge).
      { sourceCustomerId: "T3", firstName: "Ana", lastName: "Kowalska", birthDate: "1985-03-02" },
      { sourceCustomerId: "T4", firstName: "Bo" },
    ];
    const dump = () =>
      JSON.stringify(
        db.$client
          .prepare(
            "select (select count(*) from source_customers), (select count(*) from profiles), (select count(*) from review_queue), (select count(*) from match_keys)",
          )
          .raw()
          .get(),
      );
    const before = dump();
    const post2 = (query: string) =>
      handleIngest(
        db,
        new Request(`http://test/api/v1/customers${query}`, { method: "POST", headers: { authorization: `Bearer ${k}` }, body: JSON.stringify({ items }) }),
        "customers",
      );
    const dry = await (await post2("?dryRun=true")).json();
    expect(dry).toMatchObject({ dryRun: true, inserted: 3, profilesCreated: 2, merges: 0, reviewItems: 1 });
    expect(dump()).toBe(before);
    // The real run does exactly what the dry run said.
    const real = await (await post2("")).json();
    expect({ ...real, dryRun: true }).toEqual(dry);
    expect(dump()).not.toBe(before);
    expect((await post2("?dryRun=maybe")).status).toBe(400);
  });

  it("answers a caller's mistakes with 4xx JSON, never a 500", async () => {
    const k = key("ingest");
    const expectError = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect((await res.json()).error.code).toBe(code);
    };
    await expectError(await post("customers", { items: [{}] }), 401, "unauthenticated");
    await expectError(await post("customers", { items: [{}] }, "clk_not-a-key"), 401, "unauthenticated");
    await expectError(await post("widgets", { items: [{}] }, k), 404, "not_found");
    await expectError(await post("customers", "{items: [", k), 400, "invalid_json");
    // A byte-order mark before the JSON (as Windows tools write UTF-8) is not a mistake.
    expect((await post("customers", `\uFEFF${JSON.stringify({ items: [{ sourceCustomerId: "BOM-1", firstName: "Bo" }] })}`, k)).status).toBe(200);
    await expectError(await post("customers", [{ sourceCustomerId: "A" }], k), 400, "invalid_input");
    await expectError(await post("customers", { items: [] }, k), 400, "invalid_input");
    await expectError(
      await post("customers", { items: Array.from({ length: MAX_ITEMS + 1 }, (_, i) => ({ sourceCustomerId: `X${i}` })) }, k),
      413,
      "payload_too_large",
    );
    await expectError(await post("customers", { items: [{ sourceCustomerId: "A", address: "x".repeat(MAX_BODY_BYTES) }] }, k), 413, "payload_too_large");
    await expectError(await post("customers", { items: [{}] }, key("lookup")), 403, "forbidden");

    // Nested far deeper than any real record, in every kind: refused before anything walks it.
    const deep = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;
    for (const kind of ["customers", "orders", "products", "inventory", "interactions"]) {
      await expectError(await post(kind, `{"items":[{"sourceCustomerId":"A","firstName":${deep(20_000)}}]}`, k), 400, "invalid_json");
      await expectError(await post(kind, `{"items":[${deep(200)}]}`, k), 400, "invalid_json");
    }

    const revoked = createApiKey(db, { sourceId: posId(), name: "old", scope: "ingest", staffId: hq });
    revokeApiKey(db, { id: revoked.id, staffId: hq });
    await expectError(await post("customers", { items: [{ sourceCustomerId: "A" }] }, revoked.key), 401, "unauthenticated");
  });
});

describe("late retries", () => {
  it("never lets an older version of a record undo a newer one: its details and a withdrawn consent stand", async () => {
    const k = key("ingest");
    const version = (email: string, consent: boolean, updatedAt: string) => ({
      sourceCustomerId: "R1",
      firstName: "Rae",
      email,
      consents: { email: consent },
      updatedAt,
    });
    const first = version("rae@example.com", true, "2026-12-05T10:00:00Z");
    const newer = version("rae.new@example.com", false, "2026-12-06T10:00:00Z");
    await post("customers", { items: [first] }, k);
    expect((await (await post("customers", { items: [newer] }, k)).json()).results).toEqual([{ index: 0, status: "updated" }]);
    const replay = (await (await post("customers", { items: [first] }, k)).json()).results;
    expect(replay).toEqual([
      {
        index: 0,
        status: "unchanged",
        warnings: [{ field: "updatedAt", message: "older than the version already held (2026-12-06T10:00:00.000Z): not applied" }],
      },
    ]);
    const record = db.select().from(sourceCustomers).get()!;
    expect(record).toMatchObject({ email: "rae.new@example.com", consents: { email: false } });
    expect(db.select({ email: profiles.email, consents: profiles.consents }).from(profiles).get()).toMatchObject({
      email: "rae.new@example.com",
      consents: { email: { granted: false } },
    });
    // Without a date the source's word is the latest, as before; and a version stored without one
    // holds only when it arrived, so a dated change made before that still counts.
    const undated = { sourceCustomerId: "R1", firstName: "Rae", email: "rae@example.com" };
    expect((await (await post("customers", { items: [undated] }, k)).json()).results).toEqual([{ index: 0, status: "updated" }]);
    const dated = { ...undated, consents: { email: false }, updatedAt: new Date(Date.now() - 3_600_000).toISOString() };
    expect((await (await post("customers", { items: [dated] }, k)).json()).results).toEqual([{ index: 0, status: "updated" }]);
  });
});

describe("odd values", () => {
  it("refuses a new customer whose every field is blank, invisible, no letter or a value it cannot use, and takes a known one's consent update", async () => {
    const k = key("ingest");
    const nothing = { status: "rejected", errors: [{ field: "item", message: KNOWS_NOTHING }] };
    const items = [
      { sourceCustomerId: "W1", firstName: "   ", lastName: "\u200b", email: " ", phone: "\t", city: "Leeds" },
      // Marks, direction marks, joiners, fillers and tag characters show as nothing; a dot is no name.
      { sourceCustomerId: "W2", firstName: "\u200e\u200d\u3164\u115f\uffa0\u0301\ufe0f\u{e0020}\u0085", lastName: "." },
      { sourceCustomerId: "W3", lastName: " Okafor ", consents: { email: true } },
      { sourceCustomerId: "W4", consents: { sms: true } },
      // Values kept but never used to find anyone: no email, a placeholder, no phone, no card of this programme, no day.
      { sourceCustomerId: "W5", email: "notanemail", phone: "123" },
      { sourceCustomerId: "W6", email: "noemail@example.com", loyaltyId: "abc", birthDate: "1985-13-45" },
    ];
    const results = (await (await post("customers", { items }, k)).json()).results;
    expect(results).toEqual([
      { index: 0, ...nothing },
      { index: 1, ...nothing },
      { index: 2, status: "inserted" },
      { index: 3, ...nothing },
      { index: 4, ...nothing },
      { index: 5, ...nothing },
    ]);
    expect(db.select({ id: sourceCustomers.sourceCustomerId }).from(sourceCustomers).all()).toEqual([{ id: "W3" }]);
    expect(db.select().from(profiles).all()).toHaveLength(1);
    // A customer sent before is taken as sent (each send is the whole record): an email opt-out is never refused.
    const update = (await (await post("customers", { items: [{ sourceCustomerId: "W3", consents: { email: false } }] }, k)).json()).results;
    expect(update).toEqual([{ index: 0, status: "updated" }]);
    expect(db.select({ consents: sourceCustomers.consents }).from(sourceCustomers).all()).toEqual([{ consents: { email: false } }]);
  });

  it("refuses IDs that JSON cannot carry exactly or that are nothing visible, and text with a broken character", async () => {
    const body = `{"items": [
      {"sourceCustomerId": 1e400},
      {"sourceCustomerId": 12345678901234567890123},
      {"sourceCustomerId": "\\u0000\\u200b"},
      {"sourceCustomerId": "N1", "firstName": "\\ud800"},
      {"sourceCustomerId": 42, "email": "anna.kowalski@example.com\\u200b"}
    ]}`;
    const results = (await (await post("customers", body, key("ingest"))).json()).results;
    expect(results).toEqual([
      {
        index: 0,
        status: "rejected",
        errors: [{ field: "sourceCustomerId", message: "Infinity is not a source customer ID JSON keeps exactly: send it as text, in quotes" }],
      },
      {
        index: 1,
        status: "rejected",
        errors: [{ field: "sourceCustomerId", message: "1.2345678901234568e+22 is not a source customer ID JSON keeps exactly: send it as text, in quotes" }],
      },
      { index: 2, status: "rejected", errors: [{ field: "sourceCustomerId", message: "missing source customer ID" }] },
      { index: 3, status: "rejected", errors: [{ field: "firstName", message: "holds a broken character (half of a UTF-16 surrogate pair)" }] },
      // The zero-width space is dropped before the email is read, so it is used, and no warning says otherwise.
      { index: 4, status: "inserted" },
    ]);
    expect(db.select({ id: sourceCustomers.sourceCustomerId, email: sourceCustomers.email }).from(sourceCustomers).all()).toEqual([
      { id: "42", email: "anna.kowalski@example.com" },
    ]);
  });
});

describe("consents", () => {
  it("takes a channel however a source spells it, and refuses one the product does not know, by name", async () => {
    const items = [
      { sourceCustomerId: "C1", firstName: "Anna", consents: { SMS: "yes", " Email ": false } },
      { sourceCustomerId: "C2", firstName: "Bea", consents: { carrier_pigeon: true, post: true } },
    ];
    const body = await (await post("customers", { items }, key("ingest"))).json();
    expect(body.results).toEqual([
      { index: 0, status: "inserted" },
      { index: 1, status: "rejected", errors: [{ field: "consents.carrier_pigeon", message: '"carrier_pigeon" is not a consent channel: email, sms, post' }] },
    ]);
    expect(db.select({ id: sourceCustomers.sourceCustomerId, consents: sourceCustomers.consents }).from(sourceCustomers).all()).toEqual([
      { id: "C1", consents: { sms: true, email: false } },
    ]);
  });
});

describe("GET /api/v1/customers/lookup", () => {
  it("returns a minimal, masked profile by phone, email or loyalty ID, and audits it", async () => {
    await post(
      "customers",
      { items: [{ sourceCustomerId: "T1", firstName: "Anna", lastName: "Kowalski", email: "anna.k@example.com", phone: "07412 345678", tier: "Gold" }] },
      key("ingest"),
    );
    const k = key("lookup");
    const res = await lookup("07412345678", k);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.customers).toEqual([
      {
        id: expect.any(Number),
        name: "Anna Kowalski",
        tier: "Gold",
        maskedEmail: expect.stringContaining("@example.com"),
        maskedPhone: expect.any(String),
        lastPurchaseAt: null,
      },
    ]);
    expect(JSON.stringify(body)).not.toContain("anna.k@");
    expect((await (await lookup("ANNA.K@example.com", k)).json()).customers).toHaveLength(1);
    expect((await (await lookup("nobody@example.com", k)).json()).customers).toEqual([]);
    expect((await lookup("Anna Kowalski", k)).status).toBe(400);
    expect((await lookup("", k)).status).toBe(400);
    expect((await lookup("07412345678", key("ingest"))).status).toBe(403);

    // Written just after the answer, so the lookup never waits for a write lock.
    const audited = () => db.select().from(auditLog).where(eq(auditLog.action, "api.lookup")).all();
    await expect.poll(audited).toHaveLength(3);
    const audits = audited();
    expect(audits[0]).toMatchObject({ staffId: null, profileId: body.customers[0].id, detail: { source: "pos", profileIds: [body.customers[0].id] } });
  });

  it("finds a customer by an address with accents, as it was sent or typed without its capitals", async () => {
    const res = await post(
      "customers",
      { items: [{ sourceCustomerId: "T2", firstName: "José", lastName: "Núñez", email: "José.Núñez@Correo.es" }] },
      key("ingest"),
    );
    const [result] = (await res.json()).results;
    expect(result.status).toBe("inserted");
    expect(result.warnings).toBeUndefined();
    const found = await lookup("josé.núñez@correo.es", key("lookup"));
    expect(found.status).toBe(200);
    expect((await found.json()).customers).toMatchObject([{ name: "José Núñez", maskedEmail: expect.stringContaining("@correo.es") }]);
  });

  it("limits each key's rate with 429 and Retry-After", async () => {
    const k = key("lookup");
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const res = await lookup("nobody@example.com", k);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another key has its own bucket.
    expect((await lookup("nobody@example.com", key("lookup"))).status).toBe(200);
  });
});

describe("RateLimiter", () => {
  it("allows a burst, then refills at the set rate", () => {
    let now = 0;
    const limiter = new RateLimiter(3, 2, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([null, null, null]);
    expect(limiter.take("a")).toBe(1);
    now += 500;
    expect(limiter.take("a")).toBeNull();
    expect(limiter.take("a")).toBe(1);
    now += 10_000;
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([null, null, null, 1]);
  });
});
