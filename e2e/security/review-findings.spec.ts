/**
 * The outside security review's reproductions, replayed against the production build as an
 * attacker would send them: over HTTP, with forged headers, saved cookies and malformed bodies.
 * A new finding gets its reproduction here first.
 */
import fs from "node:fs";
import { expect, request, test } from "@playwright/test";
import { DEMO_CUSTOMERS } from "@/lib/demo/demo-customers";
import { callAction, form, manifestActions } from "../actions";
import { E2E_DATABASE, queryDatabase, writeDatabase } from "../helpers";
import { anonymous, apiKey, createStaff, shoppersOnlyAt, signedIn, storeId } from "./fixtures";

const ACTION = {
  signIn: "lib/actions/auth.ts#signInAction",
  signOut: "lib/actions/auth.ts#signOutAction",
  lock: "lib/actions/auth.ts#lockAction",
  unlock: "lib/actions/auth.ts#unlockWithPinAction",
  lookup: "lib/actions/customers.ts#lookupCustomerAction",
  history: "lib/actions/customers.ts#loadPurchaseHistoryAction",
  timeline: "lib/actions/profile.ts#loadTimelineAction",
  checkEnrolment: "lib/actions/profile.ts#checkEnrolmentAction",
  addNote: "lib/actions/profile.ts#addNoteAction",
  previewMerge: "lib/actions/duplicates.ts#previewMergeAction",
  merge: "lib/actions/duplicates.ts#mergeAction",
  assign: "lib/actions/book.ts#assignCustomersAction",
  erase: "lib/actions/privacy.ts#eraseSubjectAction",
  setStaffActive: "lib/actions/hq.ts#setStaffActiveAction",
} as const;

const WRONG_PASSWORD = "That email and password do not match an active staff account.";
const namesOf = (c: { first_name: string; last_name: string; email: string | null; phone: string | null }) =>
  [`${c.first_name} ${c.last_name}`, c.email, c.phone].filter((v): v is string => !!v);

test.beforeEach(({}, info) => test.skip(info.project.name !== "tablet-landscape", "the findings are about the server, not the viewport"));

test("1. a manager acts only on customers of their own store: no cross-store preview, merge, or names in refusals", async ({ baseURL }) => {
  const leedsManager = await signedIn(baseURL!, "manager.leeds@demo.clientele", "demo-manager");
  const [london] = shoppersOnlyAt("LDN", "LDS", 1);
  const [leeds, leeds2] = shoppersOnlyAt("LDS", "LDN", 2);

  const preview = await callAction(leedsManager, ACTION.previewMerge, [{ profileA: leeds.id, profileB: london.id }]);
  expect(preview.result).toMatchObject({ ok: false, code: "forbidden" });
  for (const value of namesOf(london)) expect(preview.text).not.toContain(value);

  const merge = await callAction(leedsManager, ACTION.merge, [{ profileA: leeds.id, profileB: london.id }]);
  expect(merge.result).toMatchObject({ ok: false, code: "forbidden" });
  // Two of her own store's customers, but a pair nobody queued: only head office merges, or checks a merge, outside the queue.
  const unqueued = await callAction(leedsManager, ACTION.merge, [{ profileA: leeds.id, profileB: leeds2.id }]);
  expect(unqueued.result).toMatchObject({ ok: false, code: "forbidden" });
  const unqueuedPreview = await callAction(leedsManager, ACTION.previewMerge, [{ profileA: leeds.id, profileB: leeds2.id }]);
  expect(unqueuedPreview.result).toMatchObject({ ok: false, code: "forbidden" });
  for (const value of [...namesOf(leeds), ...namesOf(leeds2)]) expect(unqueuedPreview.text).not.toContain(value);
  expect(
    queryDatabase<{ merged: number | null }>("select merged_into as merged from profiles where id in (?, ?, ?)", leeds.id, leeds2.id, london.id).map(
      (r) => r.merged,
    ),
  ).toEqual([null, null, null]);

  const leedsAssociate = queryDatabase<{ id: number }>("select id from staff where email = 'associate.leeds@demo.clientele'")[0].id;
  const assign = await callAction(leedsManager, ACTION.assign, [{ storeId: storeId("LDS"), staffId: leedsAssociate, profileIds: [london.id] }]);
  expect(assign.result).toMatchObject({ ok: true, data: [{ profileId: london.id, name: null, outcome: "refused" }] });
  for (const value of namesOf(london)) expect(assign.text).not.toContain(value);
  await leedsManager.dispose();
});

test("2. forged X-Forwarded-For does not reset the sign-in limit, and the account is limited as well as the address", async ({ baseURL }) => {
  const victim = createStaff("manager", "MAN");
  const answers: (string | null | undefined)[] = [];
  for (let i = 0; i < 7; i++) {
    const http = await anonymous(baseURL!, { "X-Forwarded-For": `203.0.113.${i + 1}` });
    answers.push((await callAction(http, ACTION.signIn, [form({ error: null, email: "" }, { email: victim.email, password: `wrong-${i}` })])).result?.error);
    await http.dispose();
  }
  expect(answers.slice(0, 5)).toEqual(Array(5).fill(WRONG_PASSWORD));
  expect(answers.slice(5)).toEqual([expect.stringMatching(/^Too many failed attempts/), expect.stringMatching(/^Too many failed attempts/)]);
  // The right password, from yet another claimed address, is refused until the window passes.
  const again = await anonymous(baseURL!, { "X-Forwarded-For": "198.51.100.77" });
  expect(
    (await callAction(again, ACTION.signIn, [form({ error: null, email: "" }, { email: victim.email, password: victim.password })])).result?.error,
  ).toMatch(/^Too many failed attempts/);
  expect(queryDatabase<{ n: number }>("select count(*) as n from sign_in_failures where key = ?", `account:${victim.email}`)[0].n).toBe(5);
  await again.dispose();
});

test("3. forty wrong PINs sent at once lock the account at the limit", async ({ baseURL }) => {
  const associate = createStaff("associate", "MAN", { pin: "4321" });
  const manager = createStaff("manager", "MAN");
  // A password sign-in makes this client a Manchester tablet.
  const tablet = await signedIn(baseURL!, manager.email, manager.password);
  const attempts = await Promise.all(
    Array.from({ length: 40 }, () => callAction(tablet, ACTION.unlock, [form({ error: null }, { staffId: String(associate.id), pin: "0000" })])),
  );
  expect(attempts.every((a) => a.status < 500)).toBe(true);
  const errors = attempts.map((a) => a.result?.error ?? "");
  expect(errors.filter((e) => e.startsWith("Wrong PIN"))).toHaveLength(4);
  expect(errors.filter((e) => e.startsWith("Too many wrong PINs"))).toHaveLength(36);
  const right = await callAction(tablet, ACTION.unlock, [form({ error: null }, { staffId: String(associate.id), pin: "4321" })]);
  expect(right.result?.error).toMatch(/^Too many wrong PINs/);
  await tablet.dispose();
});

test("4. a cookie saved before sign-out, lock, idle time-out or disabling opens nothing afterwards", async ({ baseURL }) => {
  const lookup = [{ query: DEMO_CUSTOMERS.oliver.email, submitted: false }];
  const replay = async (state: Awaited<ReturnType<Awaited<ReturnType<typeof signedIn>>["storageState"]>>) => {
    const http = await request.newContext({ baseURL, storageState: state, extraHTTPHeaders: { Origin: baseURL! }, maxRedirects: 0 });
    const { result } = await callAction(http, ACTION.lookup, lookup);
    await http.dispose();
    return result;
  };
  const manager = createStaff("manager", "MAN");
  for (const end of ["sign_out", "lock", "idle", "disabled"] as const) {
    const http = await signedIn(baseURL!, manager.email, manager.password);
    const saved = await http.storageState();
    expect((await callAction(http, ACTION.lookup, lookup)).result).toMatchObject({ ok: true });
    if (end === "sign_out") await callAction(http, ACTION.signOut, []);
    if (end === "lock") await callAction(http, ACTION.lock, []);
    if (end === "idle") writeDatabase("update staff_sessions set last_seen_at = last_seen_at - 3600000 where staff_id = ? and ended_at is null", manager.id);
    if (end === "disabled") {
      const hq = await signedIn(baseURL!, "hq@demo.clientele", "demo-hq");
      expect((await callAction(hq, ACTION.setStaffActive, [{ staffId: manager.id, active: false }])).result).toMatchObject({ ok: true });
      await hq.dispose();
    }
    expect(await replay(saved), `after ${end}`).toMatchObject({ ok: false, code: "unauthenticated" });
    await http.dispose();
  }
  const reasons = queryDatabase<{ end_reason: string }>("select end_reason from staff_sessions where staff_id = ? order by created_at", manager.id).map(
    (r) => r.end_reason,
  );
  expect(reasons).toEqual(["sign_out", "lock", "idle", "disabled"]);
});

test("5. erasing a customer leaves none of her values in the database file, its WAL or the audit log", async ({ baseURL }) => {
  const [her] = queryDatabase<{ id: number; email: string; loyalty_id: string }>(
    `select p.id, p.email, p.loyalty_id from profiles p
      where p.merged_into is null and p.id > 10 and p.email is not null and p.loyalty_id is not null
        and not exists (select 1 from erasures e where e.profile_id = p.id)
        and not exists (select 1 from merge_events m where m.survivor_id = p.id or m.absorbed_id = p.id)
        and (select count(distinct s.profile_id) from source_customers s where lower(trim(s.email)) = p.email) = 1
      order by p.id desc limit 1 offset 20`,
  );
  const note = `Security suite note ${Date.now()} about her fitting`;
  const hq = await signedIn(baseURL!, "hq@demo.clientele", "demo-hq");
  expect((await callAction(hq, ACTION.addNote, [{ profileId: her.id, grant: null, body: note }])).result).toMatchObject({ ok: true });
  const key = apiKey("lookup");
  const till = await anonymous(baseURL!);
  expect((await till.get(`/api/v1/customers/lookup?q=${encodeURIComponent(her.email)}`, { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(200);
  await till.dispose();

  expect((await callAction(hq, ACTION.erase, [{ profileId: her.id, confirm: String(her.id) }])).result).toMatchObject({ ok: true });
  await hq.dispose();

  const raw = Buffer.concat([E2E_DATABASE, `${E2E_DATABASE}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
  expect([her.email, her.loyalty_id, note].filter((v) => raw.includes(Buffer.from(v)))).toEqual([]);
  expect(queryDatabase<{ n: number }>("select count(*) as n from audit_log where detail like ?", `%${her.email}%`)[0].n).toBe(0);
});

test("6. every read of a customer's data is audited, whatever path it takes", async ({ baseURL }) => {
  const manager = await signedIn(baseURL!, "manager@demo.clientele", "demo-manager");
  const [london] = shoppersOnlyAt("LDN", "LDS", 3).slice(2);
  const audited = (action: string) =>
    queryDatabase<{ n: number }>("select count(*) as n from audit_log where action = ? and profile_id = ?", action, london.id)[0].n;
  expect((await callAction(manager, ACTION.history, [{ profileId: london.id, grant: null, before: null, channel: null }])).result).toMatchObject({ ok: true });
  expect((await callAction(manager, ACTION.timeline, [{ profileId: london.id, grant: null, before: null, channel: null }])).result).toMatchObject({ ok: true });
  expect([audited("customer.history"), audited("customer.timeline")]).toEqual([1, 1]);
  const before = queryDatabase<{ n: number }>("select count(*) as n from audit_log where action = 'customer.lookup'")[0].n;
  const check = await callAction(manager, ACTION.checkEnrolment, [{ email: london.email!, phone: "" }]);
  expect(check.result).toMatchObject({
    ok: true,
    data: { existing: [expect.objectContaining({ href: expect.stringContaining(`/customers/${london.id}?g=`) })] },
  });
  expect(queryDatabase<{ n: number }>("select count(*) as n from audit_log where action = 'customer.lookup'")[0].n).toBe(before + 1);
  await manager.dispose();
});

test("7. callers' mistakes are 4xx with a reason, never a 500", async ({ baseURL }) => {
  const http = await anonymous(baseURL!);
  const deep = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;
  const ingest = apiKey("ingest");
  for (const kind of ["orders", "products", "inventory", "interactions"]) {
    const res = await http.post(`/api/v1/${kind}`, {
      headers: { Authorization: `Bearer ${ingest}`, "Content-Type": "application/json" },
      data: `{"items":[${deep(50_000)}]}`,
    });
    expect(res.status(), kind).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_json");
  }
  // A method an address does not take: the one error shape and the methods it does take.
  for (const [res, allowed] of [
    [await http.get("/api/v1/customers", { headers: { Authorization: `Bearer ${ingest}` } }), "POST"],
    [await http.put("/api/v1/orders", { headers: { Authorization: `Bearer ${ingest}` }, data: "{}" }), "POST"],
    [await http.post("/api/v1/customers/lookup?q=x", { data: "{}" }), "GET"],
  ] as const) {
    expect(res.status()).toBe(405);
    expect(res.headers().allow).toBe(allowed);
    expect((await res.json()).error).toEqual({ code: "method_not_allowed", message: `This address takes ${allowed} only.` });
  }
  const lookup = manifestActions().get(ACTION.lookup)!;
  const action = (body: string, headers: Record<string, string> = {}) =>
    http.post(lookup.page, { headers: { "Next-Action": lookup.id, "Content-Type": "text/plain;charset=UTF-8", ...headers }, data: body });
  expect((await action(JSON.stringify(["x".repeat(1_100_000)]))).status()).toBe(413);
  expect((await action("{this is not json")).status()).toBe(400);
  expect((await action(deep(100_000))).status()).toBe(400);
  const crossOrigin = await action("[]", { Origin: "https://evil.example" });
  expect(crossOrigin.status()).toBe(403);
  expect(await crossOrigin.text()).toMatch(/only from this site's own pages/);
  // Sign-in and PIN unlock sent JSON instead of a form: the form's own error, not a crash.
  for (const key of [ACTION.signIn, ACTION.unlock]) {
    const { status, result } = await callAction(http, key, [
      { error: null, email: "" },
      { email: "x@example.com", password: "x" },
    ]);
    expect(status, key).toBeLessThan(500);
    expect(result?.error, key).toBe("Send the form's fields as form data.");
  }
  await http.dispose();
});

test("10. a client's own X-Forwarded-Proto does not make the server claim https", async ({ baseURL }) => {
  const http = await anonymous(baseURL!, { "X-Forwarded-Proto": "https" });
  const res = await http.get("/sign-in");
  expect(res.headers()["strict-transport-security"]).toBeUndefined();
  await http.dispose();
});
