// The state of one rollout, the decision at a step from the new version's health, and the state's
// JSON form (it is saved so that a rollout survives a window reload, and checked when read back).
// Pure: no `vscode`, no I/O.
import type { SamplerSnapshot } from '../sampling/samplerStats';
import { RolloutPlanError, validatePlan, validateWeights, weightsAtStep, type RolloutPlan, type WeightMap } from './rolloutPlan';

export type RolloutStatus = 'running' | 'paused' | 'promoted' | 'rolled-back' | 'aborted' | 'interrupted';
const statuses: readonly RolloutStatus[] = ['running', 'paused', 'promoted', 'rolled-back', 'aborted', 'interrupted'];

/** What the sampler measured for the new version during one step (VersionRow gives these). */
export interface StepHealth {
  /** Responses of the new version. */
  readonly samples: number;
  /** Of which errors (no answer, 5xx, redirect). */
  readonly errors: number;
  /** p95 latency in ms (0 when there were no samples). */
  readonly p95Ms: number;
}

/** The new version's health from a sampler snapshot taken over one step (zeros when it never answered). */
export function stepHealth(snapshot: SamplerSnapshot, version: string): StepHealth {
  const row = snapshot.rows.find((r) => r.version === version);
  return row ? { samples: row.count, errors: row.errors, p95Ms: row.latency.p95 } : { samples: 0, errors: 0, p95Ms: 0 };
}

export type Decision =
  | { readonly kind: 'advance'; readonly reason: string }
  | { readonly kind: 'hold'; readonly reason: string }
  | { readonly kind: 'rollback'; readonly reason: string };

export interface StepRecord {
  /** Index into plan.steps. */
  readonly step: number;
  readonly percent: number;
  readonly decision: Decision['kind'];
  readonly reason: string;
  readonly health: StepHealth;
  /** Epoch ms. */
  readonly at: number;
}

export interface RolloutState {
  readonly plan: RolloutPlan;
  /** Weights before the rollout; a rollback returns to them. */
  readonly startWeights: WeightMap;
  /** Index into plan.steps of the step whose weights are applied; -1 before the first step. */
  readonly stepIndex: number;
  /** The weights last written with success (or the starting weights). Always total 100. */
  readonly appliedWeights: WeightMap;
  /** Extra sampling rounds taken at the current step for lack of samples. */
  readonly holds: number;
  readonly status: RolloutStatus;
  /** What happened last, in words for the panel. */
  readonly message: string;
  readonly history: readonly StepRecord[];
  readonly startedAt: number;
  readonly updatedAt: number;
}

/** A new rollout, before its first step. @throws RolloutPlanError when plan or weights are invalid. */
export function createRollout(plan: RolloutPlan, startWeights: WeightMap, now: number): RolloutState {
  validatePlan(plan, startWeights);
  return { plan, startWeights: { ...startWeights }, stepIndex: -1, appliedWeights: { ...startWeights }, holds: 0, status: 'running', message: `rolling out ${plan.newVersion}: ${plan.steps.join(' → ')}`, history: [], startedAt: now, updatedAt: now };
}

/**
 * Judges a step on the new version's health: too few samples → hold (up to plan.maxHolds extra
 * rounds, default 3, then roll back); error rate above the gate or p95 above the gate → roll back;
 * otherwise advance. The error rate and p95 are judged only once minSamples are in.
 */
export function decide(plan: RolloutPlan, health: StepHealth, holds: number): Decision {
  const g = plan.gates;
  if (health.samples < g.minSamples) {
    const why = `${health.samples} of ${g.minSamples} samples of ${plan.newVersion}`;
    return holds < (plan.maxHolds ?? 3) ? { kind: 'hold', reason: `${why}: sampling longer` } : { kind: 'rollback', reason: `${why} after ${holds} extra rounds: not enough traffic to judge` };
  }
  const rate = health.errors / health.samples;
  if (rate > g.maxErrorRate) {
    return { kind: 'rollback', reason: `error rate ${(100 * rate).toFixed(1)}% is above the gate ${(100 * g.maxErrorRate).toFixed(1)}%` };
  }
  if (health.p95Ms > g.maxP95Ms) {
    return { kind: 'rollback', reason: `p95 latency ${health.p95Ms.toFixed(0)} ms is above the gate ${g.maxP95Ms} ms` };
  }
  return { kind: 'advance', reason: `healthy: ${health.samples} samples, error rate ${(100 * rate).toFixed(1)}%, p95 ${health.p95Ms.toFixed(0)} ms` };
}

/** The weights of step `index` of the state's plan. */
export function stepWeights(state: RolloutState, index: number): Record<string, number> {
  return weightsAtStep(state.startWeights, state.plan.newVersion, state.plan.steps[index]);
}

export function isFinal(status: RolloutStatus): boolean {
  return status === 'promoted' || status === 'rolled-back' || status === 'aborted';
}

const kind = 'fn-mesh-rollout';
const schema = 1;

/** The state as JSON text, tagged with its kind and schema version. */
export function serializeRollout(state: RolloutState): string {
  return JSON.stringify({ kind, schema, ...state });
}

/**
 * Reads a saved state back and checks every field: the plan, weights that total 100, a step index
 * within the plan, applied weights that are the start or a step's weights, a known status.
 * A rollout saved while running comes back "interrupted" (its window closed): the user chooses to
 * resume or roll back.
 * @throws RolloutPlanError naming the field at fault.
 */
export function deserializeRollout(text: string, now: number): RolloutState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RolloutPlanError(`saved rollout: not JSON (${(err as Error).message})`);
  }
  const o = record(raw, 'saved rollout');
  if (o.kind !== kind || o.schema !== schema) {
    throw new RolloutPlanError(`saved rollout: kind ${String(o.kind)} schema ${String(o.schema)} is not ${kind} schema ${schema}`);
  }
  const p = record(o.plan, 'plan');
  const g = record(p.gates, 'plan.gates');
  const plan: RolloutPlan = {
    newVersion: str(p.newVersion, 'plan.newVersion'),
    steps: arr(p.steps, 'plan.steps').map((s, i) => num(s, `plan.steps[${i}]`)),
    pauseSeconds: num(p.pauseSeconds, 'plan.pauseSeconds'),
    gates: { maxErrorRate: num(g.maxErrorRate, 'plan.gates.maxErrorRate'), maxP95Ms: num(g.maxP95Ms, 'plan.gates.maxP95Ms'), minSamples: num(g.minSamples, 'plan.gates.minSamples') },
    ...(p.maxHolds !== undefined ? { maxHolds: num(p.maxHolds, 'plan.maxHolds') } : {}),
  };
  const startWeights = weights(o.startWeights, 'startWeights');
  validatePlan(plan, startWeights);
  const appliedWeights = weights(o.appliedWeights, 'appliedWeights');
  const stepIndex = num(o.stepIndex, 'stepIndex');
  if (!Number.isInteger(stepIndex) || stepIndex < -1 || stepIndex >= plan.steps.length) {
    throw new RolloutPlanError(`stepIndex: ${stepIndex} is not a step of the plan (-1 to ${plan.steps.length - 1})`);
  }
  const status = str(o.status, 'status') as RolloutStatus;
  if (!statuses.includes(status)) {
    throw new RolloutPlanError(`status: "${status}" is not one of ${statuses.join(', ')}`);
  }
  const partial = { plan, startWeights, stepIndex } as RolloutState;
  const allowed = [startWeights, ...(stepIndex >= 0 ? [stepWeights(partial, stepIndex)] : []), stepWeights(partial, plan.steps.length - 1)];
  if (!allowed.some((w) => sameWeights(w, appliedWeights))) {
    throw new RolloutPlanError(`appliedWeights: ${JSON.stringify(appliedWeights)} are neither the starting weights nor those of step ${stepIndex + 1}`);
  }
  const history = arr(o.history, 'history').map((h, i) => {
    const r = record(h, `history[${i}]`);
    const health = record(r.health, `history[${i}].health`);
    const decision = str(r.decision, `history[${i}].decision`);
    if (!['advance', 'hold', 'rollback'].includes(decision)) {
      throw new RolloutPlanError(`history[${i}].decision: "${decision}" is not advance, hold or rollback`);
    }
    return {
      step: num(r.step, `history[${i}].step`),
      percent: num(r.percent, `history[${i}].percent`),
      decision: decision as Decision['kind'],
      reason: str(r.reason, `history[${i}].reason`),
      health: { samples: num(health.samples, `history[${i}].health.samples`), errors: num(health.errors, `history[${i}].health.errors`), p95Ms: num(health.p95Ms, `history[${i}].health.p95Ms`) },
      at: num(r.at, `history[${i}].at`),
    };
  });
  const state: RolloutState = {
    plan,
    startWeights,
    stepIndex,
    appliedWeights,
    holds: num(o.holds, 'holds'),
    status,
    message: str(o.message, 'message'),
    history,
    startedAt: num(o.startedAt, 'startedAt'),
    updatedAt: num(o.updatedAt, 'updatedAt'),
  };
  if (status === 'running') {
    return { ...state, status: 'interrupted', updatedAt: now, message: `the rollout of ${plan.newVersion} stopped when the window closed, at ${describeWeights(appliedWeights)}: resume it or roll back` };
  }
  return state;
}

/** "v1 75% · v2 25%". */
export function describeWeights(w: WeightMap): string {
  return Object.entries(w)
    .map(([v, n]) => `${v} ${n}%`)
    .join(' · ');
}

function sameWeights(a: WeightMap, b: WeightMap): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

function record(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new RolloutPlanError(`${where}: expected an object`);
  }
  return v as Record<string, unknown>;
}

function arr(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) {
    throw new RolloutPlanError(`${where}: expected a list`);
  }
  return v;
}

function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RolloutPlanError(`${where}: expected a number, found ${JSON.stringify(v)}`);
  }
  return v;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') {
    throw new RolloutPlanError(`${where}: expected text, found ${JSON.stringify(v)}`);
  }
  return v;
}

function weights(v: unknown, where: string): Record<string, number> {
  const r = record(v, where);
  const out: Record<string, number> = {};
  for (const [k, w] of Object.entries(r)) {
    out[k] = num(w, `${where}.${k}`);
  }
  validateWeights(out, where);
  return out;
}
