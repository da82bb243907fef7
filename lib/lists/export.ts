import { inArray } from "drizzle-orm";
import { csvRow } from "@/lib/csv";
import type { Db } from "@/db/client";
import { type ConsentState, profiles } from "@/db/schema";
import { writeAudit } from "@/lib/audit/audit";
import { type ListFilter, listQueryString } from "./params";
import { type ListRow, queryStoreCustomers } from "./query";
import { utcDay } from "@/lib/days";

/** Rows per keyset page while streaming: memory stays flat however long the list is. */
const EXPORT_PAGE = 500;

const EXPORT_COLUMNS = ["profile_id", "first_name", "last_name", "tier", "last_purchase", "orders", "spend_gbp", "email", "phone", "city", "postcode"] as const;

type Contact = { email: string | null; phone: string | null; city: string | null; postcode: string | null; consents: Record<string, ConsentState> | null };

/**
 * The consent rule of an export, read from the golden profile at export time (not the list's
 * copies): a contact detail leaves the system only for the channel it serves and only with that
 * channel's consent granted — email with email consent, phone with SMS consent, city and postcode
 * with post consent. A customer with no channel granted is left out entirely: an export is for
 * outreach, and there is no way to reach them.
 */
export function consentedContact(contact: Contact): { email: string | null; phone: string | null; city: string | null; postcode: string | null } | null {
  const granted = (channel: string) => contact.consents?.[channel]?.granted === true;
  if (!granted("email") && !granted("sms") && !granted("post")) return null;
  return {
    email: granted("email") ? contact.email : null,
    phone: granted("sms") ? contact.phone : null,
    city: granted("post") ? contact.city : null,
    postcode: granted("post") ? contact.postcode : null,
  };
}

const csvLine = (fields: (string | number | null)[]) => csvRow(fields);

function contactsOf(db: Db, rows: ListRow[]): Map<number, Contact> {
  if (rows.length === 0) return new Map();
  const found = db
    .select({ id: profiles.id, email: profiles.email, phone: profiles.phone, city: profiles.city, postcode: profiles.postcode, consents: profiles.consents })
    .from(profiles)
    .where(
      inArray(
        profiles.id,
        rows.map((r) => r.profileId),
      ),
    )
    .all();
  return new Map(found.map((r) => [r.id, r]));
}

/**
 * The filtered list as CSV text, one chunk per keyset page, for a streamed download. The export is
 * audited (who, store, filter, rows written) when it ends, including when the download is cancelled.
 */
export function* exportCustomerList(
  db: Db,
  by: { staffId: number; storeId: number | null },
  storeId: number,
  filter: ListFilter,
  now = Date.now(),
): Generator<string, void, undefined> {
  let written = 0;
  let completed = false;
  try {
    yield csvLine([...EXPORT_COLUMNS]);
    let after: string | undefined;
    do {
      const page = queryStoreCustomers(db, storeId, filter, { after, limit: EXPORT_PAGE, now });
      const contacts = contactsOf(db, page.rows);
      let chunk = "";
      for (const row of page.rows) {
        const contact = contacts.get(row.profileId);
        const allowed = contact && consentedContact(contact);
        if (!allowed) continue;
        chunk += csvLine([
          row.profileId,
          row.firstName,
          row.lastName,
          row.tier,
          row.lastPurchaseAt ? utcDay(row.lastPurchaseAt) : null,
          row.orderCount,
          (row.spend / 100).toFixed(2),
          allowed.email,
          allowed.phone,
          allowed.city,
          allowed.postcode,
        ]);
        written++;
      }
      if (chunk) yield chunk;
      after = page.next ?? undefined;
    } while (after);
    completed = true;
  } finally {
    writeAudit(db, {
      staffId: by.staffId,
      storeId: by.storeId,
      action: "customer_list.export",
      detail: { listStoreId: storeId, filter: listQueryString(filter), rows: written, completed },
    });
  }
}
