import { type Table, getTableColumns } from "drizzle-orm";

/**
 * Some of a table's columns under their own names, for a select beside columns of joined tables:
 * `select({ ...columnsOf(orders, "id", "total"), storeName: stores.name })`. Works on aliases too.
 */
export function columnsOf<T extends Table, const K extends keyof T["_"]["columns"] & string>(table: T, ...names: K[]): Pick<T["_"]["columns"], K> {
  const columns = getTableColumns(table);
  return Object.fromEntries(names.map((name) => [name, columns[name]])) as Pick<T["_"]["columns"], K>;
}
