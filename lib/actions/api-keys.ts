"use server";

import { z } from "zod";
import { API_KEY_SCOPES } from "@/db/schema";
import { createApiKey, revokeApiKey } from "@/lib/api/keys";
import { HQ, staffAction } from "./safe-action";

/** The key itself is in this one response only: the database keeps its hash. Both actions are audited by lib/api/keys. */
export const createApiKeyAction = staffAction(
  {
    input: z.object({
      sourceId: z.number().int().positive(),
      name: z.string().trim().min(1, "Name the key after the system that will use it.").max(80, "At most 80 characters."),
      scope: z.enum(API_KEY_SCOPES),
    }),
    roles: HQ,
    scope: "chain",
  },
  (input, { staff, db }) => createApiKey(db, { ...input, staffId: staff.id }),
);

export const revokeApiKeyAction = staffAction({ input: z.object({ id: z.number().int().positive() }), roles: HQ, scope: "chain" }, ({ id }, { staff, db }) => {
  revokeApiKey(db, { id, staffId: staff.id });
  return { id };
});
