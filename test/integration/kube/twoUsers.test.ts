// Issue 12, item 3, against the real kube-apiserver: two people using Fn Mesh share the field
// manager `fn-mesh`. User A previews a new route, user B adjusts the weights, A applies: A is
// refused with the reason, B's weights stay. A previews again and applies: then it goes through.
import * as assert from 'node:assert/strict';
import { readPreview } from '../../../src/kube/objects/preview';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import { useTestNamespace } from '../../helpers/controlPlane';
import { helloObjects, ref, weightsOfVs, wrapClient } from './kubeFixtures';

describe('kube resources: two Fn Mesh users (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('twousers');

  it("a colleague's weight change after your preview is never overwritten", async () => {
    const { client, name } = cluster();
    const first = await createKubeResources(client).apply(helloObjects(name));
    assert.equal(first.ok, true, first.summary);

    const userA = wrapClient(client);
    const userB = createKubeResources(client);
    const objects = helloObjects(name, { v1: 70, v2: 30 });
    const { preview } = await readPreview(userA, objects);
    const change = await userB.updateWeights(name, 'hello-app', new Map([['v1', 20], ['v2', 80]]));
    assert.equal(change.unchanged, false);

    const outcome = await createKubeResources(userA).apply(objects, { preview });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failedPhase, 'dry-run');
    assert.match(outcome.summary, /VirtualService \S+\/hello-app was changed by "fn-mesh" since your preview\. Nothing was written/);
    assert.deepEqual(userA.recorded.writes, [], 'user A wrote nothing');
    assert.deepEqual(weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app'))), [20, 80], "user B's weights are intact");

    const again = await readPreview(userA, objects);
    const second = await createKubeResources(userA).apply(objects, { preview: again.preview });
    assert.equal(second.ok, true, second.summary);
    assert.deepEqual(weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app'))), [70, 30]);
  });
});
