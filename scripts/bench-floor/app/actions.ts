"use server";

import { floorDb } from "../db";

/** An email in any case, or a phone with spaces and 0 or +44: the customer's ID, or null. */
export async function lookup(typed: string): Promise<number | null> {
  const q = typed.trim();
  const row = q.includes("@")
    ? floorDb().prepare("select id from customers where email = ?").get(q.toLowerCase())
    : floorDb()
        .prepare("select id from customers where phone = ?")
        .get(q.replace(/[^\d+]/g, "").replace(/^0/, "+44"));
  return (row as { id: number } | undefined)?.id ?? null;
}
