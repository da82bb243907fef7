/**
 * The one CSV writer for every export (customer lists, the audit log, import rejects, identity
 * clusters, mined rules): RFC 4180 quoting, and text a spreadsheet would run as a formula (leading
 * = + - @, tab or carriage return) prefixed with a quote so it is shown, never run. Numbers are
 * written as numbers: a negative amount is data, not a formula.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(fields: readonly unknown[], lineEnd = "\r\n"): string {
  return fields.map(csvField).join(",") + lineEnd;
}
