/**
 * A probability as staff read it: never "100%" for what is only very likely, and never "99%" for
 * what is below the 0.99 a merge without asking takes (98.7% is written so, not rounded up).
 */
export function formatProbability(p: number): string {
  if (p >= 0.9995) return "over 99.9% likely";
  if (p < 0.001) return "under 0.1% likely";
  const pct = p * 100;
  // Cut, not rounded, to one place: 98.96% is "98.9%", never the "99.0%" a merge takes.
  return `${pct >= 98.5 ? (Math.floor(pct * 10 + 1e-9) / 10).toFixed(1) : Math.round(pct)}% likely`;
}
