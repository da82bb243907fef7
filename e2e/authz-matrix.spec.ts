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
import { DEMO_CUSTOMERS } from "@/lib/demo/demo-customers";
import { actionBody, actionResult, form, manifestActions } from "./actions";
import { STAFF, queryDatabase, signIn, writeDatabase } from "./helpers";

/** Who calls, and whose data the sample input points at. */
const CALLERS = ["anonymous", "associate", "associateOtherStore", "manager", "managerOtherStore", "hq"] as const;
type Caller = (typeof CALLERS)[number];
/** allow: must succeed. deny: must be refused. public: open to anyone (sign-in, ping); must not leak customer data. */
type Expectation = "allow" | "deny" | "public";
type Expectations = Record<Caller, Expectation>;

const SIGNED_IN: Expectations = {
  anonymous: "deny",
  associate: "allow",
  associateOtherStore: "allow",
  manager: "allow",
  managerOtherStore: "allow",
  hq: "allow",
};
/** One customer's profile: associates need their own lookup grant; managers and head office open any profile (customers are chain-wide). */
const PROFILE: Expectations = { ...SIGNED_IN, associateOtherStore: "deny" };
const HQ_ONLY: Expectations = { anonymous: "deny", associate: "deny", associateOtherStore: "deny", manager: "deny", managerOtherStore: "deny", hq: "allow" };
/** A store's own data: its manager and head office; the London manager on Leeds's data is refused. */
const STORE_MANAGERS: Expectations = { ...HQ_ONLY, manager: "allow" };
const KEY_ONLY: Expectations = { anonymous: "deny", associate: "deny", associateOtherStore: "deny", manager: "deny", managerOtherStore: "deny", hq: "deny" };
/** The callers whose sample input points at another store's data. */
const otherStore = (caller: Caller) => caller === "associateOtherStore" || caller === "managerOtherStore";
const storeFor = (fx: Fixtures, caller: Caller) => (otherStore(caller) ? fx.stores.leeds : fx.stores.london);
const pairFor = (fx: Fixtures, caller: Caller) => {
  const [profileA, profileB] = caller === "hq" ? fx.pairs.hq : otherStore(caller) ? fx.pairs.leeds : fx.pairs.manager;
  return { profileA, profileB };
};
const queuedPairFor = (fx: Fixtures, caller: Caller) => ({
  ...pairFor(fx, caller),
  reviewItemId: caller === "hq" ? undefined : otherStore(caller) ? fx.queued.leeds : fx.queued.manager,
});
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const followUpDraft = () => ({ title: "Authorisation matrix follow-up", note: "", dueOn: daysFromNow(7), channel: "in_store" });
const PUBLIC: Expectations = {
  anonymous: "public",
  associate: "public",
  associateOtherStore: "public",
  manager: "public",
  managerOtherStore: "public",
  hq: "public",
};

type SplitInput = { profileId: number; recordIds: number[] };

type Fixtures = {
  /** A generated customer the matrix may write to (notes, tags, consents…). */
  target: { profileId: number; loyaltyId: string };
  /** A second generated customer, erased by head office's call. */
  erasable: { profileId: number };
  /** Lookup grants for the target: the London associate's own, and one the Leeds associate obtained. */
  grants: { own: string; otherStore: string };
  noteId: number;
  ruleId: number;
  staff: { londonAssociate: number; leedsAssociate: number; spare: number };
  conversionDays: number;
  /** Manchester: where the matrix's own staff work, so London's and Leeds's teams stay as other tests know them. */
  stores: { london: number; leeds: number; manchester: number };
  /** A London-only customer for the client book, so its book and follow-up access never touch `target`. */
  book: { profileId: number; grants: { own: string; otherStore: string } };
  /** A customer who shops in Leeds only: what the London manager must not reach. */
  leedsCustomer: number;
  followUps: { snooze: number; complete: number; leeds: number };
  savedLists: { manager: number; hq: number; leeds: number };
  /** Pairs of customers to merge (one per allowed caller) and one in Leeds. */
  pairs: { manager: [number, number]; hq: [number, number]; leeds: [number, number] };
  mergeEvents: { manager: number; hq: number; leeds: number };
  /** A record to split off a customer of several records, for each caller that may. */
  splits: { manager: SplitInput; hq: SplitInput; leeds: SplitInput };
  reviewItems: { manager: number; hq: number; leeds: number };
  /** Review items queued for the merge pairs above, and one for a London customer with a Leeds one. */
  queued: { manager: number; leeds: number; mixed: number };
  apiKey: number;
  posSource: number;
  sources: { id: number; label: string; trustRank: number }[];
  london: { code: string; name: string; city: string; country: string; phone: string | null; lockTimeoutSeconds: number };
};

/** endsSession: the call ends the caller's server-side session, so it runs after every other call. */
type ActionRow = { who: Expectations; args: (fx: Fixtures, caller: Caller) => unknown[]; endsSession?: true };

/** The grant an associate sends: their own for their own data, another store's associate's otherwise. */
const grantFor = (fx: Fixtures, caller: Caller) => (caller === "associateOtherStore" ? fx.grants.otherStore : caller === "associate" ? fx.grants.own : null);
const profileArgs = (extra: Record<string, unknown>) => (fx: Fixtures, caller: Caller) => [
  { profileId: fx.target.profileId, grant: grantFor(fx, caller), ...extra },
];

const ACTIONS: Record<string, ActionRow> = {
  "lib/actions/health.ts#pingAction": { who: PUBLIC, args: () => [] },
  "lib/actions/auth.ts#signInAction": {
    who: PUBLIC,
    // An address nobody has, one per caller, so the sign-in limiter's count for real accounts is untouched.
    args: (_fx, caller) => [form({ error: null, email: "" }, { email: `authz-${caller.toLowerCase()}@example.invalid`, password: "not-a-password" })],
  },
  "lib/actions/auth.ts#unlockWithPinAction": { who: PUBLIC, args: () => [form({ error: null }, { staffId: "999999", pin: "0000" })] },
  "lib/actions/auth.ts#signOutAction": { who: PUBLIC, args: () => [], endsSession: true },
  "lib/actions/auth.ts#lockAction": { who: PUBLIC, args: () => [], endsSession: true },
  "lib/actions/auth.ts#keepSessionAction": { who: PUBLIC, args: () => [] },
  "lib/actions/customers.ts#lookupCustomerAction": { who: SIGNED_IN, args: (fx) => [{ query: fx.target.loyaltyId, submitted: false }] },
  "lib/actions/customers.ts#loadPurchaseHistoryAction": { who: PROFILE, args: profileArgs({ before: null, channel: null }) },
  "lib/actions/profile.ts#loadTimelineAction": { who: PROFILE, args: profileArgs({ before: null, channel: null }) },
  "lib/actions/profile.ts#loadSuggestionsAction": { who: PROFILE, args: profileArgs({}) },
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
      {
        firstName: "Matrix",
        lastName: caller,
        email: `authz-enrol-${caller.toLowerCase()}-${Date.now()}@example.com`,
        phone: "",
        consents: { email: false, sms: false, post: false },
        sizes: {},
      },
    ],
  },
  "lib/actions/suggest.ts#recordSuggestionFeedbackAction": {
    who: PROFILE,
    args: (fx, caller) => [
      {
        profileId: fx.target.profileId,
        grant: grantFor(fx, caller),
        style: DEMO_STYLE,
        sku: null,
        source: "interest",
        ruleId: null,
        anchorStyle: null,
        anchorAt: null,
        status: "shown",
      },
    ],
  },
  "lib/actions/suggest.ts#recordSuggestionImpressionsAction": {
    who: PROFILE,
    args: (fx, caller) => [
      {
        profileId: fx.target.profileId,
        grant: grantFor(fx, caller),
        cards: [{ style: DEMO_STYLE, sku: null, source: "interest", ruleId: null, anchorStyle: null, anchorAt: null }],
      },
    ],
  },
  "lib/actions/suggest.ts#setShelfSettingsAction": { who: HQ_ONLY, args: () => [{ stockFeed: "auto", orderForDelivery: false, stores: {} }] },
  "lib/actions/suggest.ts#createRuleAction": { who: HQ_ONLY, args: () => [{ rule: sampleRule("Authorisation matrix rule (created)") }] },
  "lib/actions/suggest.ts#updateRuleAction": {
    who: HQ_ONLY,
    args: (fx) => [{ id: fx.ruleId, expectedUpdatedAt: ruleUpdatedAt(fx.ruleId), rule: sampleRule("Authorisation matrix rule") }],
  },
  "lib/actions/suggest.ts#duplicateRuleAction": { who: HQ_ONLY, args: (fx) => [{ id: fx.ruleId }] },
  "lib/actions/suggest.ts#setRuleStatusAction": { who: HQ_ONLY, args: (fx) => [{ id: fx.ruleId, status: "draft" }] },
  "lib/actions/suggest.ts#previewSuggestionsAction": {
    who: HQ_ONLY,
    args: (fx) => [{ customer: fx.target.loyaltyId, storeId: null, ruleId: null, rule: null }],
  },
  "lib/actions/suggest.ts#setConversionWindowAction": { who: HQ_ONLY, args: (fx) => [{ days: fx.conversionDays }] },
  "lib/actions/team.ts#setAssociatePinAction": {
    // A manager sets PINs in their own store only. The sample PIN is the demo one, so nothing changes for other tests.
    who: { ...HQ_ONLY, manager: "allow" },
    args: (fx, caller) =>
      caller === "managerOtherStore" || caller === "associateOtherStore"
        ? [{ staffId: fx.staff.leedsAssociate, pin: "2345" }]
        : [{ staffId: fx.staff.londonAssociate, pin: "1234" }],
  },
  "lib/actions/privacy.ts#liftSuppressionAction": { who: HQ_ONLY, args: () => [{ identifier: "nobody.erased@example.com" }] },
  "lib/actions/privacy.ts#eraseSubjectAction": { who: HQ_ONLY, args: (fx) => [{ profileId: fx.erasable.profileId, confirm: String(fx.erasable.profileId) }] },

  // Client book and follow-ups: a manager in their own store, head office anywhere, an associate in their own book.
  "lib/actions/book.ts#storeAssociatesAction": { who: STORE_MANAGERS, args: (fx, caller) => [{ storeId: storeFor(fx, caller) }] },
  "lib/actions/book.ts#assignCustomersAction": {
    who: STORE_MANAGERS,
    args: (fx, caller) => [
      otherStore(caller)
        ? { storeId: fx.stores.leeds, staffId: fx.staff.leedsAssociate, profileIds: [fx.leedsCustomer] }
        : { storeId: fx.stores.london, staffId: fx.staff.londonAssociate, profileIds: [fx.book.profileId] },
    ],
  },
  "lib/actions/book.ts#unassignCustomerAction": {
    who: STORE_MANAGERS,
    args: (fx, caller) => [
      otherStore(caller) ? { storeId: fx.stores.leeds, profileId: fx.leedsCustomer } : { storeId: fx.stores.london, profileId: fx.book.profileId },
    ],
  },
  "lib/actions/book.ts#loadBookPageAction": {
    who: { ...SIGNED_IN, associateOtherStore: "deny", managerOtherStore: "deny" },
    args: (fx, caller) => [
      otherStore(caller)
        ? { storeId: fx.stores.leeds, staffId: fx.staff.leedsAssociate, after: null }
        : { storeId: fx.stores.london, staffId: fx.staff.londonAssociate, after: null },
    ],
  },
  "lib/actions/book.ts#createFollowUpAction": {
    who: { ...SIGNED_IN, associateOtherStore: "deny", managerOtherStore: "deny" },
    args: (fx, caller) => [
      otherStore(caller)
        ? {
            ...followUpDraft(),
            storeId: fx.stores.leeds,
            staffId: fx.staff.leedsAssociate,
            profileId: caller === "associateOtherStore" ? fx.book.profileId : fx.leedsCustomer,
            grant: caller === "associateOtherStore" ? fx.book.grants.otherStore : null,
          }
        : {
            ...followUpDraft(),
            storeId: fx.stores.london,
            staffId: fx.staff.londonAssociate,
            profileId: fx.book.profileId,
            grant: caller === "associate" ? fx.book.grants.own : null,
          },
    ],
  },
  "lib/actions/book.ts#createFollowUpsAction": {
    who: STORE_MANAGERS,
    args: (fx, caller) => [
      otherStore(caller)
        ? { ...followUpDraft(), storeId: fx.stores.leeds, staffId: fx.staff.leedsAssociate, profileIds: [fx.leedsCustomer] }
        : { ...followUpDraft(), storeId: fx.stores.london, staffId: fx.staff.londonAssociate, profileIds: [fx.book.profileId] },
    ],
  },
  "lib/actions/book.ts#snoozeFollowUpAction": {
    who: { ...SIGNED_IN, associateOtherStore: "deny", managerOtherStore: "deny" },
    args: (fx, caller) => [{ id: otherStore(caller) ? fx.followUps.leeds : fx.followUps.snooze, until: daysFromNow(30) }],
  },
  "lib/actions/book.ts#completeFollowUpAction": {
    who: { ...SIGNED_IN, associateOtherStore: "deny", managerOtherStore: "deny" },
    args: (fx, caller) => [{ id: otherStore(caller) ? fx.followUps.leeds : fx.followUps.complete }],
  },

  // Customer lists: managers for their own store, head office for any.
  "lib/actions/lists.ts#saveCustomerListAction": {
    who: STORE_MANAGERS,
    args: (fx, caller) => [
      { store: caller === "hq" ? fx.stores.london : otherStore(caller) ? fx.stores.leeds : undefined, name: `Matrix list by ${caller}`, query: "tier=Gold" },
    ],
  },
  "lib/actions/lists.ts#deleteCustomerListAction": {
    who: STORE_MANAGERS,
    args: (fx, caller) => [
      caller === "hq"
        ? { store: fx.stores.london, id: fx.savedLists.hq }
        : otherStore(caller)
          ? { store: fx.stores.leeds, id: fx.savedLists.leeds }
          : { id: fx.savedLists.manager },
    ],
  },

  // Duplicates: a manager when one of the pair shops at their store, head office always.
  // A manager checks and merges only a queued pair (head office any pair): each caller sends the item queued for its pair.
  "lib/actions/duplicates.ts#previewMergeAction": { who: STORE_MANAGERS, args: (fx, caller) => [queuedPairFor(fx, caller)] },
  "lib/actions/duplicates.ts#mergeAction": { who: STORE_MANAGERS, args: (fx, caller) => [queuedPairFor(fx, caller)] },
  "lib/actions/duplicates.ts#rejectReviewItemAction": {
    who: STORE_MANAGERS,
    args: (fx, caller) => [{ reviewItemId: caller === "hq" ? fx.reviewItems.hq : otherStore(caller) ? fx.reviewItems.leeds : fx.reviewItems.manager }],
  },
  "lib/actions/duplicates.ts#splitRecordsAction": {
    who: STORE_MANAGERS,
    args: (fx, caller) => [caller === "hq" ? fx.splits.hq : otherStore(caller) ? fx.splits.leeds : fx.splits.manager],
  },
  "lib/actions/duplicates.ts#unmergeAction": {
    who: STORE_MANAGERS,
    args: (fx, caller) => [{ mergeEventId: caller === "hq" ? fx.mergeEvents.hq : otherStore(caller) ? fx.mergeEvents.leeds : fx.mergeEvents.manager }],
  },

  // Head office's control room.
  "lib/actions/api-keys.ts#createApiKeyAction": {
    who: HQ_ONLY,
    args: (fx, caller) => [{ sourceId: fx.posSource, name: `Matrix till (${caller})`, scope: "lookup" }],
  },
  "lib/actions/api-keys.ts#revokeApiKeyAction": { who: HQ_ONLY, args: (fx) => [{ id: fx.apiKey }] },
  "lib/actions/hq.ts#createStaffAction": {
    who: HQ_ONLY,
    args: (fx, caller) => [
      {
        name: "Matrix Associate",
        email: `matrix-${caller.toLowerCase()}-${Date.now()}@demo.clientele`,
        role: "associate",
        homeStoreId: fx.stores.manchester,
        password: "",
      },
    ],
  },
  "lib/actions/hq.ts#changeStaffRoleAction": {
    who: HQ_ONLY,
    args: (fx) => [{ staffId: fx.staff.spare, role: "associate", homeStoreId: fx.stores.manchester }],
  },
  "lib/actions/hq.ts#setStaffActiveAction": { who: HQ_ONLY, args: (fx) => [{ staffId: fx.staff.spare, active: true }] },
  "lib/actions/hq.ts#createStoreAction": {
    who: HQ_ONLY,
    args: (_fx, caller) => [
      {
        code: `M${String(Date.now() % 1_000_000)}${CALLERS.indexOf(caller)}`,
        name: `Matrix store (${caller})`,
        city: "York",
        country: "GB",
        phone: "",
        lockTimeoutSeconds: 120,
      },
    ],
  },
  "lib/actions/hq.ts#updateStoreAction": { who: HQ_ONLY, args: (fx) => [{ storeId: fx.stores.london, store: { ...fx.london, phone: fx.london.phone ?? "" } }] },
  "lib/actions/hq.ts#saveIdentityFieldsAction": { who: HQ_ONLY, args: () => [{ defaultCountry: "GB", maxProfilesPerIdentifier: 3 }] },
  "lib/actions/hq.ts#previewMatchThresholdsAction": { who: HQ_ONLY, args: () => [{ automatic: 0.99, review: 0.5 }] },
  "lib/actions/hq.ts#saveMatchThresholdsAction": { who: HQ_ONLY, args: () => [{ automatic: 0.99, review: 0.5 }] },
  "lib/actions/hq.ts#addBlockedValueAction": { who: HQ_ONLY, args: () => [{ type: "email", value: "matrix-blocked@example.invalid" }] },
  "lib/actions/hq.ts#removeBlockedValueAction": { who: HQ_ONLY, args: () => [{ type: "email", value: "matrix-blocked@example.invalid" }] },
  "lib/actions/hq.ts#updateSourceAction": {
    who: HQ_ONLY,
    args: (fx) => [{ sourceId: fx.sources[0].id, label: fx.sources[0].label, trustRank: fx.sources[0].trustRank }],
  },
  // The sources in their present order: ranks are renumbered but nothing changes places.
  // Read at call time: enrolment earlier in the run adds the in-store source.
  "lib/actions/hq.ts#reorderSourcesAction": {
    who: HQ_ONLY,
    args: () => [{ orderedIds: queryDatabase<{ id: number }>("select id from sources order by trust_rank, id").map((x) => x.id) }],
  },
  // Past the last profile: the call is checked and answered without rewriting anyone's golden record.
  "lib/actions/hq.ts#recomputeGoldenAction": { who: HQ_ONLY, args: () => [{ afterId: 1_000_000_000 }] },
};

type RouteRow = { who: Expectations; url: (fx: Fixtures, caller: Caller) => string; post?: unknown };
/** Route handlers by file, with a sample URL. The auth routes are how anyone signs in. */
const ROUTES: Record<string, RouteRow> = {
  "app/api/auth/[...nextauth]/route.ts": { who: PUBLIC, url: () => "/api/auth/session" },
  "app/api/privacy/export/[profileId]/route.ts": { who: HQ_ONLY, url: (fx) => `/api/privacy/export/${fx.target.profileId}` },
  "app/(app)/customers/list/export/route.ts": {
    who: STORE_MANAGERS,
    url: (fx, caller) =>
      `/customers/list/export?tier=Gold${caller === "hq" ? `&store=${fx.stores.london}` : otherStore(caller) ? `&store=${fx.stores.leeds}` : ""}`,
  },
  "app/(app)/hq/audit/export/route.ts": { who: HQ_ONLY, url: (fx) => `/hq/audit/export?profile=${fx.target.profileId}` },
  // The API answers to source systems' keys only: a staff session opens nothing there.
  "app/api/v1/[kind]/route.ts": { who: KEY_ONLY, url: () => "/api/v1/customers", post: { items: [] } },
  "app/api/v1/customers/lookup/route.ts": { who: KEY_ONLY, url: (fx) => `/api/v1/customers/lookup?q=${encodeURIComponent(fx.target.loyaltyId)}` },
};

const DEMO_STYLE = "LT-0412";
function sampleRule(name: string) {
  return {
    name,
    anchorKind: "category",
    anchorValue: "Tops",
    withinDays: 30,
    targetKind: "category",
    targetValue: "Jackets",
    priority: 50,
    storeIds: [],
    activeFrom: "",
    activeTo: "",
    message: "Goes with {anchor}",
  };
}
const ruleUpdatedAt = (id: number) => queryDatabase<{ updated_at: number }>("select updated_at from suggestion_rules where id = ?", id)[0].updated_at;

function routeFiles(dir = "app"): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? routeFiles(full) : d.name === "route.ts" ? [full.split(path.sep).join("/")] : [];
  });
}

const SIGN_INS: Record<Exclude<Caller, "anonymous" | "associateOtherStore" | "managerOtherStore">, keyof typeof STAFF> = {
  associate: "associate",
  manager: "manager",
  hq: "hq",
};

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
  expect({ unlistedActions, unlistedRoutes }, "every action in the build and every route.ts needs a row in the matrix").toEqual({
    unlistedActions: [],
    unlistedRoutes: [],
  });
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
    const res = await (
      await client(state)
    ).post(page, { headers: { "Next-Action": id, Accept: "text/x-component", ...body.headers }, data: body.data, multipart: body.multipart });
    return { status: res.status(), text: await res.text() };
  };

  // Fixtures: generated customers (not the demo ones other tests read), grants from real lookups.
  const storeId = (code: string) => queryDatabase<{ id: number }>("select id from stores where code = ?", code)[0].id;
  const london = storeId("LDN");
  const leeds = storeId("LDS");
  /** Live generated customers who bought in one store and never in the other, newest first. */
  const shoppersOf = (only: number, never: number, limit: number, offset = 0) =>
    queryDatabase<{ id: number; loyalty_id: string }>(
      `select p.id, p.loyalty_id from profiles p where p.merged_into is null and p.loyalty_id is not null and p.email is not null and p.id > 10
         and not exists (select 1 from erasures e where e.profile_id = p.id)
         and exists (select 1 from orders o where o.profile_id = p.id and o.store_id = ?)
         and not exists (select 1 from orders o where o.profile_id = p.id and o.store_id = ?)
         and not exists (select 1 from merge_events m where m.survivor_id = p.id or m.absorbed_id = p.id)
       order by p.id desc limit ? offset ?`,
      only,
      never,
      limit,
      offset,
    );
  const [target, erasable, bookCustomer, ...pairProfiles] = shoppersOf(london, leeds, 10);
  const leedsShoppers = shoppersOf(leeds, london, 6);
  const queue = (a: number, b: number) => {
    writeDatabase(
      "insert into review_queue (kind, profile_a, profile_b, reason, score, status, created_at) values ('possible_duplicate', ?, ?, 'Matrix fixture', 0.9, 'open', ?)",
      a,
      b,
      Date.now(),
    );
    return queryDatabase<{ id: number }>("select max(id) as id from review_queue")[0].id;
  };
  const grantFrom = async (state: Parameters<typeof client>[0], loyaltyId = target.loyalty_id) => {
    const r = actionResult((await callAction(state, "lib/actions/customers.ts#lookupCustomerAction", [{ query: loyaltyId, submitted: true }])).text) as {
      ok: boolean;
      data: { href: string };
    };
    expect(r.ok).toBe(true);
    return new URL(r.data.href, origin).searchParams.get("g")!;
  };
  const staffId = (email: string) => queryDatabase<{ id: number }>("select id from staff where email = ?", email)[0].id;
  const londonAssociate = staffId(STAFF.associate.email);
  writeDatabase(
    "insert into notes (profile_id, staff_id, store_id, body, created_at, updated_at) values (?, ?, 1, 'Authorisation matrix note', ?, ?)",
    target.id,
    londonAssociate,
    Date.now(),
    Date.now(),
  );
  const now = Date.now();
  writeDatabase(
    `insert into suggestion_rules (name, status, anchor_kind, anchor_value, within_days, target_kind, target_value, priority, message, created_at, updated_at)
     values ('Authorisation matrix rule', 'draft', 'category', 'Tops', 30, 'category', 'Jackets', 50, 'Goes with {anchor}', ?, ?)`,
    now,
    now,
  );
  const leedsAssociate = staffId("associate.leeds@demo.clientele");
  const insertFollowUp = (store: number, staffMember: number, profile: number) => {
    writeDatabase(
      "insert into follow_ups (store_id, profile_id, staff_id, title, due_on, channel, status, created_at, updated_at) values (?, ?, ?, 'Matrix fixture', ?, 'in_store', 'open', ?, ?)",
      store,
      profile,
      staffMember,
      daysFromNow(3),
      now,
      now,
    );
    return queryDatabase<{ id: number }>("select max(id) as id from follow_ups")[0].id;
  };
  const insertList = (store: number, name: string) => {
    writeDatabase("insert into saved_customer_lists (store_id, name, query, created_at) values (?, ?, 'tier=Gold', ?)", store, name, now);
    return queryDatabase<{ id: number }>("select max(id) as id from saved_customer_lists")[0].id;
  };
  /** The newest automatic merge whose survivor shops only at `only` and that can still be undone. */
  const mergeOf = (only: number, never: number, offset: number) =>
    queryDatabase<{ id: number }>(
      `select m.id from merge_events m where m.kind = 'merge' and m.survivor_id > 10
         and exists (select 1 from merge_event_records r where r.merge_event_id = m.id)
         and exists (select 1 from orders o where o.profile_id = m.survivor_id and o.store_id = ?)
         and not exists (select 1 from orders o where o.profile_id = m.survivor_id and o.store_id = ?)
         and not exists (select 1 from merge_events later where later.id > m.id and (later.survivor_id in (m.survivor_id, m.absorbed_id) or later.absorbed_id in (m.survivor_id, m.absorbed_id)))
       order by m.id desc limit 1 offset ?`,
      only,
      never,
      offset,
    )[0].id;
  const reviewOf = (only: number, never: number, offset: number) =>
    queryDatabase<{ id: number }>(
      `select q.id from review_queue q where q.status = 'open' and q.profile_b is not null and q.profile_a > 10 and q.profile_b > 10
         and exists (select 1 from orders o where o.profile_id = q.profile_a and o.store_id = ?)
         and not exists (select 1 from orders o where o.profile_id in (q.profile_a, q.profile_b) and o.store_id = ?)
       order by q.id desc limit 1 offset ?`,
      only,
      never,
      offset,
    )[0].id;
  /** The newest record of a customer of several records who shops only at `only`, untouched by merges and reviews. */
  const splitOf = (only: number, never: number, offset: number): SplitInput => {
    const [row] = queryDatabase<{ profileId: number; recordId: number }>(
      `select p.id as profileId, (select max(c.id) from source_customers c where c.profile_id = p.id) as recordId from profiles p
        where p.merged_into is null and p.id > 10 and (select count(*) from source_customers c where c.profile_id = p.id) >= 2
          and not exists (select 1 from erasures e where e.profile_id = p.id)
          and exists (select 1 from orders o where o.profile_id = p.id and o.store_id = ?)
          and not exists (select 1 from orders o where o.profile_id = p.id and o.store_id = ?)
          and not exists (select 1 from merge_events m where m.survivor_id = p.id or m.absorbed_id = p.id)
          and not exists (select 1 from review_queue q where q.profile_a = p.id or q.profile_b = p.id)
        order by p.id limit 1 offset ?`,
      only,
      never,
      offset,
    );
    return { profileId: row.profileId, recordIds: [row.recordId] };
  };
  writeDatabase(
    "insert into staff (email, name, role, home_store_id, password_hash, created_at) values ('matrix.spare@demo.clientele', 'Matrix Spare', 'associate', ?, 'not-a-hash', ?)",
    storeId("MAN"),
    now,
  );
  const posSource = queryDatabase<{ id: number }>("select id from sources where name = 'pos'")[0].id;
  writeDatabase(
    "insert into api_keys (source_id, name, prefix, hash, scope, created_at) values (?, 'Matrix fixture key', 'ck_matrix', 'matrix-fixture-hash', 'lookup', ?)",
    posSource,
    now,
  );
  const fx: Fixtures = {
    target: { profileId: target.id, loyaltyId: target.loyalty_id },
    erasable: { profileId: erasable.id },
    grants: { own: await grantFrom(states.associate), otherStore: await grantFrom(states.leeds) },
    noteId: queryDatabase<{ id: number }>("select max(id) as id from notes where profile_id = ?", target.id)[0].id,
    ruleId: queryDatabase<{ id: number }>("select max(id) as id from suggestion_rules where name = 'Authorisation matrix rule'")[0].id,
    staff: { londonAssociate, leedsAssociate, spare: staffId("matrix.spare@demo.clientele") },
    conversionDays: Number(queryDatabase<{ value: string }>("select value from settings where key = 'suggest.conversionWindowDays'")[0]?.value ?? 30),
    stores: { london, leeds, manchester: storeId("MAN") },
    book: {
      profileId: bookCustomer.id,
      grants: { own: await grantFrom(states.associate, bookCustomer.loyalty_id), otherStore: await grantFrom(states.leeds, bookCustomer.loyalty_id) },
    },
    leedsCustomer: leedsShoppers[0].id,
    followUps: {
      snooze: insertFollowUp(london, londonAssociate, bookCustomer.id),
      complete: insertFollowUp(london, londonAssociate, bookCustomer.id),
      leeds: insertFollowUp(leeds, leedsAssociate, leedsShoppers[0].id),
    },
    savedLists: {
      manager: insertList(london, "Matrix fixture (manager)"),
      hq: insertList(london, "Matrix fixture (hq)"),
      leeds: insertList(leeds, "Matrix fixture (Leeds)"),
    },
    pairs: {
      manager: [pairProfiles[0].id, pairProfiles[1].id],
      hq: [pairProfiles[2].id, pairProfiles[3].id],
      leeds: [leedsShoppers[1].id, leedsShoppers[2].id],
    },
    mergeEvents: { manager: mergeOf(london, leeds, 0), hq: mergeOf(london, leeds, 1), leeds: mergeOf(leeds, london, 0) },
    splits: { manager: splitOf(london, leeds, 0), hq: splitOf(london, leeds, 1), leeds: splitOf(leeds, london, 0) },
    // A manager decides only items whose customers all shop at their store: queued here from such pairs.
    reviewItems: {
      manager: queue(pairProfiles[5].id, pairProfiles[6].id),
      hq: reviewOf(london, leeds, 1),
      leeds: queue(leedsShoppers[4].id, leedsShoppers[5].id),
    },
    queued: {
      manager: queue(pairProfiles[0].id, pairProfiles[1].id),
      leeds: queue(leedsShoppers[1].id, leedsShoppers[2].id),
      mixed: queue(pairProfiles[4].id, leedsShoppers[3].id),
    },
    apiKey: queryDatabase<{ id: number }>("select id from api_keys where hash = 'matrix-fixture-hash'")[0].id,
    posSource,
    sources: queryDatabase<{ id: number; label: string; trust_rank: number }>("select id, label, trust_rank from sources order by trust_rank, id").map((x) => ({
      id: x.id,
      label: x.label,
      trustRank: x.trust_rank,
    })),
    london: queryDatabase<Fixtures["london"]>(
      "select code, name, city, country, phone, lock_timeout_seconds as lockTimeoutSeconds from stores where id = ?",
      london,
    )[0],
  };

  // Nothing that names a customer may appear in a refused or public answer.
  const secrets = queryDatabase<Record<string, string | null>>(
    "select first_name, last_name, email, phone, loyalty_id from profiles where id in (?, ?)",
    target.id,
    erasable.id,
  )
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
      if (row.endsSession) continue;
      const { status, text } = await callAction(stateOf(caller), key, row.args(fx, caller));
      judge(key, row.who[caller], caller, status, text, actionResult(text));
    }
    for (const [file, row] of Object.entries(ROUTES)) {
      const http = await client(stateOf(caller));
      const res = row.post === undefined ? await http.get(row.url(fx, caller)) : await http.post(row.url(fx, caller), { data: row.post });
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
  // Cross-store rows: the London manager with their own store in the call but another store's
  // customer in it (or a pair with one on each side). Refused, or answered without naming anyone.
  const leedsSecrets = queryDatabase<Record<string, string | null>>(
    "select first_name, last_name, email, phone, loyalty_id from profiles where id in (?, ?)",
    fx.leedsCustomer,
    leedsShoppers[3].id,
  )
    .flatMap((r) => Object.values(r))
    .filter((v): v is string => !!v && v.length > 3);
  const mixed = { profileA: pairProfiles[4].id, profileB: leedsShoppers[3].id };
  const leedsProfile = (extra: Record<string, unknown>) => [{ profileId: fx.leedsCustomer, grant: null, ...extra }];
  const CROSS_STORE: { key: string; args: unknown[]; expect: "deny" | "unnamed" }[] = [
    { key: "lib/actions/duplicates.ts#previewMergeAction", args: [mixed], expect: "deny" },
    { key: "lib/actions/duplicates.ts#previewMergeAction", args: [{ ...mixed, reviewItemId: fx.queued.mixed }], expect: "deny" },
    { key: "lib/actions/duplicates.ts#mergeAction", args: [{ ...mixed, reviewItemId: fx.queued.mixed }], expect: "deny" },
    // Both in London but never queued: only head office checks or merges pairs outside the queue.
    { key: "lib/actions/duplicates.ts#previewMergeAction", args: [{ profileA: pairProfiles[4].id, profileB: pairProfiles[0].id }], expect: "deny" },
    { key: "lib/actions/duplicates.ts#mergeAction", args: [{ profileA: pairProfiles[4].id, profileB: pairProfiles[0].id }], expect: "deny" },
    { key: "lib/actions/duplicates.ts#rejectReviewItemAction", args: [{ reviewItemId: fx.queued.mixed }], expect: "deny" },
    { key: "lib/actions/customers.ts#loadPurchaseHistoryAction", args: leedsProfile({ before: null, channel: null }), expect: "deny" },
    { key: "lib/actions/profile.ts#loadTimelineAction", args: leedsProfile({ before: null, channel: null }), expect: "deny" },
    { key: "lib/actions/profile.ts#loadSuggestionsAction", args: leedsProfile({}), expect: "deny" },
    { key: "lib/actions/profile.ts#addNoteAction", args: leedsProfile({ body: "Cross-store note" }), expect: "deny" },
    { key: "lib/actions/profile.ts#setPreferenceAction", args: leedsProfile({ category: "Tops", size: "M", note: "" }), expect: "deny" },
    { key: "lib/actions/profile.ts#addTagAction", args: leedsProfile({ tag: "cross-store" }), expect: "deny" },
    { key: "lib/actions/profile.ts#removeTagAction", args: leedsProfile({ tag: "cross-store" }), expect: "deny" },
    { key: "lib/actions/profile.ts#setConsentAction", args: leedsProfile({ channel: "post", granted: false }), expect: "deny" },
    {
      key: "lib/actions/suggest.ts#recordSuggestionFeedbackAction",
      args: leedsProfile({ style: DEMO_STYLE, sku: null, source: "interest", ruleId: null, anchorStyle: null, anchorAt: null, status: "shown" }),
      expect: "deny",
    },
    {
      key: "lib/actions/suggest.ts#recordSuggestionImpressionsAction",
      args: leedsProfile({ cards: [{ style: DEMO_STYLE, sku: null, source: "interest", ruleId: null, anchorStyle: null, anchorAt: null }] }),
      expect: "deny",
    },
    {
      key: "lib/actions/book.ts#createFollowUpAction",
      args: [{ ...followUpDraft(), storeId: london, staffId: londonAssociate, profileId: fx.leedsCustomer, grant: null }],
      expect: "deny",
    },
    {
      key: "lib/actions/book.ts#assignCustomersAction",
      args: [{ storeId: london, staffId: londonAssociate, profileIds: [fx.leedsCustomer, leedsShoppers[3].id] }],
      expect: "unnamed",
    },
    {
      key: "lib/actions/book.ts#createFollowUpsAction",
      args: [{ ...followUpDraft(), storeId: london, staffId: londonAssociate, profileIds: [fx.leedsCustomer] }],
      expect: "unnamed",
    },
  ];
  for (const row of CROSS_STORE) {
    const { status, text } = await callAction(states.manager, row.key, row.args);
    const result = actionResult(text) as { ok?: boolean; code?: string } | undefined;
    const label = `${row.key} across stores as manager`;
    checks++;
    const leaked = [...secrets, ...leedsSecrets].filter((v) => text.includes(v));
    if (leaked.length > 0) failures.push(`${label}: response names another store's customer (${leaked.join(", ")})`);
    if (status >= 500) failures.push(`${label}: server error ${status}`);
    if (row.expect === "deny" && !(result?.ok === false && result.code === "forbidden"))
      failures.push(`${label}: expected forbidden, got ${status} ${text.slice(0, 200)}`);
  }
  // Sign-out and lock end the session every saved cookie above belongs to: last.
  for (const caller of CALLERS) {
    for (const [key, row] of Object.entries(ACTIONS).filter(([, r]) => r.endsSession)) {
      const { status, text } = await callAction(stateOf(caller), key, row.args(fx, caller));
      judge(key, row.who[caller], caller, status, text, actionResult(text));
    }
  }
  await Promise.all(contexts.map((c) => c.dispose()));

  const size = `${Object.keys(ACTIONS).length} actions + ${Object.keys(ROUTES).length} routes × ${CALLERS.length} callers = ${checks} checks`;
  console.log(`authorisation matrix: ${size}; ${failures.length === 0 ? "all as expected" : `${failures.length} unexpected`}`);
  expect(failures, size).toEqual([]);
});
