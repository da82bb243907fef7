/**
 * Audit entries in words a store manager reads: what happened, as a sentence. The stored action
 * code and detail stay exact for head office (shown beside, and in the export).
 */
type Detail = Record<string, unknown> | null;

const ACTIONS: Record<string, string> = {
  "profile.view": "Opened a customer's profile",
  "customer.lookup": "Looked up a customer",
  "customer.enrol": "Enrolled a new customer",
  "customer.export": "Exported a customer's data",
  "customer.erase": "Erased a customer",
  "consent.change": "Changed contact consent",
  "customer_list.export": "Exported a customer list",
  "customer_list.save": "Saved a customer list",
  "customer_list.delete": "Deleted a saved customer list",
  "book.assign": "Assigned a customer to an associate",
  "book.reassign": "Moved a customer to another associate",
  "book.unassign": "Took a customer off an associate's book",
  "followup.create": "Planned a follow-up",
  "followup.done": "Marked a follow-up done",
  "followup.snooze": "Put off a follow-up",
  "identity.merge": "Merged two customer profiles",
  "identity.unmerge": "Split a merged profile",
  "identity.split": "Split records off a profile into a new one",
  "identity.not_same_person": "Marked two profiles as different people",
  "staff.pin_set": "Set an associate's PIN",
  "suggest.preview": "Previewed suggestions for a customer",
  "api.lookup": "A connected system looked up a customer",
  "api_key.create": "Created an API key",
  "api_key.revoke": "Revoked an API key",
  "privacy.lift_suppression": "Lifted an erasure block",
  "hq.audit.export": "Exported the audit log",
  "hq.staff.create": "Added a staff member",
  "hq.staff.update": "Changed a staff member",
  "hq.staff.disable": "Disabled a staff member",
  "hq.staff.enable": "Re-enabled a staff member",
  "hq.store.create": "Added a store",
  "hq.store.update": "Changed a store",
  "hq.source.update": "Changed a source system",
  "hq.source.reorder": "Changed which source system is trusted first",
  "hq.identity.settings": "Changed customer matching settings",
  "hq.identity.block": "Blocked a placeholder value from matching",
  "hq.identity.unblock": "Unblocked a value for matching",
  "hq.identity.recompute.start": "Started re-checking all profiles",
  "hq.identity.recompute.done": "Finished re-checking all profiles",
};

const VIA: Record<string, string> = {
  name: "by name",
  loyalty: "by loyalty card",
  email: "by email",
  phone: "by phone",
  identifier: "by card, phone or email",
  list: "from a list",
  book: "from the client book",
};

/** "Looked up a customer" for a known action; "Hq store update" rather than nothing for one added later. */
export function actionLabel(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const words = action.replace(/^hq\./, "").replace(/[._]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function plural(n: unknown, one: string, many = `${one}s`): string {
  const count = Number(n);
  return `${count} ${count === 1 ? one : many}`;
}

function humanKey(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
}

function humanValue(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map(humanValue).join(", ");
  if (typeof value === "object")
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${humanKey(k)} ${humanValue(v)}`)
      .join(", ");
  return String(value);
}

/** The detail of one entry as a sentence; empty when there is nothing to add to the action. */
export function describeAuditDetail(action: string, detail: Detail): string {
  const d = detail ?? {};
  switch (action) {
    case "customer.lookup":
      return `Searched ${VIA[String(d.by)] ?? humanValue(d.by)}; ${plural(d.matches, "match", "matches")}.`;
    case "profile.view":
      return d.via ? `Found ${VIA[String(d.via)] ?? humanValue(d.via)}.` : "";
    case "consent.change":
      return `${String(d.channel).toUpperCase() === "SMS" ? "Text messages" : String(d.channel).charAt(0).toUpperCase() + String(d.channel).slice(1)} consent ${d.granted ? "given" : "withdrawn"}.`;
    case "customer.enrol": {
      const given = Object.entries((d.consents as Record<string, boolean>) ?? {})
        .filter(([, yes]) => yes)
        .map(([channel]) => (channel === "sms" ? "text messages" : channel));
      return given.length > 0 ? `Consent given for ${given.join(", ")}.` : "No contact consent given.";
    }
    case "customer_list.export":
      return `${plural(d.rows, "row")} written${d.completed === false ? ", stopped before the end" : ""}.`;
    case "followup.create":
      return `Due on ${humanValue(d.dueOn)}${d.channel ? `, by ${humanValue(d.channel)}` : ""}.`;
    case "followup.snooze":
      return `Put off until ${humanValue(d.until)}.`;
    case "api.lookup":
      return `From ${humanValue(d.source)}; ${plural(Array.isArray(d.profileIds) ? d.profileIds.length : 0, "customer")} returned.`;
  }
  const entries = Object.entries(d).filter(([, v]) => v !== null && v !== undefined && v !== "");
  if (entries.length === 0) return "";
  return `${entries.map(([k, v]) => `${humanKey(k)}: ${humanValue(v)}`).join("; ")}.`.replace(/^./, (c) => c.toUpperCase());
}
