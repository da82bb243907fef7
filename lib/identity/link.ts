/** Birth dates compared by their digits, so 1971-06-24 from one system and 19710624 from another agree. */
export function canonicalBirthDate(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  if (!trimmed) return null;
  const digits = trimmed.replace(/\D/g, "");
  return digits.length >= 6 ? digits : trimmed.toLowerCase();
}
