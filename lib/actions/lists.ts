"use server";

import { z } from "zod";
import { DomainError } from "@/lib/errors";
import { filterOf, parseListParams } from "@/lib/lists/params";
import { deleteSavedList, saveList } from "@/lib/lists/saved";
import { listStoreFor } from "@/lib/lists/scope";
import { MANAGERS, staffAction } from "./safe-action";

const storeRef = z.number().int().positive().optional();

/** Saves the list's current filter (its query string, as in the address bar) under a name for the store. */
export const saveCustomerListAction = staffAction(
  {
    input: z.object({
      store: storeRef,
      name: z.string().trim().min(1, "Give the list a name.").max(60, "Keep the name under 60 characters."),
      query: z.string().max(2000),
    }),
    roles: MANAGERS,
    scope: { store: ({ store }, { staff, db }) => listStoreFor(db, staff, store) },
  },
  ({ store, name, query }, { staff, db }) => {
    const storeId = listStoreFor(db, staff, store);
    const parsed = parseListParams(new URLSearchParams(query));
    if (!parsed.ok) throw new DomainError("invalid_input", parsed.errors.join(" "));
    const saved = saveList(db, { staffId: staff.id, storeId: staff.storeId }, { storeId, name, filter: filterOf(parsed.params) });
    return { id: saved.id, name: saved.name, query: saved.query };
  },
);

export const deleteCustomerListAction = staffAction(
  {
    input: z.object({ store: storeRef, id: z.number().int().positive() }),
    roles: MANAGERS,
    scope: { store: ({ store }, { staff, db }) => listStoreFor(db, staff, store) },
  },
  ({ store, id }, { staff, db }) => {
    deleteSavedList(db, { staffId: staff.id, storeId: staff.storeId }, { storeId: listStoreFor(db, staff, store), id });
    return { id };
  },
);
