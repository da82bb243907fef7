"use server";

import QRCode from "qrcode";
import { z } from "zod";
import { type Db, inTransaction } from "@/db/client";
import { writeAudit } from "@/lib/audit/audit";
import { issueProfileGrant } from "@/lib/auth/grant";
import { addNote, addTag, editNote, noteProfileId, removeTag, setPreference } from "@/lib/customers/clienteling";
import { getTimeline } from "@/lib/customers/timeline";
import { CHANNELS } from "@/db/schema";
import { CONSENT_CHANNELS } from "@/lib/customers/channels";
import { enrolCustomer, enrolmentSchema, ensureClienteleSource, findExistingCustomers, placeholderWarnings } from "@/lib/customers/enrol";
import { consentHistory, recordConsent } from "@/lib/customers/consent";
import { env } from "@/env";
import { DomainError } from "@/lib/errors";
import { createIngestContext } from "@/lib/identity/ingest";
import { normalizeEmail, normalizePhone } from "@/lib/identity/normalize";
import { identitySettingsFor } from "@/lib/identity/settings-cache";
import { getStore } from "@/lib/stores/stores";
import { suggestForProfile } from "@/lib/suggest/engine";
import { ALL_ROLES, staffAction } from "./safe-action";

/** A note's customer, for checking access to it; a note gone is a clear not-found. */
function notedProfile(db: Db, noteId: number): number {
  const profileId = noteProfileId(db, noteId);
  if (profileId === null) throw new DomainError("not_found", "That note no longer exists.");
  return profileId;
}

const profileRef = { profileId: z.number().int().positive(), grant: z.string().max(300).nullable() };

export const loadTimelineAction = staffAction(
  {
    input: z.object({ ...profileRef, before: z.number().int().nullable(), channel: z.enum(CHANNELS).nullable() }),
    roles: ALL_ROLES,
    scope: "profile",
    read: "customer.timeline",
  },
  ({ profileId, before, channel }, { db }) => getTimeline(db, profileId, before, channel),
);

/** The profile page asks for its suggestions after it is on screen: the engine's work never holds back the name and purchases. */
export const loadSuggestionsAction = staffAction({ input: z.object(profileRef), roles: ALL_ROLES, scope: "profile" }, ({ profileId }, { staff, db }) =>
  suggestForProfile(db, { profileId, storeId: staff.storeId, now: Date.now() }),
);

const noteBody = z.string().trim().min(1, "Write something first.").max(2000, "Keep a note under 2,000 characters.");

export const addNoteAction = staffAction(
  { input: z.object({ ...profileRef, body: noteBody }), roles: ALL_ROLES, scope: "profile" },
  ({ profileId, body }, { staff, db }) => {
    return addNote(db, profileId, { staffId: staff.id, storeId: staff.storeId }, body);
  },
);

export const editNoteAction = staffAction(
  {
    input: z.object({ noteId: z.number().int().positive(), grant: z.string().max(300).nullable(), body: noteBody }),
    roles: ALL_ROLES,
    scope: { profile: ({ noteId, grant }, { db }) => ({ profileId: notedProfile(db, noteId), grant }) },
  },
  ({ noteId, body }, { staff, db }) => {
    return editNote(db, noteId, { staffId: staff.id }, body);
  },
);

export const setPreferenceAction = staffAction(
  {
    input: z.object({
      ...profileRef,
      category: z.string().trim().min(1, "Choose a category.").max(40),
      size: z
        .string()
        .trim()
        .max(10, "A size is at most 10 characters.")
        .transform((v) => v || null),
      note: z
        .string()
        .trim()
        .max(200, "Keep it under 200 characters.")
        .transform((v) => v || null),
    }),
    roles: ALL_ROLES,
    scope: "profile",
  },
  ({ profileId, grant: _grant, ...pref }, { staff, db }) => {
    setPreference(db, profileId, { staffId: staff.id }, pref);
    return pref;
  },
);

const tagSchema = z.string().trim().min(1, "Type a tag.").max(30, "Keep a tag under 30 characters.");

export const addTagAction = staffAction(
  { input: z.object({ ...profileRef, tag: tagSchema }), roles: ALL_ROLES, scope: "profile" },
  ({ profileId, tag }, { staff, db }) => {
    addTag(db, profileId, { staffId: staff.id }, tag);
    return tag;
  },
);

export const removeTagAction = staffAction(
  { input: z.object({ ...profileRef, tag: tagSchema }), roles: ALL_ROLES, scope: "profile" },
  ({ profileId, tag }, { db }) => {
    removeTag(db, profileId, tag);
    return tag;
  },
);

export const setConsentAction = staffAction(
  { input: z.object({ ...profileRef, channel: z.enum(CONSENT_CHANNELS), granted: z.boolean() }), roles: ALL_ROLES, scope: "profile" },
  ({ profileId, channel, granted }, { staff, db }) => {
    const consent = inTransaction(db, () => recordConsent(db, profileId, { staffId: staff.id, storeId: staff.storeId }, channel, granted));
    writeAudit(db, { staffId: staff.id, storeId: staff.storeId, action: "consent.change", profileId, detail: { channel, granted } });
    return { consent, history: consentHistory(db, profileId) };
  },
);

/** Checks an enrolment as it is typed: field problems, and whether the phone or email already belongs to someone. */
export const checkEnrolmentAction = staffAction(
  { input: z.object({ email: z.string().max(200).default(""), phone: z.string().max(40).default("") }), roles: ALL_ROLES, scope: "own" },
  ({ email, phone }, { staff, db }) => {
    const identity = identitySettingsFor(db);
    const fieldErrors: Record<string, string> = {};
    if (email.trim() && !normalizeEmail(email)) fieldErrors.email = "This is not a valid email address.";
    if (phone.trim() && !normalizePhone(phone, identity.defaultCountry)) fieldErrors.phone = `This is not a valid phone number for ${identity.defaultCountry}.`;
    const secret = env().AUTH_SECRET;
    const matches = findExistingCustomers(db, identity, { email, phone });
    const existing = matches.map(({ profileId, ...m }) => ({
      ...m,
      href: `/customers/${profileId}?g=${issueProfileGrant(secret, staff.id, profileId, m.matchedOn.includes("phone") ? "phone" : "email")}`,
    }));
    // A match hands out a way into the profile, so it is a lookup like any other.
    if (existing.length > 0) {
      writeAudit(db, {
        staffId: staff.id,
        storeId: staff.storeId,
        action: "customer.lookup",
        profileId: matches.length === 1 ? matches[0].profileId : null,
        detail: { by: "enrolment", matches: matches.length },
      });
    }
    return { fieldErrors, warnings: placeholderWarnings(identity, { email, phone }), existing };
  },
);

export const enrolCustomerAction = staffAction({ input: z.unknown(), roles: ALL_ROLES, scope: "own" }, async (raw, { staff, db }) => {
  const identity = identitySettingsFor(db);
  const parsed = enrolmentSchema(identity).safeParse(raw);
  if (!parsed.success) {
    const { fieldErrors, formErrors } = z.flattenError(parsed.error);
    throw new DomainError("invalid_input", formErrors[0] ?? "Please check the highlighted fields.", fieldErrors as Record<string, string[]>);
  }
  ensureClienteleSource(db);
  const store = getStore(db, staff.storeId);
  const created = inTransaction(db, () =>
    enrolCustomer(createIngestContext(db), parsed.data, { staffId: staff.id, storeId: staff.storeId, storeCity: store?.city }),
  );
  writeAudit(db, {
    staffId: staff.id,
    storeId: staff.storeId,
    action: "customer.enrol",
    profileId: created.profileId,
    detail: { consents: parsed.data.consents },
  });
  const qrSvg = await QRCode.toString(created.loyaltyId, { type: "svg", margin: 1 });
  return {
    loyaltyId: created.loyaltyId,
    qrSvg,
    href: `/customers/${created.profileId}?g=${issueProfileGrant(env().AUTH_SECRET, staff.id, created.profileId, "enrolment")}`,
  };
});
