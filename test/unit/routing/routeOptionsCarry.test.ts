// Issue 12, item 2: re-applying a route (Route Traffic, New Version of This Function) must not
// delete the options it carries. The re-plan starts from the live route's options and says what
// it keeps and what it drops.
import * as assert from 'node:assert/strict';
import type { FnFunction } from '../../../src/fn/model';
import { prepareRoute } from '../../../src/routing/cluster/routePreparation';
import type { ManifestOptions } from '../../../src/routing/manifests/appManifests';
import type { RouteOptions } from '../../../src/routing/manifests/routeOptions';
import { planRoute, type RoutePlanInput } from '../../../src/routing/routePlan';
import { FakeKubeClient } from '../kube/objects/fakeKubeClient';

const fn = (name: string): FnFunction => ({ appName: 'hello-app', name, image: `example.com/${name}:1`, annotations: {}, triggers: [{ name, type: 'http', source: `/${name}` }] });
const input = (versions: string[], weights: string, manifest: ManifestOptions): RoutePlanInput => ({
  fnAppName: 'hello-app',
  functions: versions.map(fn),
  api: 'v2',
  namespace: 'team',
  lbBaseUrl: 'http://fn-lb.fn.svc.cluster.local:90',
  weights,
  manifest,
});

const istioOptions: RouteOptions = {
  pins: [{ header: 'x-fn-version', value: 'beta', version: 'v2' }],
  fault: { delay: { percent: 10, seconds: 2 } },
  mirror: { version: 'v2', percent: 50 },
  timeoutSeconds: 5,
  retries: { attempts: 3, perTryTimeoutSeconds: 1.5, retryOn: 'connect-failure' },
};

async function clusterWith(manifest: ManifestOptions): Promise<FakeKubeClient> {
  const client = new FakeKubeClient();
  for (const obj of planRoute(input(['v1', 'v2'], 'v1=90,v2=10', manifest)).objects) {
    await client.apply(obj);
  }
  return client;
}

const specOf = (plan: { objects: readonly { kind: string }[] }, kind: string): Record<string, unknown> =>
  (plan.objects.find((o) => o.kind === kind) as unknown as { spec: Record<string, unknown> }).spec;

describe('re-planning a route keeps its live options', () => {
  it('Istio: New Version (a third version at weight 0) keeps pins, fault, mirror, timeout, retries and outlier detection', async () => {
    const outlierDetection = { consecutive5xxErrors: 3, intervalSeconds: 5 };
    const client = await clusterWith({ route: istioOptions, outlierDetection });
    const { plan, options } = await prepareRoute(client, input(['v1', 'v2', 'v3'], 'v1=90,v2=10,v3=0', {}));
    const expected = planRoute(input(['v1', 'v2', 'v3'], 'v1=90,v2=10,v3=0', { route: istioOptions, outlierDetection }));
    assert.deepEqual(specOf(plan, 'VirtualService'), specOf(expected, 'VirtualService'));
    assert.deepEqual(specOf(plan, 'DestinationRule'), specOf(expected, 'DestinationRule'));
    assert.deepEqual(options.dropped, []);
    assert.deepEqual(options.kept, [
      'pin: header x-fn-version = beta → v2',
      'fault: delay 10% of requests by 2 s',
      'mirror: 50% of requests copied to v2',
      'timeout: 5 s',
      'retries: 3 attempt(s), 1.5 s per try on connect-failure',
      'outlier detection: eject after 3 consecutive 5xx (checked every 5 s) for 30 s, at most 100% of proxies',
    ]);
  });

  it('says which options it drops: those naming a version no longer routed', async () => {
    const client = await clusterWith({ route: istioOptions });
    const { plan, options } = await prepareRoute(client, input(['v1'], 'v1=100', {}));
    assert.deepEqual(options.dropped, ['pin: header x-fn-version = beta → v2: v2 is no longer routed', 'mirror: 50% of requests copied to v2: v2 is no longer routed']);
    const http = specOf(plan, 'VirtualService').http as { name: string; fault?: unknown; timeout?: string }[];
    assert.deepEqual(http.map((r) => r.name), ['weighted']);
    assert.equal(http[0]?.timeout, '5s', 'what does not name v2 is kept');
    assert.ok(http[0]?.fault);
  });

  it('HTTPRoute: keeps exact header pins, the timeout and the mirror', async () => {
    const options: RouteOptions = { pins: [{ header: 'x-fn-version', value: 'beta', version: 'v2' }], mirror: { version: 'v2', percent: 20 }, timeoutSeconds: 4 };
    const client = await clusterWith({ mode: 'httpRoute', route: options });
    const prepared = await prepareRoute(client, input(['v1', 'v2'], 'v1=50,v2=50', { mode: 'httpRoute' }));
    const expected = planRoute(input(['v1', 'v2'], 'v1=50,v2=50', { mode: 'httpRoute', route: options }));
    assert.deepEqual(specOf(prepared.plan, 'HTTPRoute'), specOf(expected, 'HTTPRoute'));
    assert.deepEqual(prepared.options.dropped, []);
  });

  it('refuses a live route with rules Fn Mesh did not write, rather than deleting them', async () => {
    const client = await clusterWith({});
    client.update({ kind: 'VirtualService', namespace: 'team', name: 'hello-app' }, (vs) => {
      const spec = vs.spec as { http: unknown[] };
      spec.http = [{ name: 'canary-by-cookie', match: [{ headers: { cookie: { regex: '.*canary.*' } } }], route: [{ destination: { host: 'hello-app', subset: 'v2' } }] }, ...spec.http];
    }, 'kubectl-edit');
    await assert.rejects(prepareRoute(client, input(['v1', 'v2'], 'v1=50,v2=50', {})), /rule 1 \(canary-by-cookie\) is not a header pin Fn Mesh wrote/);
  });
});
