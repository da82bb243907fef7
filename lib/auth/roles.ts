import type { Role } from "@/db/schema";

export type { Role };

/** What each role is called on screen; typed so a new role fails to compile until it has a name. */
export const ROLE_LABELS: Record<Role, string> = { associate: "Sales associate", manager: "Store manager", hq: "Head office" };

/** Every role, for forms in the browser (db/schema.ts stays on the server). */
export const ROLES = Object.keys(ROLE_LABELS) as Role[];
