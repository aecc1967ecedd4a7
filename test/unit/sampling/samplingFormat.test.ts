import * as assert from 'node:assert/strict';
import { SamplerStats, fixedWeights } from '../../../src/sampling/samplerStats';
import { formatResponseLine, formatRunEnd, formatSummaryTable, LineThrottle } from '../../../src/sampling/samplingFormat';

const t0 = Date.UTC(2026, 0, 2, 12, 0, 1, 234);

describe('sampling output text', () => {
  it('writes one line per response with time, version, status and latency', () => {
    assert.equal(formatResponseLine({ at: t0, version: 'v2', status: 200, latencyMs: 12.345 }), '12:00:01.234  v2            200    12.3 ms');
    assert.equal(formatResponseLine({ at: t0, version: 'unknown', error: 'refused', latencyMs: 0.5 }), '12:00:01.234  unknown       connection refused  0.50 ms');
    assert.match(formatResponseLine({ at: t0, version: 'v1', status: 200, error: 'reset', latencyMs: 250 }), /v1 +200 connection reset {2}250 ms$/);
  });

  it('throttles lines per second and says how many were held back', () => {
    const throttle = new LineThrottle(3);
    const printed = Array.from({ length: 10 }, (_, i) => throttle.offer(t0 + i));
    assert.deepEqual(printed, [true, true, true, false, false, false, false, false, false, false]);
    assert.equal(throttle.flush(), '… 7 more responses');
    assert.equal(throttle.flush(), undefined);
    assert.equal(throttle.offer(t0 + 1000), true, 'a new second lets lines through again');
    assert.equal(new LineThrottle(0).offer(t0), false);
    const one = new LineThrottle(0);
    one.offer(t0);
    assert.equal(one.flush(), '… 1 more response');
  });

  it('prints an aligned summary table with the verdict', () => {
    const stats = new SamplerStats(fixedWeights({ v1: 90, 'v2-long-name': 10 }), { now: () => t0 - 3000 });
    for (let i = 0; i < 9; i++) {
      stats.record({ at: t0, version: 'v1', status: 200, latencyMs: 5 + i });
    }
    stats.record({ at: t0, version: 'v2-long-name', status: 500, latencyMs: 120 });
    const text = formatSummaryTable(stats.snapshot(), t0);
    const lines = text.split('\n');
    assert.equal(lines[0], '── 12:00:01.234  10 responses, 1 errors; verdict window 10 responses over 3 s');
    assert.match(lines[1], /^version +count +share +weight +diff +p50 ms +p95 ms +p99 ms +errors$/);
    assert.match(lines[2], /^v1 +9 +90\.0% +90\.0% +\+0\.0 +9\.0\d +13\.0 +13\.0 +0\.0%$/);
    assert.match(lines[3], /^v2-long-name +1 +10\.0% +10\.0% +\+0\.0 +120 +120 +120 +100\.0%$/);
    assert.equal(new Set(lines.slice(1, 4).map((l) => l.length)).size, 1, 'rows have one width');
    assert.equal(lines[4], 'verdict: not enough samples yet: about 273 more needed');
  });

  it('says so while the verdict window waits for the mesh to apply changed weights', () => {
    let clock = t0;
    let change: ((w: Record<string, number>) => void) | undefined;
    const weights = { current: () => ({ v1: 50, v2: 50 }), onDidChange: (l: (w: Record<string, number>) => void) => ((change = l), { dispose: () => undefined }) };
    const stats = new SamplerStats(weights, { now: () => clock, settleMs: 3000 });
    change?.({ v1: 100, v2: 0 });
    clock = t0 + 500;
    assert.equal(formatSummaryTable(stats.snapshot(), clock).split('\n')[0], '── 12:00:01.734  0 responses, 0 errors; the weights changed: verdict window opens in 3 s, once the mesh has applied them');
    assert.equal(formatSummaryTable(stats.snapshot(), t0 + 5000).split('\n')[0], '── 12:00:06.234  0 responses, 0 errors; verdict window 0 responses over 2 s');
  });
  it('ends a run with a sentence: why it stopped, requests, the rate reached against the rate asked for', () => {
    assert.equal(
      formatRunEnd('hello-app', { sent: 184, reported: 181, elapsedMs: 43893.7, stoppedBy: 'abort', ratePerSecond: 20, concurrency: 8 }),
      '=== Sampling of hello-app ended (stopped): 184 requests sent, 181 answered or failed in 43.9 s (4.1 a second; asked for 20 a second, 8 at a time)',
    );
    assert.match(formatRunEnd('a', { sent: 10, reported: 10, elapsedMs: 0, stoppedBy: 'count', ratePerSecond: Infinity, concurrency: 1 }), /ended \(its request count was reached\): .* \(0 a second; asked for as fast as possible, 1 at a time\)$/);
  });
  it('says why the verdict cannot move when no response in the window came from a version of the route', () => {
    const stats = new SamplerStats(fixedWeights({ v1: 50, v2: 50 }), { now: () => t0 - 1000 });
    for (let i = 0; i < 5; i++) {
      stats.record({ at: t0, version: 'unknown', status: 503, latencyMs: 2 });
    }
    const lines = formatSummaryTable(stats.snapshot(), t0).split('\n');
    assert.match(lines.at(-1) ?? '', /^verdict: not enough samples yet: about \d+ more needed \(none of the 5 responses in the window came from a version of the route: see the rows above\)$/);
    stats.record({ at: t0, version: 'v1', status: 200, latencyMs: 2 });
    assert.doesNotMatch(formatSummaryTable(stats.snapshot(), t0), /none of the/);
  });
});
