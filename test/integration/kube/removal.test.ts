// Remove routing against the real kube-apiserver: exactly the objects Fn Mesh made for the app,
// listed for the confirmation, deleted routes first; look-alikes survive.
import * as assert from 'node:assert/strict';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import { describeRef } from '../../../src/kube/objects/types';
import { generateManifests } from '../../../src/routing/manifests/appManifests';
import { useTestNamespace } from '../../helpers/controlPlane';
import { helloApp } from '../../fixtures/routing/helloApp';
import { helloObjects, ref, wrapClient } from './kubeFixtures';

describe('kube resources: remove routing (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('removal');

  before(async () => {
    const { client, name } = cluster();
    const kube = createKubeResources(client);
    for (const objects of [helloObjects(name), generateManifests({ ...helloApp(), appName: 'other-app', namespace: name })]) {
      const outcome = await kube.apply(objects);
      assert.equal(outcome.ok, true, outcome.summary);
    }
    // Look-alikes: similar names, or the app's label without Fn Mesh's.
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello-app-v1-nginx-backup', namespace: name } });
    const unmanaged = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello-app-notes', namespace: name, labels: { 'app.kubernetes.io/part-of': 'hello-app' } } };
    await client.apply(unmanaged);
    const handWritten = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello-app-v3', namespace: name }, spec: { selector: { app: 'hello-app' }, ports: [{ port: 80 }] } };
    await client.apply(handWritten);
  });

  it('lists exactly the objects Fn Mesh created for the app, routes first', async () => {
    const plan = await createKubeResources(cluster().client).planRemoval(cluster().name, 'hello-app');
    assert.deepEqual(
      plan.objects.map((o) => `${o.kind}/${o.name}`),
      [
        'VirtualService/hello-app',
        'DestinationRule/hello-app',
        'Service/hello-app',
        'Deployment/hello-app-v1',
        'Deployment/hello-app-v2',
        'ConfigMap/hello-app-v1-nginx',
        'ConfigMap/hello-app-v2-nginx',
      ],
    );
    assert.ok(plan.objects.every((o) => o.uid));
  });

  it('deletes them in that order; look-alikes and other apps survive', async () => {
    const { client, name } = cluster();
    const recording = wrapClient(client);
    const kube = createKubeResources(recording);
    const plan = await kube.planRemoval(name, 'hello-app');
    const outcome = await kube.removeRouting(plan);
    assert.equal(outcome.ok, true, outcome.summary);
    assert.deepEqual(
      recording.recorded.writes,
      plan.objects.map((o) => `delete ${o.kind}/${o.name}`),
    );
    assert.equal(outcome.deleted.length, 7);
    assert.match(outcome.summary, /^Removed the routing of "hello-app": 7 object\(s\) deleted: VirtualService \S+\/hello-app, DestinationRule/);
    for (const o of plan.objects) {
      assert.equal(await client.get(o), undefined, `${describeRef(o)} is gone`);
    }
    for (const [kind, survivor] of [
      ['ConfigMap', 'hello-app-v1-nginx-backup'],
      ['ConfigMap', 'hello-app-notes'],
      ['Service', 'hello-app-v3'],
      ['VirtualService', 'other-app'],
      ['Deployment', 'other-app-v1'],
    ] as const) {
      assert.ok(await client.get(ref(name, kind, survivor)), `${kind}/${survivor} survives`);
    }
    assert.deepEqual(await kube.list(name, 'app.kubernetes.io/managed-by=fn-mesh,app.kubernetes.io/part-of=hello-app'), []);
  });

  it('a second removal finds nothing, and an app name cannot smuggle in a selector', async () => {
    const kube = createKubeResources(cluster().client);
    const plan = await kube.planRemoval(cluster().name, 'hello-app');
    assert.deepEqual(plan.objects, []);
    await assert.rejects(kube.planRemoval(cluster().name, 'x,app.kubernetes.io/part-of!=y'), /is not a routed app's Kubernetes name/);
  });
});
