// Pearson's chi-square goodness-of-fit test of observed response counts against configured
// weights, with an estimate of how many samples a test needs before "consistent" means something.
// Pure: no `vscode`, no I/O. The distributions come from stdlib (chi-square CDF and quantile,
// Poisson PMF); this file only combines them.
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import poissonPmf from '@stdlib/stats-base-dists-poisson-pmf';

/** One version in the test: its observed count and its configured weight (any non-negative scale). */
export interface FitCell {
  readonly version: string;
  readonly observed: number;
  readonly weight: number;
}

export interface FitOptions {
  /** Significance level of the test. Default 0.05 (the verdict speaks of "95%"). */
  readonly alpha?: number;
  /**
   * Significance level for an early "not consistent", before the planned sample size is reached
   * (the Haybittle–Peto boundary for interim looks). Default 0.001.
   */
  readonly interimAlpha?: number;
  /** Power the sample size aims for. Default 0.8. */
  readonly power?: number;
  /**
   * The smallest deviation, in percentage points of one version's share, the test should detect
   * with the given power before it may say "consistent". Default 5.
   */
  readonly tolerancePoints?: number;
}

export type FitVerdict =
  | { readonly kind: 'consistent'; readonly n: number; readonly pValue: number }
  | { readonly kind: 'not-consistent'; readonly n: number; readonly pValue: number; readonly reason: string }
  | { readonly kind: 'not-enough'; readonly n: number; readonly needed: number; readonly more: number };

/** The verdict as the summary table prints it. */
export function verdictText(v: FitVerdict): string {
  switch (v.kind) {
    case 'consistent':
      return 'consistent';
    case 'not-consistent':
      return 'not consistent at 95%';
    case 'not-enough':
      return `not enough samples yet: about ${v.more} more needed`;
  }
}

/**
 * CDF of the noncentral chi-square distribution with `k` degrees of freedom and noncentrality
 * `lambda`, as the Poisson(lambda/2)-weighted mixture of central chi-square CDFs with k + 2j
 * degrees of freedom (Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions, vol. 2,
 * ch. 29). The sum stops once the Poisson weights left are below 1e-12.
 */
export function noncentralChisquareCdf(x: number, k: number, lambda: number): number {
  if (lambda === 0) {
    return chisquareCdf(x, k);
  }
  const mean = lambda / 2;
  const last = Math.ceil(mean + 12 * Math.sqrt(mean) + 30);
  let sum = 0;
  let weightSeen = 0;
  for (let j = 0; j <= last && weightSeen < 1 - 1e-12; j++) {
    const w = poissonPmf(j, mean);
    weightSeen += w;
    sum += w * chisquareCdf(x, k + 2 * j);
  }
  return Math.min(1, Math.max(0, sum));
}

/**
 * The noncentrality at which a chi-square test with `df` degrees of freedom at level `alpha`
 * rejects with probability `power` (Cohen, Statistical Power Analysis, 1988, ch. 7: lambda = n w²).
 * Found by bisection to 1e-6. df = 1, alpha 0.05, power 0.8 gives about 7.85.
 */
export function noncentralityForPower(df: number, alpha: number, power: number): number {
  const key = `${df}/${alpha}/${power}`;
  const known = lambdaCache.get(key);
  if (known !== undefined) {
    return known;
  }
  const critical = chisquareQuantile(1 - alpha, df);
  let lo = 0;
  let hi = 1;
  while (1 - noncentralChisquareCdf(critical, df, hi) < power) {
    hi *= 2;
  }
  while (hi - lo > 1e-6) {
    const mid = (lo + hi) / 2;
    if (1 - noncentralChisquareCdf(critical, df, mid) < power) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  if (lambdaCache.size < 256) {
    lambdaCache.set(key, hi);
  }
  return hi;
}

/** Solved noncentralities by "df/alpha/power" (a snapshot per second asks the same question). */
const lambdaCache = new Map<string, number>();

/**
 * Samples needed before the test may say "consistent": the larger of
 * - the rule of thumb that every expected count is at least 5 (n >= 5 / smallest positive share),
 * - the sample size at which a deviation of `tolerancePoints` in one version's share is detected
 *   with probability `power`. The least detectable such deviation moves the share p of the version
 *   nearest 50% and spreads the opposite change over the others in proportion to their weights:
 *   its effect size is w² = d² / (p (1 - p)), and n = lambda / w².
 * With a single version carrying all the weight, the test is "no other version answered": n is the
 * smallest number of draws in which a version with share d would show up with probability `power`.
 * Returns 0 when no weight is positive.
 */
export function samplesNeeded(weights: readonly number[], options: FitOptions = {}): number {
  const { alpha, power, d } = resolve(options);
  const total = weights.reduce((s, w) => s + Math.max(0, w), 0);
  const shares = weights.filter((w) => w > 0).map((w) => w / total);
  if (shares.length === 0) {
    return 0;
  }
  if (shares.length === 1) {
    return Math.ceil(Math.log(1 - power) / Math.log(1 - d));
  }
  const byExpected = Math.ceil(5 / Math.min(...shares) - 1e-9);
  const p = shares.reduce((best, s) => (Math.abs(s - 0.5) < Math.abs(best - 0.5) ? s : best));
  const lambda = noncentralityForPower(shares.length - 1, alpha, power);
  const byPower = Math.ceil((lambda * p * (1 - p)) / (d * d));
  return Math.max(byExpected, byPower);
}

/**
 * Tests observed counts against configured weights.
 * - A version with weight 0 (or not configured) that answered makes it "not-consistent" at once.
 * - Before `samplesNeeded` responses: "not-consistent" only on overwhelming evidence (every expected
 *   count at least 5 and p below `interimAlpha`, 0.001), else "not-enough" with how many more.
 *   The verdict is re-evaluated live (every second), and testing at 5% on every look would flag a
 *   true split by chance early on; the Haybittle–Peto boundary (Haybittle 1971, Peto et al. 1976)
 *   keeps the overall level near alpha.
 * - From `samplesNeeded` on: p below alpha → "not-consistent", else "consistent".
 * Counts must be non-negative integers; weights non-negative (they are normalised here).
 * @throws RangeError when a count or weight is negative or not finite.
 */
export function goodnessOfFit(cells: readonly FitCell[], options: FitOptions = {}): FitVerdict {
  const { alpha, interimAlpha } = resolve(options);
  for (const c of cells) {
    if (!(c.observed >= 0) || !Number.isFinite(c.observed) || !(c.weight >= 0) || !Number.isFinite(c.weight)) {
      throw new RangeError(`goodness of fit: version ${c.version} has observed ${c.observed} and weight ${c.weight}; both must be finite and >= 0`);
    }
  }
  const n = cells.reduce((s, c) => s + c.observed, 0);
  const unexpected = cells.filter((c) => c.weight === 0 && c.observed > 0);
  if (unexpected.length > 0) {
    const names = unexpected.map((c) => `${c.version} (${c.observed})`).join(', ');
    return { kind: 'not-consistent', n, pValue: 0, reason: `versions with weight 0 answered: ${names}` };
  }
  const positive = cells.filter((c) => c.weight > 0);
  const needed = samplesNeeded(
    positive.map((c) => c.weight),
    options,
  );
  if (positive.length === 0) {
    return { kind: 'not-enough', n, needed: 0, more: 0 };
  }
  const total = positive.reduce((s, c) => s + c.weight, 0);
  let statistic = 0;
  let minExpected = Infinity;
  for (const c of positive) {
    const expected = (n * c.weight) / total;
    minExpected = Math.min(minExpected, expected);
    statistic += expected > 0 ? ((c.observed - expected) * (c.observed - expected)) / expected : 0;
  }
  const pValue = positive.length > 1 ? 1 - chisquareCdf(statistic, positive.length - 1) : 1;
  if (n < needed && minExpected >= 5 && pValue < interimAlpha) {
    return { kind: 'not-consistent', n, pValue, reason: `chi-square ${statistic.toFixed(2)} on ${positive.length - 1} df, p = ${pValue.toPrecision(3)}` };
  }
  if (n < needed) {
    return { kind: 'not-enough', n, needed, more: needed - n };
  }
  return pValue < alpha ? { kind: 'not-consistent', n, pValue, reason: `p = ${pValue.toPrecision(3)}` } : { kind: 'consistent', n, pValue };
}

function resolve(options: FitOptions): { alpha: number; interimAlpha: number; power: number; d: number } {
  const alpha = options.alpha ?? 0.05;
  const interimAlpha = Math.min(alpha, options.interimAlpha ?? 0.001);
  const power = options.power ?? 0.8;
  const points = options.tolerancePoints ?? 5;
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1) || !(points > 0 && points < 100)) {
    throw new RangeError(`goodness of fit: alpha ${alpha} and power ${power} must be in (0, 1), tolerance ${points} in (0, 100) points`);
  }
  return { alpha, interimAlpha, power, d: points / 100 };
}
