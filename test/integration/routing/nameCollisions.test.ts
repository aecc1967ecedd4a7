// Issue 12, item 5, against the real kube-apiserver in HTTPRoute mode: app `a` routed with
// version `b` owns Service `a-b`; routing app `a-b` is refused before anything is written, and
// app a's Service keeps its selector.
import * as assert from 'node:assert/strict';
import type { FnFunction } from '../../../src/fn/model';
import { prepareRoute } from '../../../src/routing/cluster/routePreparation';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import { planRoute, type RoutePlanInput } from '../../../src/routing/routePlan';
import { useTestNamespace } from '../../helpers/controlPlane';
import { ref, wrapClient } from '../kube/kubeFixtures';

const fn = (appName: string, name: string): FnFunction => ({ appName, name, image: `example.com/${name}:1`, annotations: {}, triggers: [{ name, type: 'http', source: `/${name}` }] });

describe('name collisions across apps (real kube-apiserver, HTTPRoute mode)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('collide');

  it("routing app a-b does not take over Service a-b of app a's version b", async () => {
    const { client, name } = cluster();
    const input = (app: string, version: string): RoutePlanInput => ({
      fnAppName: app,
      functions: [fn(app, version)],
      api: 'v2',
      namespace: name,
      lbBaseUrl: 'http://fn-lb.fn.svc.cluster.local:90',
      manifest: { mode: 'httpRoute' },
    });
    const a = await createKubeResources(client).apply(planRoute(input('a', 'b')).objects);
    assert.equal(a.ok, true, a.summary);

    const recording = wrapClient(client);
    await assert.rejects(prepareRoute(recording, input('a-b', 'c')), /^UserError: Service \S+\/a-b belongs to Fn app "a" \(version "b"\); routing Fn app "a-b" would take it over/);
    assert.deepEqual(recording.recorded.writes, []);
    const service = await client.get(ref(name, 'Service', 'a-b'));
    assert.deepEqual((service?.spec as { selector?: unknown }).selector, { app: 'a', version: 'b' });
    assert.equal(service?.metadata.labels?.['app.kubernetes.io/part-of'], 'a');
  });
});
