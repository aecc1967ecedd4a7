// Running statistics of sampled responses, per version: counts, shares against the configured
// weights, latency percentiles, error rates and the goodness-of-fit verdict. Memory is flat: a few
// counters and one bounded histogram per version, and at most `maxVersions` versions.
// Pure: the configured weights arrive through `WeightsSource`; the caller adapts the route watch.
import { goodnessOfFit, type FitOptions, type FitVerdict } from './goodnessOfFit';
import { LatencyHistogram, type LatencyPercentiles } from './latencyHistogram';

/** Weights by version name, as percentages (they need not total 100; they are normalised). */
export type Weights = Readonly<Record<string, number>>;

export interface Disposable {
  dispose(): void;
}

/** The configured weights and their changes (the route's watch, adapted by the caller). */
export interface WeightsSource {
  current(): Weights;
  onDidChange(listener: (weights: Weights) => void): Disposable;
}

/** Why a request got no HTTP answer. */
export type TransportError = 'refused' | 'reset' | 'timeout' | 'protocol' | 'dns' | 'other';

/** One finished request, as the load generator reports it. */
export interface ResponseSample {
  /** When the request was sent (epoch ms). */
  readonly at: number;
  /** The version that answered, or "unknown". */
  readonly version: string;
  /** HTTP status; absent when there was no HTTP answer. */
  readonly status?: number;
  /** Set when the request failed without (or in the middle of) an HTTP answer. */
  readonly error?: TransportError;
  /** From sending the request to the end of the response (or the failure), in ms. */
  readonly latencyMs: number;
}

export const unknownVersion = 'unknown';
export const otherVersions = '(other)';

/**
 * Default error policy: no HTTP answer, a 5xx, or a redirect (the sampler never follows one, so
 * the function did not answer). 4xx are answers of the function and count as successes, like
 * Flagger's request-success-rate.
 */
export function defaultIsError(sample: ResponseSample): boolean {
  return sample.error !== undefined || sample.status === undefined || sample.status >= 500 || (sample.status >= 300 && sample.status < 400);
}

export interface SamplerStatsOptions {
  readonly fit?: FitOptions;
  /** Distinct version names kept apart; later ones are counted as "(other)". Default 32. */
  readonly maxVersions?: number;
  readonly isError?: (sample: ResponseSample) => boolean;
  /** Clock for the verdict window start (epoch ms). Default Date.now. */
  readonly now?: () => number;
  /**
   * After a weight change, the time the mesh is given to apply it (istiod pushing the new route to
   * the gateway) before the verdict window opens, in ms. Default 0.
   */
  readonly settleMs?: number;
}

export interface StatusClasses {
  readonly informational: number;
  readonly success: number;
  readonly redirect: number;
  readonly clientError: number;
  readonly serverError: number;
  readonly noAnswer: number;
}

export interface VersionRow {
  readonly version: string;
  /** Responses since sampling started. */
  readonly count: number;
  /** Responses in the verdict window (to requests sent since it opened). */
  readonly windowCount: number;
  /** Share of the attributed responses in the verdict window, in percent; 0 when there are none. */
  readonly share: number;
  /** Configured weight in percent of all weights; undefined for versions not configured. */
  readonly weight: number | undefined;
  /** share - weight, in percentage points (undefined when not configured). */
  readonly difference: number | undefined;
  readonly latency: LatencyPercentiles;
  readonly errors: number;
  /** errors / count, in [0, 1]; 0 when count is 0. */
  readonly errorRate: number;
  readonly statuses: StatusClasses;
}

export interface SamplerSnapshot {
  readonly total: number;
  readonly errors: number;
  readonly windowTotal: number;
  /**
   * Epoch ms when the verdict window opened: the start, or a weight change plus the settle time
   * (later than now while the mesh is still given time to apply new weights).
   */
  readonly windowStartedAt: number;
  readonly weights: Weights;
  /** Configured versions first (in the weights' order), then others, "unknown" last. */
  readonly rows: readonly VersionRow[];
  readonly verdict: FitVerdict;
}

interface Counters {
  count: number;
  windowCount: number;
  errors: number;
  statuses: { informational: number; success: number; redirect: number; clientError: number; serverError: number; noAnswer: number };
  readonly latency: LatencyHistogram;
}

export class SamplerStats implements Disposable {
  private readonly versions = new Map<string, Counters>();
  private weights: Weights;
  private windowStartedAt: number;
  /** Requests sent before this (epoch ms) count in the totals only: they may have met the old weights. */
  private windowOpensAt = Number.NEGATIVE_INFINITY;
  private total = 0;
  private errors = 0;
  private windowTotal = 0;
  private readonly subscription: Disposable;
  private readonly maxVersions: number;
  private readonly isError: (s: ResponseSample) => boolean;
  private readonly now: () => number;

  constructor(
    source: WeightsSource,
    private readonly options: SamplerStatsOptions = {},
  ) {
    this.maxVersions = Math.max(1, options.maxVersions ?? 32);
    this.isError = options.isError ?? defaultIsError;
    this.now = options.now ?? Date.now;
    this.weights = { ...source.current() };
    this.windowStartedAt = this.now();
    this.subscription = source.onDidChange((w) => this.weightsChanged(w));
  }

  /** Counts one response. O(1) time and no allocation for versions already seen. */
  record(sample: ResponseSample): void {
    const c = this.counters(sample.version);
    const isError = this.isError(sample);
    c.count++;
    this.total++;
    if (sample.at >= this.windowOpensAt) {
      c.windowCount++;
      this.windowTotal++;
    }
    if (isError) {
      c.errors++;
      this.errors++;
    }
    const s = sample.status;
    const st = c.statuses;
    if (s === undefined || sample.error !== undefined) {
      st.noAnswer++;
    } else if (s < 200) {
      st.informational++;
    } else if (s < 300) {
      st.success++;
    } else if (s < 400) {
      st.redirect++;
    } else if (s < 500) {
      st.clientError++;
    } else {
      st.serverError++;
    }
    c.latency.record(sample.latencyMs);
  }

  /**
   * Restarts the verdict window (counts for the verdict start again; totals are kept). Only
   * requests sent from `settleMs` after now on count in it: one already in flight, or sent while
   * the mesh may still route by the old weights, would count against the new ones.
   */
  restartWindow(settleMs = 0): void {
    for (const c of this.versions.values()) {
      c.windowCount = 0;
    }
    this.windowTotal = 0;
    this.windowStartedAt = this.now() + Math.max(0, settleMs);
    this.windowOpensAt = this.windowStartedAt;
  }

  snapshot(): SamplerSnapshot {
    const totalWeight = Object.values(this.weights).reduce((s, w) => s + Math.max(0, w), 0);
    const names = [...Object.keys(this.weights)];
    for (const v of this.versions.keys()) {
      if (!(v in this.weights) && v !== unknownVersion) {
        names.push(v);
      }
    }
    if (this.versions.has(unknownVersion) && !(unknownVersion in this.weights)) {
      names.push(unknownVersion);
    }
    const attributed = names.filter((v) => v !== unknownVersion || unknownVersion in this.weights).reduce((s, v) => s + (this.versions.get(v)?.windowCount ?? 0), 0);
    const rows: VersionRow[] = names.map((version) => {
      const c = this.versions.get(version);
      const configured = version in this.weights;
      const weight = configured && totalWeight > 0 ? (100 * Math.max(0, this.weights[version])) / totalWeight : configured ? 0 : undefined;
      const windowCount = c?.windowCount ?? 0;
      const share = version === unknownVersion && !configured ? 0 : attributed > 0 ? (100 * windowCount) / attributed : 0;
      const count = c?.count ?? 0;
      return {
        version,
        count,
        windowCount,
        share,
        weight,
        difference: weight === undefined ? undefined : share - weight,
        latency: c ? c.latency.percentiles() : { p50: 0, p95: 0, p99: 0, max: 0, count: 0 },
        errors: c?.errors ?? 0,
        errorRate: count > 0 ? (c?.errors ?? 0) / count : 0,
        statuses: { ...(c?.statuses ?? emptyStatuses()) },
      };
    });
    // "unknown" responses cannot be placed: the test uses attributed responses only.
    const cells = rows.filter((r) => r.version !== unknownVersion || r.weight !== undefined).map((r) => ({ version: r.version, observed: r.windowCount, weight: r.weight ?? 0 }));
    return {
      total: this.total,
      errors: this.errors,
      windowTotal: this.windowTotal,
      windowStartedAt: this.windowStartedAt,
      weights: { ...this.weights },
      rows,
      verdict: goodnessOfFit(cells, this.options.fit),
    };
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private weightsChanged(weights: Weights): void {
    this.weights = { ...weights };
    this.restartWindow(this.options.settleMs ?? 0);
  }

  private counters(version: string): Counters {
    let c = this.versions.get(version);
    if (c) {
      return c;
    }
    const key = this.versions.size >= this.maxVersions && version !== unknownVersion ? otherVersions : version;
    c = this.versions.get(key);
    if (!c) {
      c = { count: 0, windowCount: 0, errors: 0, statuses: emptyStatuses(), latency: new LatencyHistogram() };
      this.versions.set(key, c);
    }
    return c;
  }
}

function emptyStatuses(): Counters['statuses'] {
  return { informational: 0, success: 0, redirect: 0, clientError: 0, serverError: 0, noAnswer: 0 };
}

/** A weights source that never changes, for a URL the user gives or a fixed plan step. */
export function fixedWeights(weights: Weights): WeightsSource {
  return { current: () => weights, onDidChange: () => ({ dispose: () => undefined }) };
}
