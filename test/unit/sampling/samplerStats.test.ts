import * as assert from 'node:assert/strict';
import { SamplerStats, defaultIsError, fixedWeights, type ResponseSample, type Weights, type WeightsSource } from '../../../src/sampling/samplerStats';
import { seededRandom } from '../../helpers/seededRandom';

/** A weights source the test changes, as the route watch would. */
function liveWeights(initial: Weights): WeightsSource & { set(w: Weights): void; listeners: number } {
  let current = initial;
  const listeners = new Set<(w: Weights) => void>();
  return {
    current: () => current,
    onDidChange: (l) => {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
    set(w) {
      current = w;
      listeners.forEach((l) => l(w));
    },
    get listeners() {
      return listeners.size;
    },
  };
}

const ok = (version: string, latencyMs = 10, status = 200, at = 0): ResponseSample => ({ at, version, status, latencyMs });

describe('sampler statistics', () => {
  it('gives per-version counts, shares against weights, latency and error rates', () => {
    const stats = new SamplerStats(fixedWeights({ v1: 90, v2: 10 }), { now: () => 1000 });
    for (let i = 0; i < 8; i++) {
      stats.record(ok('v1', 10 + i));
    }
    stats.record(ok('v2', 50, 503));
    stats.record({ at: 0, version: 'unknown', error: 'refused', latencyMs: 1 });
    const s = stats.snapshot();
    assert.deepEqual(
      s.rows.map((r) => [r.version, r.count, Number(r.share.toFixed(2)), r.weight, r.errors]),
      [
        ['v1', 8, 88.89, 90, 0],
        ['v2', 1, 11.11, 10, 1],
        ['unknown', 1, 0, undefined, 1],
      ],
    );
    assert.equal(s.total, 10);
    assert.equal(s.errors, 2);
    assert.equal(s.rows[1].errorRate, 1);
    assert.ok(Math.abs(s.rows[0].latency.p50 - 13) <= 0.013, `p50 ${s.rows[0].latency.p50}`);
    assert.equal(s.rows[1].statuses.serverError, 1);
    assert.equal(s.rows[2].statuses.noAnswer, 1);
    assert.equal(s.verdict.kind, 'not-enough');
  });

  it('reaches "consistent" for a true 90/10 split and follows a weight change with a new window', () => {
    const weights = liveWeights({ v1: 90, v2: 10 });
    let clock = 0;
    const stats = new SamplerStats(weights, { now: () => clock });
    const random = seededRandom(9);
    let v1 = 0;
    const draw = (share: number): string => (random() < share ? (v1++, 'v1') : 'v2');
    // Requests sent at the clock's time (after the change, they are sent after it).
    const sent = (version: string): ResponseSample => ok(version, 10, 200, clock);
    for (let i = 0; i < 3000; i++) {
      stats.record(sent(draw(0.9)));
    }
    assert.equal(stats.snapshot().verdict.kind, 'consistent');
    clock = 5000;
    weights.set({ v1: 50, v2: 50 });
    const afterChange = stats.snapshot();
    assert.deepEqual([afterChange.total, afterChange.windowTotal, afterChange.windowStartedAt], [3000, 0, 5000]);
    assert.equal(afterChange.rows[0].weight, 50);
    for (let i = 0; i < 1000; i++) {
      stats.record(sent(draw(0.9)));
    }
    assert.equal(stats.snapshot().verdict.kind, 'not-consistent');
    for (let i = 0; i < 1000; i++) {
      stats.record(sent(draw(0.5)));
    }
    // the window holds 2,000 answers, 70/30: still not consistent with 50/50
    assert.equal(stats.snapshot().verdict.kind, 'not-consistent');
    assert.deepEqual([stats.snapshot().rows[0].count, stats.snapshot().total], [v1, 5000]);
    stats.dispose();
    assert.equal(weights.listeners, 0);
  });

  it('after a weight change, answers to requests sent before it count in the totals, not in the new window', () => {
    const weights = liveWeights({ v1: 50, v2: 50 });
    let clock = 1000;
    const stats = new SamplerStats(weights, { now: () => clock });
    stats.record(ok('v1', 10, 200, 1000));
    clock = 2000;
    weights.set({ v1: 100, v2: 0 });
    // In flight when the weights changed: sent at 1999 by the old weights, answered now.
    stats.record(ok('v2', 10, 200, 1999));
    for (let i = 0; i < 100; i++) {
      stats.record(ok('v1', 10, 200, 2000 + i));
    }
    const s = stats.snapshot();
    assert.deepEqual(
      s.rows.map((r) => [r.version, r.count, r.windowCount, r.share]),
      [
        ['v1', 101, 100, 100],
        ['v2', 1, 0, 0],
      ],
    );
    assert.deepEqual([s.total, s.windowTotal], [102, 100]);
    assert.equal(s.verdict.kind, 'consistent');
  });

  it('with a settle time, the window opens that long after a weight change (the mesh applies it meanwhile)', () => {
    const weights = liveWeights({ v1: 50, v2: 50 });
    let clock = 10_000;
    const stats = new SamplerStats(weights, { now: () => clock, settleMs: 3000 });
    weights.set({ v1: 100, v2: 0 });
    assert.equal(stats.snapshot().windowStartedAt, 13_000);
    // The gateway still has the old route for a moment: v2 answers a request sent 2.5 s after the change.
    stats.record(ok('v2', 10, 200, 12_500));
    stats.record(ok('v1', 10, 200, 12_999));
    clock = 12_999;
    assert.deepEqual([stats.snapshot().total, stats.snapshot().windowTotal, stats.snapshot().verdict.kind], [2, 0, 'not-enough']);
    for (let i = 0; i < 100; i++) {
      stats.record(ok('v1', 10, 200, 13_000 + i));
    }
    const s = stats.snapshot();
    assert.deepEqual([s.total, s.windowTotal, s.rows[1].count, s.rows[1].windowCount], [102, 100, 1, 0]);
    assert.equal(s.verdict.kind, 'consistent');
    // Without the settle time the same v2 answer would stand against the weights.
    const eager = new SamplerStats(liveWeights({ v1: 100, v2: 0 }), { now: () => 10_000 });
    eager.record(ok('v2', 10, 200, 12_500));
    assert.equal(eager.snapshot().verdict.kind, 'not-consistent');
  });

  it('a version with weight 0 that answers makes the verdict "not consistent"', () => {
    const stats = new SamplerStats(fixedWeights({ v1: 100, v2: 0 }));
    stats.record(ok('v1'));
    stats.record(ok('v2'));
    assert.equal(stats.snapshot().verdict.kind, 'not-consistent');
  });

  it('a version nobody configured counts against the weights; "unknown" does not', () => {
    const stats = new SamplerStats(fixedWeights({ v1: 100 }));
    for (let i = 0; i < 40; i++) {
      stats.record(ok('v1'));
      stats.record({ at: 0, version: 'unknown', error: 'timeout', latencyMs: 1 });
    }
    assert.equal(stats.snapshot().verdict.kind, 'consistent');
    stats.record(ok('v9'));
    const s = stats.snapshot();
    assert.equal(s.verdict.kind, 'not-consistent');
    assert.deepEqual(
      s.rows.map((r) => r.version),
      ['v1', 'v9', 'unknown'],
    );
  });

  it('keeps at most maxVersions names apart, whatever a server sends', () => {
    const stats = new SamplerStats(fixedWeights({ v1: 100 }), { maxVersions: 4 });
    for (let i = 0; i < 1000; i++) {
      stats.record(ok(`junk-${i}`));
    }
    const names = stats.snapshot().rows.map((r) => r.version);
    assert.deepEqual(names, ['v1', 'junk-0', 'junk-1', 'junk-2', 'junk-3', '(other)']);
    assert.equal(stats.snapshot().rows.find((r) => r.version === '(other)')?.count, 996);
  });

  it('counts no answer, 5xx and redirects as errors, and 4xx as answers', () => {
    assert.deepEqual(
      [200, 302, 404, 500].map((status) => defaultIsError(ok('v', 1, status))),
      [false, true, false, true],
    );
    assert.equal(defaultIsError({ at: 0, version: 'v', status: 200, error: 'reset', latencyMs: 1 }), true);
  });
});
