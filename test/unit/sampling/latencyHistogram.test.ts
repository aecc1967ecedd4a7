import * as assert from 'node:assert/strict';
import { LatencyHistogram } from '../../../src/sampling/latencyHistogram';
import { seededRandom } from '../../helpers/seededRandom';

/** Exact percentile by the nearest-rank method, as HdrHistogram defines it. */
function exact(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('latency histogram', () => {
  it('gives percentiles within its 0.1% precision of the exact values', () => {
    const random = seededRandom(42);
    const h = new LatencyHistogram();
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const v = Math.round(-Math.log(1 - random()) * 20_000) / 1000 + 0.5; // exponential, ms with µs resolution
      values.push(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    for (const p of [50, 95, 99]) {
      const e = exact(values, p);
      assert.ok(Math.abs(h.percentile(p) - e) <= e * 0.001 + 0.001, `p${p}: ${h.percentile(p)} vs ${e}`);
    }
    const all = h.percentiles();
    assert.equal(all.count, 50_000);
    assert.ok(Math.abs(all.max - values[values.length - 1]) <= values[values.length - 1] * 0.001);
  });

  it('clamps values out of range and resets', () => {
    const h = new LatencyHistogram();
    h.record(-5);
    h.record(Number.NaN);
    h.record(10 * 3_600_000);
    assert.equal(h.count, 3);
    assert.equal(h.percentile(10), 0);
    assert.ok(Math.abs(h.percentile(100) - 3_600_000) <= 3_600);
    h.reset();
    assert.deepEqual(h.percentiles(), { p50: 0, p95: 0, p99: 0, max: 0, count: 0 });
  });
});
