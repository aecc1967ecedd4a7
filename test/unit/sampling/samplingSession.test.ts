import * as assert from 'node:assert/strict';
import type { SamplerSnapshot, Weights, WeightsSource } from '../../../src/sampling/samplerStats';
import { startSampling } from '../../../src/sampling/samplingSession';
import { startLocalServer, type LocalServer } from '../../helpers/localServer';

describe('sampling session', function () {
  this.timeout(10_000);
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('prints throttled response lines and a summary every period, and follows a weight change', async () => {
    let i = 0;
    // answers alternate: exactly 50/50
    server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'x-fn-mesh-version': i++ % 2 === 0 ? 'v1' : 'v2' });
      res.end('ok');
    });
    let weights: Weights = { v1: 90, v2: 10 };
    const listeners = new Set<(w: Weights) => void>();
    const source: WeightsSource = {
      current: () => weights,
      onDidChange: (l) => (listeners.add(l), { dispose: () => listeners.delete(l) }),
    };
    const text: string[] = [];
    const snapshots: SamplerSnapshot[] = [];
    const session = startSampling({
      load: { url: server.url, concurrency: 2, ratePerSecond: 400, limits: { maxRatePerSecond: 1000, maxConcurrency: 8 } },
      weights: source,
      linesPerSecond: 5,
      summaryEveryMs: 200,
      onText: (t) => text.push(t),
      onSnapshot: (s) => snapshots.push(s),
    });
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(session.stats.snapshot().verdict.kind, 'not-consistent', 'a 50/50 reality is not 90/10');
    weights = { v1: 50, v2: 50 };
    listeners.forEach((l) => l(weights));
    await new Promise((r) => setTimeout(r, 800));
    const result = await session.stop();
    assert.equal(result.stoppedBy, 'abort');
    const last = snapshots[snapshots.length - 1];
    assert.ok(last.windowTotal < last.total, 'the weight change restarted the verdict window');
    assert.deepEqual(
      last.rows.map((r) => r.weight),
      [50, 50],
    );
    assert.ok(snapshots.length >= 5 && snapshots.length <= 12, `${snapshots.length} summaries in 2 s at 200 ms`);
    const lines = text.filter((t) => /^\d\d:\d\d:\d\d\.\d{3} {2}v[12] /.test(t));
    assert.ok(lines.length <= 5 * 3 + 5, `${lines.length} response lines at 5 lines/s over about 2 s`);
    assert.ok(text.some((t) => /^… \d+ more responses$/.test(t)));
    assert.ok(text.some((t) => t.includes('verdict: ')));
    assert.equal(listeners.size, 0, 'the session let go of the weights source');
  });

  it('reports invalid options through done, sending nothing', async () => {
    const session = startSampling({ load: { url: 'ftp://nowhere/', maxRequests: 1, limits: { maxRatePerSecond: 1, maxConcurrency: 1 } }, weights: { current: () => ({}), onDidChange: () => ({ dispose: () => undefined }) }, onText: () => undefined });
    await assert.rejects(session.done, /target: ftp:/);
  });
});
