// Sampling end to end on the local stack: requests go through the real Istio ingress gateway (its
// Envoy stand-in configured by the real istiod) to the per-version nginx proxies and the Fn
// runner-lb; the verdict is "consistent" for 90/10, and follows a change to 50/50 mid-run.
import * as assert from 'node:assert/strict';
import type { SamplerSnapshot } from '../../../src/sampling/samplerStats';
import { startSampling, type SamplingSession } from '../../../src/sampling/samplingSession';
import { eventually, useTestNamespace } from '../../helpers/controlPlane';
import { routeAndExpose, type RoutedStack } from './samplingStack';

const row = (s: SamplerSnapshot, v: string) => s.rows.find((r) => r.version === v);

describe('sampling through the ingress gateway (end to end)', function () {
  this.timeout(300_000);
  const ns = useTestNamespace('samp');
  let stack: RoutedStack | undefined;
  let session: SamplingSession | undefined;
  let last: SamplerSnapshot | undefined;
  const text: string[] = [];

  after(async () => {
    await session?.stop();
    await stack?.target.close();
    stack?.weights.dispose();
  });

  it('90/10 gives "consistent", then a change to 50/50 restarts the window and the verdict follows', async () => {
    const { client, config, name } = ns();
    stack = await routeAndExpose(client, config, name, { v1: 90, v2: 10 });
    session = startSampling({
      load: { url: stack.target.url, host: stack.target.host, ratePerSecond: 150, concurrency: 8, limits: { maxRatePerSecond: 2000, maxConcurrency: 64 }, timeoutMs: 10_000 },
      weights: stack.weights,
      summaryEveryMs: 500,
      onText: (t) => text.push(t),
      onSnapshot: (s) => (last = s),
    });
    const first = await eventually('a 90/10 verdict of "consistent"', () => (last?.verdict.kind === 'consistent' ? last : undefined), 90_000, 200);
    assert.ok(Math.abs((row(first, 'v1')?.share ?? 0) - 90) < 5, `v1 share ${row(first, 'v1')?.share}`);
    assert.equal(first.errors, 0, text.slice(-20).join('\n'));
    for (const v of ['v1', 'v2']) {
      assert.equal(row(first, v)?.statuses.success, row(first, v)?.count, `every answer of ${v} is a 2xx from its function`);
    }
    assert.match(text.join('\n'), /^v2 +\d+ +[\d.]+% +10\.0%/m);

    const changedAt = Date.now();
    await stack.resources.updateWeights(name, 'hello-app', new Map([['v1', 50], ['v2', 50]]), { expected: new Map([['v1', 90], ['v2', 10]]) });
    const second = await eventually(
      'a 50/50 verdict of "consistent"',
      () => (last && last.weights.v1 === 50 && last.windowStartedAt >= changedAt - 1000 && last.verdict.kind === 'consistent' ? last : undefined),
      90_000,
      200,
    );
    assert.ok(Math.abs((row(second, 'v1')?.share ?? 0) - 50) < 6, `v1 share after the change ${row(second, 'v1')?.share}`);
    assert.ok(second.windowTotal < second.total, 'the verdict window restarted at the weight change');
  });
});
