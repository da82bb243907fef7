export const MAX_CANDIDATES = 10;

export function displayName(p: { firstName: string | null; lastName: string | null }): string {
  return [p.firstName, p.lastName].filter(Boolean).join(" ") || "Name not known";
}
