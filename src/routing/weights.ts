// Weight arithmetic for traffic splits: parsing `v1=90,v2=10`, presets, normalisation to integer
// percentages, and the validation that runs before anything is sent. Pure: no `vscode`.
//
// Istio treats weights as relative, but people (and Kiali) read them as percentages, so every
// split Fn Mesh writes is a list of non-negative integers totalling exactly 100.
import { apportion } from '../common/apportion';
import { UserError } from '../common/errors';

/** Weight per version name, in the route's version order. */
export type Weights = ReadonlyMap<string, number>;

export const weightTotal = 100;

export type WeightsProblemCode = 'empty' | 'syntax' | 'unknown-version' | 'duplicate' | 'not-a-number' | 'negative' | 'total-zero';

export interface WeightsProblem {
  readonly code: WeightsProblemCode;
  readonly message: string;
  /** Where in the input the wrong token starts (0-based) and how long it is. */
  readonly offset: number;
  readonly length: number;
}

export type WeightsParseResult =
  | { readonly ok: true; readonly weights: Weights; /** Versions the input did not mention (weight 0). */ readonly omitted: readonly string[] }
  | { readonly ok: false; readonly problem: WeightsProblem };

const unsignedNumber = /^\+?(\d+(\.\d*)?|\.\d+)$/;
const negativeNumber = /^-\s*(\d+(\.\d*)?|\.\d+)$/;

/** A slice of the input with its position, trimmed. */
interface Token {
  readonly text: string;
  readonly offset: number;
}

function trimmed(text: string, offset: number): Token {
  const lead = text.length - text.trimStart().length;
  return { text: text.trim(), offset: offset + lead };
}

function problem(code: WeightsProblemCode, token: Token, message: string): WeightsParseResult {
  return { ok: false, problem: { code, message: `${message} (column ${token.offset + 1})`, offset: token.offset, length: token.text.length } };
}

/**
 * Parses `version=weight` entries separated by commas (`v1=90, v2=10`; a `%` after a number is
 * accepted). Weights may be any non-negative numbers; versions not mentioned get 0. The result is
 * NOT normalised: pass it to `normaliseWeights` to get percentages.
 */
export function parseWeights(input: string, versions: readonly string[]): WeightsParseResult {
  if (input.trim().length === 0) {
    return problem('empty', { text: input, offset: 0 }, `Enter weights like ${exampleFor(versions)}`);
  }
  const given = new Map<string, { weight: number; offset: number }>();
  let start = 0;
  for (const raw of input.split(',')) {
    const rawStart = start;
    start += raw.length + 1; // the comma
    const entry = trimmed(raw, rawStart);
    if (entry.text.length === 0) {
      return problem('syntax', entry, 'Empty entry between commas');
    }
    const eq = raw.indexOf('=');
    if (eq < 0) {
      return problem('syntax', entry, `"${entry.text}" is not of the form version=weight, e.g. ${exampleFor(versions)}`);
    }
    const name = trimmed(raw.slice(0, eq), rawStart);
    const value = trimmed(raw.slice(eq + 1), rawStart + eq + 1);
    if (name.text.length === 0) {
      return problem('syntax', entry, `"${entry.text}" names no version`);
    }
    if (!versions.includes(name.text)) {
      return problem('unknown-version', name, `Unknown version "${name.text}": the route has ${versions.map((v) => `"${v}"`).join(', ')}`);
    }
    const first = given.get(name.text);
    if (first) {
      return problem('duplicate', name, `Version "${name.text}" is given twice (first at column ${first.offset + 1})`);
    }
    const number = value.text.replace(/\s*%$/, '');
    if (negativeNumber.test(number)) {
      return problem('negative', value, `Weight of "${name.text}" is negative: ${value.text}`);
    }
    if (unsignedNumber.test(number) && !Number.isFinite(Number(number))) {
      return problem('not-a-number', value, `Weight of "${name.text}" is too large: ${value.text} (weights are relative: e.g. 90 and 10)`);
    }
    if (!unsignedNumber.test(number)) {
      const hint = /[\s;|/]|=/.test(value.text) ? ' (separate entries with commas, e.g. v1=90,v2=10)' : '';
      return problem('not-a-number', value, `Weight of "${name.text}" is not a number: "${value.text}"${hint}`);
    }
    given.set(name.text, { weight: Number(number), offset: name.offset });
  }
  if ([...given.values()].every((g) => g.weight === 0)) {
    return problem('total-zero', { text: input.trim(), offset: trimmed(input, 0).offset }, 'Weights total zero: give at least one version a weight');
  }
  return {
    ok: true,
    weights: new Map(versions.map((v) => [v, given.get(v)?.weight ?? 0])),
    omitted: versions.filter((v) => !given.has(v)),
  };
}

/** `v1=90,v2=10`: the inverse of `parseWeights` for normalised weights. */
export function formatWeights(weights: Weights): string {
  return [...weights].map(([v, w]) => `${v}=${w}`).join(',');
}

function exampleFor(versions: readonly string[]): string {
  const shown = versions.length > 0 ? [...new Set(versions)].slice(0, 2) : ['v1', 'v2'];
  return formatWeights(evenSplit(shown));
}

function assertDistinct(versions: readonly string[]): void {
  if (versions.length === 0) {
    throw new UserError('A route needs at least one version');
  }
  const seen = new Set<string>();
  for (const v of versions) {
    if (seen.has(v)) {
      throw new UserError(`Version "${v}" is listed twice`);
    }
    seen.add(v);
  }
}

/** Any non-negative weights, scaled to integers totalling 100 (largest remainder method). */
export function normaliseWeights(weights: Weights): Weights {
  const entries = [...weights];
  for (const [v, w] of entries) {
    if (!Number.isFinite(w) || w < 0) {
      throw new UserError(`Weight of "${v}" must be a non-negative number, not ${w}`);
    }
  }
  if (entries.every(([, w]) => w === 0)) {
    throw new UserError('Weights total zero: give at least one version a weight');
  }
  const scaled = apportion(
    entries.map(([, w]) => w),
    weightTotal,
  );
  return new Map(entries.map(([v], i) => [v, scaled[i] ?? 0]));
}

/** Preset: everything to `target`, 0 to the others. */
export function allTo(versions: readonly string[], target: string): Weights {
  assertDistinct(versions);
  if (!versions.includes(target)) {
    throw new UserError(`Unknown version "${target}"`);
  }
  return new Map(versions.map((v) => [v, v === target ? weightTotal : 0]));
}

/** Preset: equal shares; the remainder goes one point each to the first versions (3 → 34/33/33). */
export function evenSplit(versions: readonly string[]): Weights {
  assertDistinct(versions);
  return new Map(
    apportion(
      versions.map(() => 1),
      weightTotal,
    ).map((w, i) => [versions[i] ?? '', w]),
  );
}

/**
 * The weights Route Traffic proposes for routing `versions`: the weights the route has now
 * (`current`), with versions new to the route at 0, so confirming as proposed moves no traffic;
 * an even split for a first route (`current` undefined) or when none of the versions kept has
 * any weight now.
 */
export function proposedWeights(versions: readonly string[], current: Weights | undefined): Weights {
  const kept = versions.map((v) => current?.get(v) ?? 0);
  if (!current || kept.every((w) => w <= 0)) {
    return evenSplit(versions);
  }
  assertDistinct(versions);
  return new Map(versions.map((v, i) => [v, kept[i] ?? 0]));
}

/**
 * Preset: move `percent` points of traffic to `target`, taken from the other versions in
 * proportion to their current weights (capped at what they have). `current` is normalised first.
 */
export function shiftTo(current: Weights, target: string, percent: number): Weights {
  if (!current.has(target)) {
    throw new UserError(`Unknown version "${target}"`);
  }
  if (!Number.isFinite(percent) || percent < 0 || percent > weightTotal || !Number.isInteger(percent)) {
    throw new UserError(`Shift must be a whole number of percent between 0 and 100, not ${percent}`);
  }
  const now = normaliseWeights(current);
  const targetNow = now.get(target) ?? 0;
  const others = [...now].filter(([v]) => v !== target);
  const moved = Math.min(percent, weightTotal - targetNow);
  const rest = apportion(
    others.map(([, w]) => w),
    weightTotal - targetNow - moved,
  );
  const shifted = new Map(others.map(([v], i) => [v, rest[i] ?? 0]));
  return new Map([...now.keys()].map((v) => [v, v === target ? targetNow + moved : (shifted.get(v) ?? 0)]));
}

/**
 * Problems that forbid sending `weights` for a route with `versions`: every version exactly once,
 * integer weights in 0..100, total exactly 100. Empty when the weights can be sent.
 */
export function weightProblems(weights: Weights, versions: readonly string[]): string[] {
  const problems: string[] = [];
  for (const v of weights.keys()) {
    if (!versions.includes(v)) {
      problems.push(`Unknown version "${v}"`);
    }
  }
  for (const v of versions) {
    const w = weights.get(v);
    if (w === undefined) {
      problems.push(`Version "${v}" has no weight`);
    } else if (!Number.isInteger(w) || w < 0 || w > weightTotal) {
      problems.push(`Weight of "${v}" must be a whole number from 0 to 100, not ${w}`);
    }
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (problems.length === 0 && total !== weightTotal) {
    problems.push(`Weights total ${total}; they must total ${weightTotal}`);
  }
  return problems;
}

/** Throws a UserError listing every problem (see `weightProblems`). */
export function assertValidWeights(weights: Weights, versions: readonly string[]): void {
  const problems = weightProblems(weights, versions);
  if (problems.length > 0) {
    throw new UserError(`Invalid weights: ${problems.join('; ')}`);
  }
}
