// Issue 12, item 5: two Fn apps whose Kubernetes names meet. Routing app `a-b` must not take
// over app `a`'s objects (HTTPRoute mode: Service `a-b` of a's version `b`; Istio mode:
// Deployment `a-b-c` of a's version `b-c`): the plan is refused before anything is shown or
// applied, naming both apps and the object.
import * as assert from 'node:assert/strict';
import type { FnFunction } from '../../../src/fn/model';
import type { LiveObject } from '../../../src/kube/objects/types';
import { prepareRoute } from '../../../src/routing/cluster/routePreparation';
import type { ManifestOptions } from '../../../src/routing/manifests/appManifests';
import { ownershipCollisions } from '../../../src/routing/ownership';
import { planRoute, type RoutePlanInput } from '../../../src/routing/routePlan';
import { FakeKubeClient } from '../kube/objects/fakeKubeClient';

const fn = (appName: string, name: string): FnFunction => ({ appName, name, image: `example.com/${name}:1`, annotations: {}, triggers: [{ name, type: 'http', source: `/${name}` }] });
const input = (app: string, versions: string[], manifest: ManifestOptions): RoutePlanInput => ({
  fnAppName: app,
  functions: versions.map((v) => fn(app, v)),
  api: 'v2',
  namespace: 'team',
  lbBaseUrl: 'http://fn-lb.fn.svc.cluster.local:90',
  manifest,
});

/** The cluster after routing `app` with `versions`. */
async function routed(app: string, versions: string[], manifest: ManifestOptions): Promise<FakeKubeClient> {
  const client = new FakeKubeClient();
  for (const obj of planRoute(input(app, versions, manifest)).objects) {
    await client.apply(obj);
  }
  return client;
}

describe('name collisions across apps (objects of another app are never taken over)', () => {
  for (const [mode, manifest, aVersions, abVersions, object] of [
    ['HTTPRoute', { mode: 'httpRoute' }, ['b'], ['c'], 'Service team/a-b belongs to Fn app "a" (version "b")'],
    ['Istio', { istioApiVersion: 'v1' }, ['b-c'], ['c'], 'ConfigMap team/a-b-c-nginx belongs to Fn app "a" (version "b-c")'],
  ] as const) {
    it(`${mode} mode: routing app a-b is refused before planning when it meets app a's objects`, async () => {
      const client = await routed('a', [...aVersions], manifest);
      const before = [...client.store.keys()].sort();
      const calls = client.calls.length;
      await assert.rejects(prepareRoute(client, input('a-b', [...abVersions], manifest)), (err: Error & { detail?: string }) => {
        assert.equal(err.name, 'UserError');
        assert.ok(err.message.startsWith(`${object}; routing Fn app "a-b" would take it over`), err.message);
        if (mode === 'Istio') {
          // Where the server would only have said "selector is immutable".
          assert.match(err.detail ?? '', /Deployment team\/a-b-c belongs to Fn app "a" \(version "b-c"\)/);
        }
        return true;
      });
      assert.deepEqual(client.calls.slice(calls), [], 'nothing was dry-run or applied');
      assert.deepEqual([...client.store.keys()].sort(), before);
    });
  }

  it('routing the same app again is not a collision', async () => {
    const client = await routed('a', ['b'], { mode: 'httpRoute' });
    const prepared = await prepareRoute(client, input('a', ['b', 'c'], { mode: 'httpRoute' }));
    assert.equal(prepared.plan.app.appName, 'a');
    assert.ok([...prepared.preview.values()].some((p) => p !== null), 'the preview holds the live objects');
  });

  it('an object of the same name that Fn Mesh did not make is a collision too', () => {
    const plan = planRoute(input('a-b', ['c'], { istioApiVersion: 'v1' }));
    const live = plan.objects.map((o): LiveObject | undefined => (o.kind === 'Service' ? { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a-b', namespace: 'team', labels: { app: 'legacy' } } } : undefined));
    const collisions = ownershipCollisions(plan.app, plan.objects, live);
    assert.deepEqual(
      collisions.map((c) => c.message),
      ['Service team/a-b exists and was not made by Fn Mesh; routing Fn app "a-b" would take it over. Rename the app in Fn, or route it in another namespace'],
    );
  });
});
