// Issue 11, item 2, on the real stack: istiod stopped during an apply (its validation webhook has
// failurePolicy Fail, so every Istio write is refused), two writers on one VirtualService at once,
// and a user who may read but not write.
import * as assert from 'node:assert/strict';
import { describeError } from '../../src/common/errors';
import { createKubeClient } from '../../src/kube/objects/objectApiClient';
import type { Disposable } from '../../src/kube/objects/types';
import { createKubeResources } from '../../src/routing/cluster/kubeResources';
import type { RoutedAppView } from '../../src/routing/cluster/routingView';
import { WeightsConflictError } from '../../src/routing/cluster/weightsUpdate';
import { eventually, grantLimitedUser, limitedKubeconfig, useTestNamespace } from '../helpers/controlPlane';
import { helloObjects, ref, weightsOfVs } from '../integration/kube/kubeFixtures';
import { startIstiod, stopIstiod } from './stack';

const w = (v1: number, v2: number): Map<string, number> =>
  new Map([
    ['v1', v1],
    ['v2', v2],
  ]);

describe('reliability: istiod stopped during an apply (real istiod webhooks)', function () {
  this.timeout(240_000);
  after(async function () {
    this.timeout(240_000);
    await startIstiod(); // registered first: istiod is back before the namespace goes
  });
  const cluster = useTestNamespace('istiod');

  it('refuses the route in the dry-run with a clear message; nothing at all is written', async () => {
    const { client, name } = cluster();
    await stopIstiod();
    const outcome = await createKubeResources(client).apply(helloObjects(name));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failedPhase, 'dry-run', outcome.summary);
    const refused = outcome.results.filter((r) => r.status === 'failed');
    assert.ok(refused.some((r) => r.ref.kind === 'VirtualService'), outcome.summary);
    // The message names the object and the webhook that could not be called.
    assert.match(refused.find((r) => r.ref.kind === 'VirtualService')?.error ?? '', /^VirtualService [\w-]+\/hello-app: .*webhook.*istio/is);
    assert.doesNotMatch(outcome.summary, /\[object Object\]|undefined/);
    for (const [kind, objName] of [
      ['ConfigMap', 'hello-app-v1-nginx'],
      ['Deployment', 'hello-app-v1'],
      ['Service', 'hello-app'],
      ['DestinationRule', 'hello-app'],
      ['VirtualService', 'hello-app'],
    ] as const) {
      assert.equal(await client.get(ref(name, kind, objName)), undefined, `${kind}/${objName} was not written`);
    }
    await startIstiod();
    const again = await createKubeResources(client).apply(helloObjects(name));
    assert.equal(again.ok, true, again.summary);
  });
});

describe('reliability: two writers on the same VirtualService at once (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('writers');

  before(async () => {
    const outcome = await createKubeResources(cluster().client).apply(helloObjects(cluster().name));
    assert.equal(outcome.ok, true, outcome.summary);
  });

  it('both start from the weights they saw: exactly one wins, the other is refused and nothing is lost', async () => {
    const { client, other, name } = cluster();
    for (let round = 0; round < 5; round++) {
      const seen = weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app')));
      const expected = w(seen[0] ?? 0, seen[1] ?? 0);
      const wanted = [w(50 + round, 50 - round), w(20 + round, 80 - round)];
      const results = await Promise.allSettled([
        createKubeResources(client).updateWeights(name, 'hello-app', wanted[0] ?? w(0, 0), { expected }),
        createKubeResources(other).updateWeights(name, 'hello-app', wanted[1] ?? w(0, 0), { expected }),
      ]);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.notEqual(won, -1, `round ${round}: neither write went through: ${lost.map((r) => describeError(r.reason)).join('; ')}`);
      assert.equal(lost.length, 1, `round ${round}: both writes went through, one over the other`);
      assert.ok(lost[0]?.reason instanceof WeightsConflictError, describeError(lost[0]?.reason));
      assert.match(describeError(lost[0]?.reason), /changed by another client .*Nothing was written/);
      const live = weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app')));
      assert.deepEqual(live, [...(wanted[won] ?? w(0, 0)).values()], `round ${round}: the winner's weights are in the cluster`);
    }
  });

  it('without a shown state, a write that lost the race between its read and its write is refused, never silently overwritten', async () => {
    const { client, other, name } = cluster();
    for (let round = 0; round < 5; round++) {
      const order: string[] = [];
      const wanted = [`${30 + round}/${70 - round}`, `${60 + round}/${40 - round}`];
      const write = (kube: typeof client, weights: string): Promise<void> =>
        createKubeResources(kube)
          .updateWeights(name, 'hello-app', w(Number(weights.split('/')[0]), Number(weights.split('/')[1])))
          .then(() => void order.push(weights));
      const results = await Promise.allSettled([write(client, wanted[0] ?? ''), write(other, wanted[1] ?? '')]);
      for (const r of results) {
        if (r.status === 'rejected') {
          assert.ok(r.reason instanceof WeightsConflictError, describeError(r.reason));
        }
      }
      assert.ok(order.length >= 1, `round ${round}: no write went through`);
      const live = weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app')));
      assert.equal(live.join('/'), order[order.length - 1], `round ${round}: the write that finished last is the one in the cluster (${order.join(', ')})`);
    }
  });
});

describe('reliability: a user who may read but not write (real kube-apiserver RBAC)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('readonly');

  it('gets a working read-only routing view, and clear refusals for every write, with nothing written', async () => {
    const { client, name } = cluster();
    const outcome = await createKubeResources(client).apply(helloObjects(name));
    assert.equal(outcome.ok, true, outcome.summary);
    const read = ['get', 'list', 'watch'];
    await grantLimitedUser(client, name, 'fn-mesh-reader', [
      { apiGroups: ['', 'apps', 'networking.istio.io', 'gateway.networking.k8s.io'], resources: ['*'], verbs: read },
    ]);
    const reader = createKubeResources(await createKubeClient(await limitedKubeconfig()));
    await eventually('the Role to take effect', async () => ((await reader.get(ref(name, 'VirtualService', 'hello-app')).catch(() => undefined)) ? true : undefined), 15_000);

    let views: RoutedAppView[][] = [];
    const watch: Disposable = await reader.watchRouting(name, (apps) => views.push(apps));
    try {
      const hello = await eventually('the read-only view', () => views[views.length - 1]?.find((a) => a.appName === 'hello-app'));
      assert.deepEqual(
        hello.versions.map((v) => `${v.version}=${v.weight}`),
        ['v1=90', 'v2=10'],
      );

      await assert.rejects(reader.updateWeights(name, 'hello-app', w(50, 50)), (err: unknown) => {
        assert.match(describeError(err), /^VirtualService [\w-]+\/hello-app: forbidden: .*User "fn-mesh-limited" cannot patch resource "virtualservices"/);
        return true;
      });
      const again = await reader.apply(helloObjects(name, { v1: 10, v2: 90 }));
      assert.equal(again.failedPhase, 'dry-run', again.summary);
      assert.match(again.summary, /forbidden/);
      const plan = await reader.planRemoval(name, 'hello-app');
      const removal = await reader.removeRouting(plan);
      assert.match(JSON.stringify(removal), /forbidden/);

      // Nothing changed, and the view still shows the route.
      assert.deepEqual(weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app'))), [90, 10]);
      for (const kind of ['Deployment', 'Service', 'DestinationRule', 'VirtualService'] as const) {
        assert.ok(await client.get(ref(name, kind, kind === 'Deployment' ? 'hello-app-v1' : 'hello-app')), `${kind} is still there`);
      }
      views = [];
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.ok(views.every((apps) => apps.some((a) => a.appName === 'hello-app')), 'the view never lost the route');
    } finally {
      watch.dispose();
    }
  });
});
