// Issue 12, item 3: every Fn Mesh user shares the field manager `fn-mesh`, so the apply must never
// take fields just because their manager is `fn-mesh`: a colleague's change made after your
// preview is refused (naming who changed it) and stays intact.
import * as assert from 'node:assert/strict';
import { applyObjects } from '../../../../src/kube/objects/applyObjects';
import { readPreview } from '../../../../src/kube/objects/preview';
import { FakeKubeClient, object } from './fakeKubeClient';

const vsRef = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: 'team', name: 'hello-app' };
const route = (v1: number, v2: number): ReturnType<typeof object> => object('VirtualService', 'hello-app', { http: [{ name: 'weighted', route: [{ weight: v1 }, { weight: v2 }] }] });
const weightsOf = async (client: FakeKubeClient): Promise<unknown> => ((await client.get(vsRef))?.spec as { http: { route: { weight: number }[] }[] }).http[0]?.route.map((r) => r.weight);
const setWeights = (v1: number, v2: number) => (obj: Record<string, unknown>): void => {
  obj.spec = { http: [{ name: 'weighted', route: [{ weight: v1 }, { weight: v2 }] }] };
};

describe('apply guarded by the preview (another Fn Mesh user is never overwritten)', () => {
  it("refuses when another Fn Mesh user changed the weights after the preview, and keeps their change", async () => {
    const client = new FakeKubeClient();
    await applyObjects(client, [route(90, 10)]);
    // User A previews a new route...
    const objects = [object('ConfigMap', 'hello-app-v1-nginx', { a: 1 }), route(80, 20)];
    const { preview } = await readPreview(client, objects);
    // ...user B (same field manager, another machine) adjusts the weights...
    client.update(vsRef, setWeights(50, 50), 'fn-mesh');
    // ...and A applies.
    const outcome = await applyObjects(client, objects, { preview });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failedPhase, 'dry-run');
    const vs = outcome.results.find((r) => r.ref.kind === 'VirtualService');
    assert.match(vs?.error ?? '', /^VirtualService team\/hello-app was changed by "fn-mesh" since your preview\. Nothing was written/);
    assert.deepEqual(await weightsOf(client), [50, 50], "B's weights are intact");
    assert.deepEqual(client.calls.filter((c) => c.includes('force')), [], 'nothing is forced');
    assert.equal(await client.get({ ...vsRef, apiVersion: 'v1', kind: 'ConfigMap', name: 'hello-app-v1-nginx' }), undefined, 'nothing was written');
  });

  it('without a preview, a conflict with fields Fn Mesh wrote elsewhere is reported, not forced', async () => {
    const client = new FakeKubeClient();
    await applyObjects(client, [route(90, 10)]);
    client.update(vsRef, setWeights(50, 50), 'fn-mesh');
    const outcome = await applyObjects(client, [route(80, 20)]);
    assert.equal(outcome.ok, false);
    assert.match(outcome.results[0]?.error ?? '', /conflict: fields Fn Mesh wrote outside this apply would change \("fn-mesh" owns \.spec: a weight change, or another person using Fn Mesh\)/);
    assert.deepEqual(await weightsOf(client), [50, 50]);
    assert.deepEqual(client.calls.filter((c) => c.includes('force')), []);
  });

  it('with a preview still current, takes back its own weight-change fields, conditionally on the resourceVersion seen', async () => {
    const client = new FakeKubeClient();
    await applyObjects(client, [route(90, 10)]);
    client.update(vsRef, setWeights(50, 50), 'fn-mesh');
    const { preview } = await readPreview(client, [route(80, 20)]);
    const seen = (await client.get(vsRef))?.metadata.resourceVersion;
    const outcome = await applyObjects(client, [route(80, 20)], { preview });
    assert.equal(outcome.ok, true, outcome.summary);
    assert.deepEqual(await weightsOf(client), [80, 20]);
    assert.ok(client.calls.includes('apply force VirtualService/hello-app'));
    assert.notEqual(seen, undefined);
  });

  it('a new resourceVersion with the same content (a status write) is not a change', async () => {
    const client = new FakeKubeClient();
    await applyObjects(client, [route(90, 10)]);
    const { preview } = await readPreview(client, [route(80, 20)]);
    client.touch(vsRef);
    const outcome = await applyObjects(client, [route(80, 20)], { preview });
    assert.equal(outcome.ok, true, outcome.summary);
    assert.deepEqual(await weightsOf(client), [80, 20]);
  });

  it('an object created by someone else since the preview is refused', async () => {
    const client = new FakeKubeClient();
    const { preview } = await readPreview(client, [route(80, 20)]);
    await applyObjects(client, [route(10, 90)]);
    const outcome = await applyObjects(client, [route(80, 20)], { preview });
    assert.equal(outcome.ok, false);
    assert.match(outcome.summary, /VirtualService team\/hello-app was created by "fn-mesh" since your preview/);
    assert.deepEqual(await weightsOf(client), [10, 90]);
  });

  it('a status write between the read and the write is retried on the new resourceVersion; a content change there is refused', async () => {
    for (const [what, mutate, statusOnly, ok] of [
      ['status', (obj: Record<string, unknown>): void => void (obj.status = { observed: 1 }), true, true],
      ['weights', setWeights(50, 50), false, false],
    ] as const) {
      const client = new FakeKubeClient();
      await applyObjects(client, [route(90, 10)]);
      const objects = [route(80, 20)];
      const { preview } = await readPreview(client, objects);
      // A controller (or a colleague) writes after apply read the object, before each of its writes.
      const apply = client.apply.bind(client);
      let raced = 0;
      client.apply = (obj, options) => {
        if (raced++ < 1) {
          client.update(vsRef, mutate, 'someone', statusOnly);
        }
        return apply(obj, options);
      };
      const outcome = await applyObjects(client, objects, { preview });
      assert.equal(outcome.ok, ok, `${what}: ${outcome.summary}`);
      assert.deepEqual(await weightsOf(client), ok ? [80, 20] : [50, 50], what);
      if (!ok) {
        assert.match(outcome.summary, /changed by "someone" since your preview/);
      }
    }
  });
});
