import { createHash } from "node:crypto";
import type { CustomerRecordInput } from "./ingest";

/** A customer record as stored: what the source sent (its own payload, or the record itself) and the hash that tells a re-send from a change. */
export type StoredPayload = { payload: string; hash: string };

export function payloadOf(input: CustomerRecordInput): StoredPayload {
  return storedPayload(input.payload ?? input);
}

export function storedPayload(sent: unknown): StoredPayload {
  const payload = JSON.stringify(sent);
  return { payload, hash: createHash("sha1").update(payload).digest("base64url") };
}
