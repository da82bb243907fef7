"use server";

/** Answers without touching the session or the database: the tablet uses it to tell "offline" from "slow". */
export async function pingAction(): Promise<{ ok: true; at: number }> {
  return { ok: true, at: Date.now() };
}
