// Issue 12, item 2, against the real kube-apiserver: an app routed with a header pin, a fault and
// outlier detection gets a third version at weight 0 (what New Version does); after the apply the
// VirtualService and DestinationRule still carry every option.
import * as assert from 'node:assert/strict';
import type { FnFunction } from '../../../src/fn/model';
import { prepareRoute } from '../../../src/routing/cluster/routePreparation';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import { planRoute, type RoutePlanInput } from '../../../src/routing/routePlan';
import type { ManifestOptions } from '../../../src/routing/manifests/appManifests';
import { useTestNamespace } from '../../helpers/controlPlane';
import { ref } from '../kube/kubeFixtures';

const fn = (name: string): FnFunction => ({ appName: 'hello-app', name, image: `example.com/${name}:1`, annotations: {}, triggers: [{ name, type: 'http', source: `/${name}` }] });

describe('re-routing keeps the route options (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('keepopts');

  it('adding a version at weight 0 keeps the pin, the fault and the outlier detection', async () => {
    const { client, name } = cluster();
    const input = (versions: string[], weights: string, manifest: ManifestOptions): RoutePlanInput => ({
      fnAppName: 'hello-app',
      functions: versions.map(fn),
      api: 'v2',
      namespace: name,
      lbBaseUrl: 'http://fn-lb.fn.svc.cluster.local:90',
      weights,
      manifest,
    });
    const route = { pins: [{ header: 'x-fn-version', value: 'beta', version: 'v2' }], fault: { abort: { percent: 5, httpStatus: 503 } } };
    const kube = createKubeResources(client);
    const first = await kube.apply(planRoute(input(['v1', 'v2'], 'v1=90,v2=10', { route, outlierDetection: { consecutive5xxErrors: 4 } })).objects);
    assert.equal(first.ok, true, first.summary);

    const { plan, preview, options } = await prepareRoute(client, input(['v1', 'v2', 'v3'], 'v1=90,v2=10,v3=0', {}));
    assert.deepEqual(options.dropped, []);
    const outcome = await kube.apply(plan.objects, { preview });
    assert.equal(outcome.ok, true, outcome.summary);

    const vs = (await client.get(ref(name, 'VirtualService', 'hello-app')))?.spec as { http: { name: string; fault?: unknown; route: unknown[] }[] };
    assert.deepEqual(vs.http.map((r) => r.name), ['pin-1-v2', 'weighted']);
    assert.deepEqual(vs.http[1]?.fault, { abort: { percentage: { value: 5 }, httpStatus: 503 } });
    assert.equal(vs.http[1]?.route.length, 3);
    const dr = (await client.get(ref(name, 'DestinationRule', 'hello-app')))?.spec as { trafficPolicy?: { outlierDetection?: { consecutive5xxErrors?: number } } };
    assert.equal(dr.trafficPolicy?.outlierDetection?.consecutive5xxErrors, 4);
  });
});
