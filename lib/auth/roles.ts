import type { Role } from "@/db/schema";

export type { Role };

const ROLE_NAMES: Record<Role, true> = { associate: true, manager: true, hq: true };

/** Every role, for forms in the browser (db/schema.ts stays on the server); typed so a new role fails to compile here. */
export const ROLES = Object.keys(ROLE_NAMES) as Role[];
