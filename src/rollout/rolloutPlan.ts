// A progressive rollout plan (new version, weight steps, pause per step, health gates) and the
// weights of every step: the new version gets the step's share and the other versions share the
// rest in proportion to their starting weights, apportioned in whole numbers that total 100.
// Pure: no `vscode`, no I/O.

/** Weights by version, whole percentages. */
export type WeightMap = Readonly<Record<string, number>>;

export interface HealthGates {
  /** Highest error rate of the new version accepted at a step, in [0, 1]. */
  readonly maxErrorRate: number;
  /** Highest p95 latency of the new version accepted at a step, in ms. */
  readonly maxP95Ms: number;
  /** Responses of the new version needed at a step before it is judged. */
  readonly minSamples: number;
}

export interface RolloutPlan {
  readonly newVersion: string;
  /** The new version's weight at each step, strictly increasing whole percentages ending at 100. */
  readonly steps: readonly number[];
  /** How long each step samples before it is judged, in seconds. */
  readonly pauseSeconds: number;
  readonly gates: HealthGates;
  /** How many extra sampling rounds a step may take to reach minSamples before rolling back. Default 3. */
  readonly maxHolds?: number;
}

export class RolloutPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutPlanError';
  }
}

/** The usual plan's steps. */
export const defaultSteps: readonly number[] = [10, 25, 50, 100];

/**
 * Reads a custom list of steps such as "10, 25, 50" or "5 20 60 100"; 100 is added when missing.
 * @throws RolloutPlanError naming the bad entry.
 */
export function parseSteps(text: string): number[] {
  // Arrows ("->", "=>", "→") separate like commas; a minus sign elsewhere stays with its number.
  const parts = text
    .replace(/->|=>|→/g, ',')
    .split(/[\s,;]+/)
    .filter((p) => p !== '');
  if (parts.length === 0) {
    throw new RolloutPlanError('steps: give at least one weight, for example "10, 25, 50, 100"');
  }
  const steps = parts.map((p, i) => {
    const n = /^\d{1,3}%?$/.test(p) ? Number(p.replace(/%$/, '')) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      throw new RolloutPlanError(`steps: entry ${i + 1} "${p}" is not a whole percentage from 1 to 100`);
    }
    if (i > 0 && n <= Number(parts[i - 1]?.replace(/%$/, ''))) {
      throw new RolloutPlanError(`steps: entry ${i + 1} (${n}) does not increase on entry ${i} (${parts[i - 1]})`);
    }
    return n;
  });
  if (steps[steps.length - 1] !== 100) {
    steps.push(100);
  }
  checkSteps(steps);
  return steps;
}

function checkSteps(steps: readonly number[]): void {
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new RolloutPlanError('steps: the plan has no steps');
  }
  steps.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1 || s > 100) {
      throw new RolloutPlanError(`steps[${i}]: ${String(s)} is not a whole percentage from 1 to 100`);
    }
    if (i > 0 && s <= steps[i - 1]) {
      throw new RolloutPlanError(`steps[${i}]: ${s} does not increase on ${steps[i - 1]}`);
    }
  });
  if (steps[steps.length - 1] !== 100) {
    throw new RolloutPlanError(`steps: the last step is ${steps[steps.length - 1]}; a rollout ends at 100`);
  }
}

/**
 * Checks a plan against the starting weights.
 * @throws RolloutPlanError naming the field at fault.
 */
export function validatePlan(plan: RolloutPlan, start?: WeightMap): void {
  if (typeof plan.newVersion !== 'string' || plan.newVersion.trim() === '') {
    throw new RolloutPlanError('newVersion: name the version to roll out');
  }
  checkSteps(plan.steps);
  if (!(Number.isFinite(plan.pauseSeconds) && plan.pauseSeconds >= 1 && plan.pauseSeconds <= 86_400)) {
    throw new RolloutPlanError(`pauseSeconds: ${plan.pauseSeconds} must be from 1 to 86400`);
  }
  const g = plan.gates;
  if (!(g.maxErrorRate >= 0 && g.maxErrorRate <= 1)) {
    throw new RolloutPlanError(`gates.maxErrorRate: ${g.maxErrorRate} must be in [0, 1]`);
  }
  if (!(Number.isFinite(g.maxP95Ms) && g.maxP95Ms > 0)) {
    throw new RolloutPlanError(`gates.maxP95Ms: ${g.maxP95Ms} must be a number of ms > 0`);
  }
  if (!(Number.isInteger(g.minSamples) && g.minSamples >= 1)) {
    throw new RolloutPlanError(`gates.minSamples: ${g.minSamples} must be a whole number >= 1`);
  }
  if (plan.maxHolds !== undefined && !(Number.isInteger(plan.maxHolds) && plan.maxHolds >= 0 && plan.maxHolds <= 100)) {
    throw new RolloutPlanError(`maxHolds: ${plan.maxHolds} must be a whole number from 0 to 100`);
  }
  if (start) {
    validateWeights(start, 'starting weights');
    if (!(plan.newVersion in start)) {
      throw new RolloutPlanError(`newVersion: ${plan.newVersion} is not one of the routed versions (${Object.keys(start).join(', ')})`);
    }
    if (Object.entries(start).every(([v, w]) => v === plan.newVersion || w === 0)) {
      throw new RolloutPlanError(`starting weights: no version other than ${plan.newVersion} carries traffic, so there is nothing to roll out from`);
    }
  }
}

/**
 * Checks that weights are whole numbers from 0 to 100 totalling 100.
 * @throws RolloutPlanError naming `what`.
 */
export function validateWeights(weights: WeightMap, what: string): void {
  const entries = Object.entries(weights);
  if (entries.length === 0) {
    throw new RolloutPlanError(`${what}: no versions`);
  }
  for (const [v, w] of entries) {
    if (!Number.isInteger(w) || w < 0 || w > 100) {
      throw new RolloutPlanError(`${what}: ${v} has weight ${String(w)}; weights are whole numbers from 0 to 100`);
    }
  }
  const total = entries.reduce((s, [, w]) => s + w, 0);
  if (total !== 100) {
    throw new RolloutPlanError(`${what}: weights total ${total}, not 100`);
  }
}

/**
 * Splits `total` into whole numbers in proportion to `shares` by the largest remainder method
 * (Hamilton): floors first, then one more to the largest fractional parts; ties go to the larger
 * share, then to the earlier key. The result always totals `total`. All-zero shares get 0 each.
 */
export function apportion(shares: WeightMap, total: number): Record<string, number> {
  const keys = Object.keys(shares);
  const sum = keys.reduce((s, k) => s + Math.max(0, shares[k]), 0);
  const out: Record<string, number> = {};
  if (sum === 0) {
    keys.forEach((k) => (out[k] = 0));
    return out;
  }
  const exact = keys.map((k, i) => ({ k, i, share: Math.max(0, shares[k]), q: (total * Math.max(0, shares[k])) / sum }));
  let left = total;
  for (const e of exact) {
    out[e.k] = Math.floor(e.q + 1e-9);
    left -= out[e.k];
  }
  const order = [...exact].sort((a, b) => b.q - Math.floor(b.q + 1e-9) - (a.q - Math.floor(a.q + 1e-9)) || b.share - a.share || a.i - b.i);
  for (let j = 0; left > 0; j = (j + 1) % order.length) {
    if (order[j].share > 0) {
      out[order[j].k]++;
      left--;
    }
  }
  return out;
}

/**
 * The weights at one step: the new version gets `percent`; the others share 100 - percent in
 * proportion to their starting weights (the new version's own starting weight left out).
 * Always whole numbers totalling exactly 100, with the versions in the starting order.
 */
export function weightsAtStep(start: WeightMap, newVersion: string, percent: number): Record<string, number> {
  const others: Record<string, number> = {};
  for (const [v, w] of Object.entries(start)) {
    if (v !== newVersion) {
      others[v] = w;
    }
  }
  const rest = apportion(others, 100 - percent);
  const out: Record<string, number> = {};
  for (const v of Object.keys(start)) {
    out[v] = v === newVersion ? percent : rest[v];
  }
  return out;
}
