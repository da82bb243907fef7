/** Tests' match records: the fields given, the rest missing (each from a source of its own unless `sourceId` is given), normalised with the default settings. */
import { type MatchRecord, type RawMatchRecord, toMatchRecord } from "./match-model";
import { DEFAULT_IDENTITY_SETTINGS } from "./normalize";

let nextId = 1;

export function matchRecord(fields: Partial<RawMatchRecord>): MatchRecord {
  const id = nextId++;
  const empty = { firstName: null, lastName: null, birthDate: null, email: null, phone: null, postcode: null, address: null, city: null, loyaltyId: null };
  return toMatchRecord({ id, profileId: id, sourceId: id, ...empty, ...fields }, DEFAULT_IDENTITY_SETTINGS);
}
