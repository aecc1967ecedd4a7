// Adjusting weights and Undo against the real kube-apiserver: one guarded write, validation before
// any request, a concurrent writer, Undo and its guard, re-applying after a weight change, and the
// Gateway API HTTPRoute.
import * as assert from 'node:assert/strict';
import { isUndoGone } from '../../../src/routing/weightHistory';
import { readPreview } from '../../../src/kube/objects/preview';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import { WeightsConflictError } from '../../../src/routing/cluster/weightsUpdate';
import { generateManifests } from '../../../src/routing/manifests/appManifests';
import { useTestNamespace } from '../../helpers/controlPlane';
import { helloApp } from '../../fixtures/routing/helloApp';
import { helloObjects, ref, weightsOfVs, wrapClient } from './kubeFixtures';

const w = (v1: number, v2: number): Map<string, number> =>
  new Map([
    ['v1', v1],
    ['v2', v2],
  ]);

describe('kube resources: weights and undo (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('weights');
  const vs = (): ReturnType<typeof ref> => ref(cluster().name, 'VirtualService', 'hello-app');
  const liveWeights = async (): Promise<number[]> => weightsOfVs(await cluster().client.get(vs()));

  before(async () => {
    const outcome = await createKubeResources(cluster().client).apply(helloObjects(cluster().name));
    assert.equal(outcome.ok, true, outcome.summary);
  });

  it('writes new weights in one guarded patch and returns the previous ones for Undo', async () => {
    const recording = wrapClient(cluster().client);
    const change = await createKubeResources(recording).updateWeights(cluster().name, 'hello-app', w(50, 50));
    assert.deepEqual([...change.previous], [...w(90, 10)]);
    assert.deepEqual([...change.applied], [...w(50, 50)]);
    assert.equal(change.unchanged, false);
    assert.deepEqual(recording.recorded.writes, ['patch VirtualService/hello-app']);
    assert.deepEqual(await liveWeights(), [50, 50]);
  });

  it('routing again after a weight change takes back Fn Mesh\'s own fields (and only those) once they were previewed', async () => {
    const { client, name } = cluster();
    const unguarded = await createKubeResources(client).apply(helloObjects(name));
    assert.equal(unguarded.ok, false, 'without a preview the weight change is not taken over');
    assert.match(unguarded.summary, /fields Fn Mesh wrote outside this apply would change/);
    const { preview } = await readPreview(client, helloObjects(name));
    const outcome = await createKubeResources(client).apply(helloObjects(name), { preview });
    assert.equal(outcome.ok, true, outcome.summary);
    assert.deepEqual(await liveWeights(), [90, 10]);
    const managers = (await client.get(vs()))?.metadata.managedFields?.map((m) => `${m.manager}/${m.operation}`);
    assert.deepEqual(managers, ['fn-mesh/Apply'], 'the weight update no longer owns .spec.http');
  });

  it('refuses invalid weights before any request', async () => {
    let requests = 0;
    const counting = wrapClient(cluster().client, { afterGet: () => void requests++ });
    const kube = createKubeResources(counting);
    await kube.discoverIstioVersion();
    for (const [weights, problem] of [
      [w(-10, 110), /Weight of "v1" must be a whole number from 0 to 100, not -10/],
      [w(0, 0), /total 0; they must total 100/],
      [w(Number.NaN, 100), /Weight of "v1" must be a whole number/],
      [w(60, 60), /total 120/],
      [w(33.5, 66.5), /whole number/],
    ] as const) {
      await assert.rejects(kube.updateWeights(cluster().name, 'hello-app', weights), problem);
    }
    assert.equal(requests, 0);
    // A version the route does not have needs the route to know: refused after the read, before any write.
    await assert.rejects(
      kube.updateWeights(
        cluster().name,
        'hello-app',
        new Map([
          ['v1', 50],
          ['v3', 50],
        ]),
      ),
      /Unknown version "v3"/,
    );
    assert.deepEqual(counting.recorded.writes, []);
    assert.deepEqual(await liveWeights(), [90, 10]);
  });

  it('a concurrent change of other fields (not the weights) is kept, and the weights are still written', async () => {
    const { client, other, name } = cluster();
    let raced = false;
    const racing = wrapClient(client, {
      async afterGet(r) {
        if (r.kind === 'VirtualService' && !raced) {
          raced = true;
          await other.jsonPatch(r, [{ op: 'add', path: '/metadata/labels/team', value: 'blue' }]);
        }
      },
    });
    const change = await createKubeResources(racing).updateWeights(name, 'hello-app', w(70, 30));
    assert.deepEqual([...change.previous], [...w(90, 10)]);
    assert.deepEqual(racing.recorded.writes, ['patch VirtualService/hello-app', 'patch VirtualService/hello-app'], 'the first patch lost the race');
    const live = await client.get(vs());
    assert.equal(live?.metadata.labels?.team, 'blue');
    assert.deepEqual(weightsOfVs(live), [70, 30]);
    await createKubeResources(client).updateWeights(name, 'hello-app', w(90, 10));
  });

  it('a change by another client between read and write is refused, named, and kept', async () => {
    const { client, other, name } = cluster();
    let raced = false;
    const racing = wrapClient(client, {
      async afterGet(r) {
        if (r.kind === 'VirtualService' && !raced) {
          raced = true;
          await other.jsonPatch(r, [
            { op: 'replace', path: '/spec/http/0/route/0/weight', value: 70 },
            { op: 'replace', path: '/spec/http/0/route/1/weight', value: 30 },
          ]);
        }
      },
    });
    const attempt = createKubeResources(racing).updateWeights(name, 'hello-app', w(20, 80));
    await assert.rejects(attempt, (err: unknown) => {
      assert.ok(err instanceof WeightsConflictError);
      assert.match(err.message, /^VirtualService fnm-weights-\w+\/hello-app was changed by another client after Fn Mesh read it: weights were v1=90,v2=10, now v1=70,v2=30\. Nothing was written/);
      assert.deepEqual([...err.current], [...w(70, 30)]);
      return true;
    });
    assert.deepEqual(await liveWeights(), [70, 30], "the other client's change is intact");
  });

  it('refuses when the weights are no longer the ones the user saw', async () => {
    await assert.rejects(createKubeResources(cluster().client).updateWeights(cluster().name, 'hello-app', w(10, 90), { expected: w(90, 10) }), (err: unknown) => {
      assert.ok(err instanceof WeightsConflictError);
      assert.match(err.message, /since its weights were shown: weights were v1=90,v2=10, now v1=70,v2=30/);
      return true;
    });
    assert.deepEqual(await liveWeights(), [70, 30]);
  });

  it('undo writes the previous weights back', async () => {
    const kube = createKubeResources(cluster().client);
    const change = await kube.updateWeights(cluster().name, 'hello-app', w(10, 90), { expected: w(70, 30) });
    assert.deepEqual(await liveWeights(), [10, 90]);
    const undone = await kube.undoWeights(change);
    assert.deepEqual(await liveWeights(), [70, 30]);
    assert.deepEqual([...undone.previous], [...w(10, 90)], 'undoing the undo is possible');
  });

  it('undo is refused when someone changed the weights since, and their change stays', async () => {
    const { client, other } = cluster();
    const kube = createKubeResources(client);
    const change = await kube.updateWeights(cluster().name, 'hello-app', w(40, 60));
    await other.jsonPatch(vs(), [
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 45 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 55 },
    ]);
    await assert.rejects(kube.undoWeights(change), (err: Error) => {
      assert.match(err.message, /changed by another client since the change to undo: weights were v1=40,v2=60, now v1=45,v2=55\. Nothing was written; that change can no longer be undone, and Undo forgets it\.$/);
      assert.ok(isUndoGone(err), 'marked for the history to forget');
      return true;
    });
    assert.deepEqual(await liveWeights(), [45, 55]);
  });

  it('updates the weighted backendRefs of a Gateway API HTTPRoute', async () => {
    const { client, name } = cluster();
    const shop = { ...helloApp(), appName: 'shop', namespace: name };
    const applied = await createKubeResources(client).apply(generateManifests(shop, { mode: 'httpRoute' }));
    assert.equal(applied.ok, true, applied.summary);
    const change = await createKubeResources(client).updateWeights(name, 'shop', w(25, 75));
    assert.deepEqual([...change.previous], [...w(90, 10)]);
    assert.equal(change.ref.kind, 'HTTPRoute');
    const route = await client.get(ref(name, 'HTTPRoute', 'shop'));
    const rules = (route?.spec as { rules: { backendRefs: { name: string; weight: number }[] }[] }).rules;
    assert.deepEqual(
      rules[rules.length - 1]?.backendRefs.map((b) => `${b.name}=${b.weight}`),
      ['shop-v1=25', 'shop-v2=75'],
    );
  });
});
