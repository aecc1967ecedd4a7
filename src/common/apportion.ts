// Largest remainder (Hamilton) apportionment: the one rounding rule for traffic weights, shared
// by the weight commands (routing/weights.ts) and the rule engine's "Normalize weights" fix.

/**
 * Non-negative integers proportional to `values` that add up to exactly `total`. Ties go to the
 * earlier entry, so the result is deterministic. Negative, NaN and infinite values count as 0;
 * when nothing is left to scale (all values 0), every entry gets 0.
 * Example: apportion([1, 1, 1], 100) is [34, 33, 33]; apportion([90, 0], 100) is [100, 0].
 */
export function apportion(values: readonly number[], total: number): number[] {
  const clean = values.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const sum = clean.reduce((a, b) => a + b, 0);
  if (sum === 0) {
    return clean.map(() => 0);
  }
  const quotas = clean.map((v) => (v * total) / sum);
  const result = quotas.map((q) => Math.floor(q));
  let left = total - result.reduce((a, b) => a + b, 0);
  const byRemainder = quotas.map((q, i) => ({ i, rest: q - Math.floor(q) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) {
      break;
    }
    result[i] = (result[i] ?? 0) + 1;
    left--;
  }
  return result;
}
