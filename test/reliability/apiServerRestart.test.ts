// Issue 11, item 2: kube-apiserver stopped and started again (etcd keeps the data) while Fn Mesh
// watches the routes, applies a route, and runs a rollout. The extension's modules, used the way
// the commands use them, recover by themselves, and every state left in the cluster is valid:
// weights total 100, and no proxy is left without its route unless the outcome says so.
import * as assert from 'node:assert/strict';
import { ApplyWithRecovery } from '../../src/kube/objects/applyWithRecovery';
import { readPreview } from '../../src/kube/objects/preview';
import type { Disposable } from '../../src/kube/objects/types';
import { RolloutDriver } from '../../src/rollout/rolloutDriver';
import { createRollout } from '../../src/rollout/rolloutState';
import { createKubeResources } from '../../src/routing/cluster/kubeResources';
import type { RoutedAppView } from '../../src/routing/cluster/routingView';
import { eventually, useTestNamespace } from '../helpers/controlPlane';
import { helloObjects, ref, weightsOfVs, wrapClient } from '../integration/kube/kubeFixtures';
import { restoreStackAfter, startApiServer, stopApiServer } from './stack';

const total = (weights: readonly number[]): number => weights.reduce((a, b) => a + b, 0);

describe('reliability: kube-apiserver restarted under a running client (real stack)', function () {
  this.timeout(180_000);
  restoreStackAfter(); // registered first: runs before the namespace is deleted
  const cluster = useTestNamespace('restart');

  it('a routing watch recovers by itself and reports a change made after the restart', async () => {
    const { client, other, name } = cluster();
    const outcome = await createKubeResources(client).apply(helloObjects(name));
    assert.equal(outcome.ok, true, outcome.summary);
    let views: RoutedAppView[][] = [];
    const errors: string[] = [];
    const hello = (): RoutedAppView | undefined => views[views.length - 1]?.find((a) => a.appName === 'hello-app');
    const watch: Disposable = await createKubeResources(client).watchRouting(name, (apps) => views.push(apps), { onError: (err) => errors.push((err as Error).message) });
    try {
      await eventually('the first view', hello);
      await stopApiServer();
      await startApiServer();
      views = [];
      await other.jsonPatch(ref(name, 'VirtualService', 'hello-app'), [
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 40 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 60 },
      ]);
      // The watch reconnects with a backoff of at most 30 s; the change must show without any call of ours.
      const app = await eventually('the weights written after the restart', () => (hello()?.versions.map((v) => v.weight).join('/') === '40/60' ? hello() : undefined), 60_000, 100);
      assert.equal(total(app.versions.map((v) => v.weight)), 100);
      assert.ok(errors.length > 0, 'the lost connection was reported through onError');
    } finally {
      watch.dispose();
    }
  });

  it('an apply cut off by the restart reports what was applied; Retry after the restart completes it', async () => {
    const { client, name } = cluster();
    const app = `${name}-cut`;
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: app, namespace: '' } });
    try {
      let stopped = false;
      // The API server goes away just before the route's own write: the proxies are applied, the route is not.
      const cutting = wrapClient(client, {
        async beforeApply(obj, options) {
          if (obj.kind === 'VirtualService' && !options.dryRun && !stopped) {
            stopped = true;
            await stopApiServer();
          }
        },
      });
      const objects = helloObjects(app);
      const session = new ApplyWithRecovery(cutting, objects, (await readPreview(cutting, objects)).preview);
      const first = await session.apply();
      assert.equal(stopped, true);
      assert.equal(first.severity, 'error');
      assert.deepEqual(first.actions, ['Retry', 'Roll Back']);
      // The clear report: the message names the route that was not applied and what was.
      assert.match(first.message, /^Applied 6 of 7 object\(s\).*then VirtualService [\w-]+\/hello-app: connection refused.*Roll Back undoes 6 object\(s\)/);
      await startApiServer();
      const retried = await session.retry();
      assert.equal(retried.severity, 'info', retried.message);
      const vs = await client.get(ref(app, 'VirtualService', 'hello-app'));
      assert.deepEqual(weightsOfVs(vs), [90, 10]);
      for (const deployment of ['hello-app-v1', 'hello-app-v2']) {
        assert.ok(await client.get(ref(app, 'Deployment', deployment)), `${deployment} exists`);
      }
    } finally {
      await startApiServer();
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name: app });
    }
  });

  it('a rollout whose API server stops mid-way ends "interrupted" with valid weights, and resumes after the restart', async () => {
    const { client, name } = cluster();
    const kube = createKubeResources(client);
    if (await client.get(ref(name, 'VirtualService', 'hello-app'))) {
      await kube.updateWeights(name, 'hello-app', new Map([['v1', 100], ['v2', 0]]));
    } else {
      const applied = await kube.apply(helloObjects(name, { v1: 100, v2: 0 }));
      assert.equal(applied.ok, true, applied.summary);
    }
    const liveWeights = async (): Promise<number[]> => weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app')));
    assert.deepEqual(await liveWeights(), [100, 0]);
    let samples = 0;
    let stopAt = 2; // the API server stops while step 2 (50 %) is sampled
    const driver = new RolloutDriver(
      createRollout({ newVersion: 'v2', steps: [10, 50, 100], pauseSeconds: 1, gates: { maxErrorRate: 0.05, maxP95Ms: 1000, minSamples: 10 } }, { v1: 100, v2: 0 }, Date.now()),
      {
        // The routing layer's guarded update, as the rollout command binds it.
        setWeights: async (weights, guard) => {
          await kube.updateWeights(name, 'hello-app', new Map(Object.entries(weights)), { expected: new Map(Object.entries(guard.expected)) });
        },
        // Healthy stats, no stub of the cluster: the sampling window is a real wait.
        sample: async (durationMs) => {
          if (++samples === stopAt) {
            await stopApiServer();
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(durationMs, 200)));
          return { samples: 100, errors: 0, p95Ms: 20 };
        },
        save: () => undefined,
      },
    );
    const interrupted = await driver.run();
    assert.equal(interrupted.status, 'interrupted', interrupted.message);
    assert.deepEqual(interrupted.appliedWeights, { v1: 50, v2: 50 });
    assert.match(interrupted.message, /^could not set the weights v1 0% · v2 100%: VirtualService [\w-]+\/hello-app: connection refused .*The route keeps v1 50% · v2 50%; resume to try again, or roll back to v1 100% · v2 0%$/);
    await startApiServer();
    const after = await liveWeights();
    assert.equal(total(after), 100);
    assert.deepEqual(after, [50, 50], 'the cluster holds the weights the rollout says it applied');
    stopAt = 0;
    const resumed = await driver.run();
    assert.equal(resumed.status, 'promoted', resumed.message);
    assert.deepEqual(await liveWeights(), [0, 100]);
  });
});
