/**
 * The authorisation matrix: every server action in the production build and every route handler,
 * called over HTTP as the browser calls them, by every kind of caller. Allowed calls must succeed;
 * every other call must get the app's unauthenticated/forbidden answer (or 401/403/redirect) and
 * no customer data. A new action or route fails this test until it has a row here.
 *
 * To add an action: one entry in ACTIONS keyed "<file>#<exportedName>" with who may call it and a
 * valid sample input for each caller (see `profileArgs` for actions on one customer).
 */
import fs from "node:fs";
import path from "node:path";
import { type APIRequestContext, type Browser, expect, request, test } from "@playwright/test";
import { DEMO_CUSTOMERS } from "@/db/seed/demo-customers";
import { STAFF, queryDatabase, signIn, writeDatabase } from "./helpers";

/** Who calls, and whose data the sample input points at. */
const CALLERS = ["anonymous", "associate", "associateOtherStore", "manager", "managerOtherStore", "hq"] as const;
type Caller = (typeof CALLERS)[number];
/** allow: must succeed. deny: must be refused. public: open to anyone (sign-in, ping); must not leak customer data. */
type Expectation = "allow" | "deny" | "public";
type Expectations = Record<Caller, Expectation>;

const SIGNED_IN: Expectations = { anonymous: "deny", associate: "allow", associateOtherStore: "allow", manager: "allow", managerOtherStore: "allow", hq: "allow" };
/** One customer's profile: associates need their own lookup grant; managers and head office open any profile (customers are chain-wide). */
const PROFILE: Expectations = { ...SIGNED_IN, associateOtherStore: "deny" };
const HQ_ONLY: Expectations = { anonymous: "deny", associate: "deny", associateOtherStore: "deny", manager: "deny", managerOtherStore: "deny", hq: "allow" };
const PUBLIC: Expectations = { anonymous: "public", associate: "public", associateOtherStore: "public", manager: "public", managerOtherStore: "public", hq: "public" };

type Fixtures = {
  /** A generated customer the matrix may write to (notes, tags, consents…). */
  target: { profileId: number; loyaltyId: string };
  /** A second generated customer, erased by head office's call. */
  erasable: { profileId: number };
  /** Lookup grants for the target: the London associate's own, and one the Leeds associate obtained. */
  grants: { own: string; otherStore: string };
  noteId: number;
  ruleId: number;
  staff: { londonAssociate: number; leedsAssociate: number };
  conversionDays: number;
};

type ActionRow = { who: Expectations; args: (fx: Fixtures, caller: Caller) => unknown[] };

/** The grant an associate sends: their own for their own data, another store's associate's otherwise. */
const grantFor = (fx: Fixtures, caller: Caller) => (caller === "associateOtherStore" ? fx.grants.otherStore : caller === "associate" ? fx.grants.own : null);
const profileArgs = (extra: Record<string, unknown>) => (fx: Fixtures, caller: Caller) => [{ profileId: fx.target.profileId, grant: grantFor(fx, caller), ...extra }];
/** Form actions take (previous state, FormData); sent as multipart the way React encodes them. */
const form = (state: unknown, fields: Record<string, string>) => ({ form: true as const, state, fields });

const ACTIONS: Record<string, ActionRow> = {
  "lib/actions/health.ts#pingAction": { who: PUBLIC, args: () => [] },
  "lib/actions/auth.ts#signInAction": {
    who: PUBLIC,
    // An address nobody has, one per caller, so the sign-in limiter's count for real accounts is untouched.
    args: (_fx, caller) => [form({ error: null, email: "" }, { email: `authz-${caller.toLowerCase()}@example.invalid`, password: "not-a-password" })],
  },
  "lib/actions/auth.ts#unlockWithPinAction": { who: PUBLIC, args: () => [form({ error: null }, { staffId: "999999", pin: "0000" })] },
  "lib/actions/auth.ts#signOutAction": { who: PUBLIC, args: () => [] },
  "lib/actions/auth.ts#lockAction": { who: PUBLIC, args: () => [] },
  "lib/actions/customers.ts#lookupCustomerAction": { who: SIGNED_IN, args: (fx) => [{ query: fx.target.loyaltyId, submitted: false }] },
  "lib/actions/customers.ts#loadPurchaseHistoryAction": { who: PROFILE, args: profileArgs({ before: null, channel: null }) },
  "lib/actions/profile.ts#loadTimelineAction": { who: PROFILE, args: profileArgs({ before: null, channel: null }) },
  "lib/actions/profile.ts#addNoteAction": { who: PROFILE, args: profileArgs({ body: "Authorisation matrix note" }) },
  "lib/actions/profile.ts#editNoteAction": {
    // Only the note's author edits it: the fixture note is the London associate's.
    who: { ...HQ_ONLY, hq: "deny", associate: "allow" },
    args: (fx, caller) => [{ noteId: fx.noteId, grant: grantFor(fx, caller), body: `Edited by the authorisation matrix as ${caller}` }],
  },
  "lib/actions/profile.ts#setPreferenceAction": { who: PROFILE, args: profileArgs({ category: "Tops", size: "M", note: "" }) },
  "lib/actions/profile.ts#addTagAction": { who: PROFILE, args: profileArgs({ tag: "authz-matrix" }) },
  "lib/actions/profile.ts#removeTagAction": { who: PROFILE, args: profileArgs({ tag: "authz-matrix" }) },
  "lib/actions/profile.ts#setConsentAction": { who: PROFILE, args: profileArgs({ channel: "post", granted: false }) },
  "lib/actions/profile.ts#checkEnrolmentAction": { who: SIGNED_IN, args: () => [{ email: "nobody@example.invalid", phone: "" }] },
  "lib/actions/profile.ts#enrolCustomerAction": {
    who: SIGNED_IN,
    args: (_fx, caller) => [
      { firstName: "Matrix", lastName: caller, email: `authz-enrol-${caller.toLowerCase()}-${Date.now()}@example.com`, phone: "", consents: { email: false, sms: false, post: false }, sizes: {} },
    ],
  },
  "lib/actions/suggest.ts#recordSuggestionFeedbackAction": {
    who: PROFILE,
    args: (fx, caller) => [
      { profileId: fx.target.profileId, grant: grantFor(fx, caller), style: DEMO_STYLE, sku: null, source: "interest", ruleId: null, anchorStyle: null, anchorAt: null, status: "shown" },
    ],
  },
  "lib/actions/suggest.ts#createRuleAction": { who: HQ_ONLY, args: () => [{ rule: sampleRule("Authorisation matrix rule (created)") }] },
  "lib/actions/suggest.ts#updateRuleAction": {
    who: HQ_ONLY,
    args: (fx) => [{ id: fx.ruleId, expectedUpdatedAt: ruleUpdatedAt(fx.ruleId), rule: sampleRule("Authorisation matrix rule") }],
  },
  "lib/actions/suggest.ts#duplicateRuleAction": { who: HQ_ONLY, args: (fx) => [{ id: fx.ruleId }] },
  "lib/actions/suggest.ts#setRuleStatusAction": { who: HQ_ONLY, args: (fx) => [{ id: fx.ruleId, status: "draft" }] },
  "lib/actions/suggest.ts#previewSuggestionsAction": { who: HQ_ONLY, args: (fx) => [{ customer: fx.target.loyaltyId, storeId: null, ruleId: null, rule: null }] },
  "lib/actions/suggest.ts#setConversionWindowAction": { who: HQ_ONLY, args: (fx) => [{ days: fx.conversionDays }] },
  "lib/actions/team.ts#setAssociatePinAction": {
    // A manager sets PINs in their own store only. The sample PIN is the demo one, so nothing changes for other tests.
    who: { ...HQ_ONLY, manager: "allow" },
    args: (fx, caller) =>
      caller === "managerOtherStore" || caller === "associateOtherStore" ? [{ staffId: fx.staff.leedsAssociate, pin: "2345" }] : [{ staffId: fx.staff.londonAssociate, pin: "1234" }],
  },
  "lib/actions/privacy.ts#eraseSubjectAction": { who: HQ_ONLY, args: (fx) => [{ profileId: fx.erasable.profileId, confirm: String(fx.erasable.profileId) }] },
};

type RouteRow = { who: Expectations; url: (fx: Fixtures) => string };
/** Route handlers by file, with a sample URL. The auth routes are how anyone signs in. */
const ROUTES: Record<string, RouteRow> = {
  "app/api/auth/[...nextauth]/route.ts": { who: PUBLIC, url: () => "/api/auth/session" },
  "app/api/privacy/export/[profileId]/route.ts": { who: HQ_ONLY, url: (fx) => `/api/privacy/export/${fx.target.profileId}` },
};

const DEMO_STYLE = "LT-0412";
function sampleRule(name: string) {
  return { name, anchorKind: "category", anchorValue: "Tops", withinDays: 30, targetKind: "category", targetValue: "Jackets", priority: 50, storeIds: [], activeFrom: "", activeTo: "", message: "Goes with {anchor}" };
}
const ruleUpdatedAt = (id: number) => queryDatabase<{ updated_at: number }>("select updated_at from suggestion_rules where id = ?", id)[0].updated_at;

type ManifestEntry = { filename: string; exportedName: string; workers: Record<string, unknown> };

function manifestActions(): Map<string, { id: string; page: string }> {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, ManifestEntry> };
  return new Map(
    Object.entries(manifest.node).map(([id, entry]) => {
      // Any page that imports the action will run it: "app/(app)/customers/[id]/page" → "/customers/1".
      const worker = Object.keys(entry.workers)[0];
      const page = worker.replace(/^app/, "").replace(/\/page$/, "").replace(/\/\([^)]+\)/g, "").replace(/\[[^\]]+\]/g, "1") || "/";
      return [`${entry.filename}#${entry.exportedName}`, { id, page }];
    }),
  );
}

function routeFiles(dir = "app"): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? routeFiles(full) : d.name === "route.ts" ? [full.split(path.sep).join("/")] : [];
  });
}

/** What the caller sends: JSON arguments, or multipart with the FormData under "$K1" as React's encodeReply does. */
function actionBody(args: unknown[]): { data?: string; multipart?: Record<string, string>; headers: Record<string, string> } {
  const formArg = args.find((a): a is ReturnType<typeof form> => typeof a === "object" && a !== null && "form" in a);
  if (!formArg) return { data: JSON.stringify(args), headers: { "Content-Type": "text/plain;charset=UTF-8" } };
  const multipart: Record<string, string> = { "0": JSON.stringify([formArg.state, "$K1"]) };
  for (const [k, v] of Object.entries(formArg.fields)) multipart[`1_${k}`] = v;
  return { multipart, headers: {} };
}

/** The action's return value from the RSC stream: row 1 holds it for a call from a client component. */
function actionResult(text: string): unknown {
  for (const line of text.split("\n")) {
    const m = /^1:(.*)$/.exec(line);
    if (m) {
      try {
        return JSON.parse(m[1]);
      } catch {
        return m[1];
      }
    }
  }
  return undefined;
}

const SIGN_INS: Record<Exclude<Caller, "anonymous" | "associateOtherStore" | "managerOtherStore">, keyof typeof STAFF> = { associate: "associate", manager: "manager", hq: "hq" };

async function sessionFor(browser: Browser, baseURL: string, who: keyof typeof STAFF | "leeds") {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  if (who === "leeds") {
    await page.goto("/sign-in");
    await page.getByLabel("Work email").fill("associate.leeds@demo.clientele");
    await page.getByLabel("Password").fill("demo-associate");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Jordan Hughes")).toBeVisible();
  } else {
    await signIn(page, who);
  }
  const state = await context.storageState();
  await context.close();
  return state;
}

test("authorisation matrix: every server action and route handler, by every caller", async ({ browser, baseURL }, info) => {
  test.skip(info.project.name !== "tablet-landscape", "the matrix is about the server, not the viewport");
  test.setTimeout(240_000);
  const origin = baseURL!;

  const actions = manifestActions();
  const unlistedActions = [...actions.keys()].filter((k) => !(k in ACTIONS));
  const staleActions = Object.keys(ACTIONS).filter((k) => !actions.has(k));
  const routes = routeFiles();
  const unlistedRoutes = routes.filter((r) => !(r in ROUTES));
  const staleRoutes = Object.keys(ROUTES).filter((r) => !routes.includes(r));
  expect({ unlistedActions, unlistedRoutes }, "every action in the build and every route.ts needs a row in the matrix").toEqual({ unlistedActions: [], unlistedRoutes: [] });
  expect({ staleActions, staleRoutes }, "rows for actions or routes that no longer exist").toEqual({ staleActions: [], staleRoutes: [] });

  const states = {
    associate: await sessionFor(browser, origin, SIGN_INS.associate),
    manager: await sessionFor(browser, origin, SIGN_INS.manager),
    hq: await sessionFor(browser, origin, SIGN_INS.hq),
    leeds: await sessionFor(browser, origin, "leeds"),
  };
  const stateOf = (caller: Caller) =>
    caller === "anonymous" ? undefined : caller === "associateOtherStore" ? states.associate : caller === "managerOtherStore" ? states.manager : states[caller];
  const contexts: APIRequestContext[] = [];
  const client = async (state: Awaited<ReturnType<typeof sessionFor>> | undefined) => {
    // A fresh context per call: sign-out and lock calls clear cookies, which must not leak into the next call.
    const ctx = await request.newContext({ baseURL: origin, storageState: state, extraHTTPHeaders: { Origin: origin }, maxRedirects: 0 });
    contexts.push(ctx);
    return ctx;
  };
  const callAction = async (state: Parameters<typeof client>[0], key: string, args: unknown[]) => {
    const { id, page } = actions.get(key)!;
    const body = actionBody(args);
    const res = await (await client(state)).post(page, { headers: { "Next-Action": id, Accept: "text/x-component", ...body.headers }, data: body.data, multipart: body.multipart });
    return { status: res.status(), text: await res.text() };
  };

  // Fixtures: two generated customers (not the demo ones other tests read), grants from real lookups.
  const [target, erasable] = queryDatabase<{ id: number; loyalty_id: string }>(
    `select p.id, p.loyalty_id from profiles p where p.merged_into is null and p.loyalty_id is not null and p.email is not null
       and not exists (select 1 from erasures e where e.profile_id = p.id) order by p.id desc limit 2`,
  );
  const grantFrom = async (state: Parameters<typeof client>[0]) => {
    const r = actionResult((await callAction(state, "lib/actions/customers.ts#lookupCustomerAction", [{ query: target.loyalty_id, submitted: true }])).text) as { ok: boolean; data: { href: string } };
    expect(r.ok).toBe(true);
    return new URL(r.data.href, origin).searchParams.get("g")!;
  };
  const staffId = (email: string) => queryDatabase<{ id: number }>("select id from staff where email = ?", email)[0].id;
  const londonAssociate = staffId(STAFF.associate.email);
  writeDatabase("insert into notes (profile_id, staff_id, store_id, body, created_at, updated_at) values (?, ?, 1, 'Authorisation matrix note', ?, ?)", target.id, londonAssociate, Date.now(), Date.now());
  const now = Date.now();
  writeDatabase(
    `insert into suggestion_rules (name, status, anchor_kind, anchor_value, within_days, target_kind, target_value, priority, message, created_at, updated_at)
     values ('Authorisation matrix rule', 'draft', 'category', 'Tops', 30, 'category', 'Jackets', 50, 'Goes with {anchor}', ?, ?)`,
    now,
    now,
  );
  const fx: Fixtures = {
    target: { profileId: target.id, loyaltyId: target.loyalty_id },
    erasable: { profileId: erasable.id },
    grants: { own: await grantFrom(states.associate), otherStore: await grantFrom(states.leeds) },
    noteId: queryDatabase<{ id: number }>("select max(id) as id from notes where profile_id = ?", target.id)[0].id,
    ruleId: queryDatabase<{ id: number }>("select max(id) as id from suggestion_rules where name = 'Authorisation matrix rule'")[0].id,
    staff: { londonAssociate, leedsAssociate: staffId("associate.leeds@demo.clientele") },
    conversionDays: Number(queryDatabase<{ value: string }>("select value from settings where key = 'suggest.conversionWindowDays'")[0]?.value ?? 30),
  };

  // Nothing that names a customer may appear in a refused or public answer.
  const secrets = queryDatabase<Record<string, string | null>>("select first_name, last_name, email, phone, loyalty_id from profiles where id in (?, ?)", target.id, erasable.id)
    .flatMap((r) => Object.values(r))
    .concat([DEMO_CUSTOMERS.anna.email, DEMO_CUSTOMERS.anna.loyaltyId, "Kowalski"])
    .filter((v): v is string => !!v && v.length > 3);

  const failures: string[] = [];
  let checks = 0;
  const judge = (label: string, expectation: Expectation, caller: Caller, status: number, text: string, result: unknown) => {
    checks++;
    const r = result as { ok?: boolean; code?: string } | undefined;
    const leaked = secrets.filter((s) => text.includes(s));
    if (expectation === "allow") {
      if (status !== 200 || r?.ok !== true) failures.push(`${label} as ${caller}: expected success, got ${status} ${text.slice(0, 200)}`);
      return;
    }
    if (leaked.length > 0) failures.push(`${label} as ${caller}: response contains customer data (${leaked.join(", ")})`);
    if (expectation === "public") {
      if (status >= 500) failures.push(`${label} as ${caller}: server error ${status}`);
      return;
    }
    const refusedCode = caller === "anonymous" ? "unauthenticated" : "forbidden";
    const refused = [401, 403].includes(status) || (status >= 300 && status < 400) || (r?.ok === false && r.code === refusedCode);
    if (!refused) failures.push(`${label} as ${caller}: expected ${refusedCode}, got ${status} ${text.slice(0, 200)}`);
  };

  // Head office last: its allowed calls (erasure) change what other callers would see.
  for (const caller of CALLERS) {
    for (const [key, row] of Object.entries(ACTIONS)) {
      const { status, text } = await callAction(stateOf(caller), key, row.args(fx, caller));
      judge(key, row.who[caller], caller, status, text, actionResult(text));
    }
    for (const [file, row] of Object.entries(ROUTES)) {
      const res = await (await client(stateOf(caller))).get(row.url(fx));
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const result = res.status() === 200 ? { ok: true } : json;
      judge(`GET ${file}`, row.who[caller], caller, res.status(), text, result);
    }
  }
  await Promise.all(contexts.map((c) => c.dispose()));

  const size = `${Object.keys(ACTIONS).length} actions + ${Object.keys(ROUTES).length} routes × ${CALLERS.length} callers = ${checks} checks`;
  console.log(`authorisation matrix: ${size}; ${failures.length === 0 ? "all as expected" : `${failures.length} unexpected`}`);
  expect(failures, size).toEqual([]);
});
