/** A probability as staff read it: never "100%" for what is only very likely. */
export function formatProbability(p: number): string {
  if (p >= 0.9995) return "over 99.9% likely";
  if (p < 0.001) return "under 0.1% likely";
  const pct = p * 100;
  return `${pct >= 99 ? pct.toFixed(1) : Math.round(pct)}% likely`;
}
