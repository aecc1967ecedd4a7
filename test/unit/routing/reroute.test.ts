// Route Traffic on an app that is already routed: the questions start from the route as it is.
// The weights proposed are the current ones (versions new to the route at 0), and an exposure on
// the ingress gateway is kept unless leaving it is asked for, which is then said as dropped.
import * as assert from 'node:assert/strict';
import type { FnFunction } from '../../../src/fn/model';
import type { RoutingApis } from '../../../src/routing/cluster/discovery';
import { prepareRoute, readLiveRouting } from '../../../src/routing/cluster/routePreparation';
import { carriedExposure, routeGatewayItems, type GatewayExposure } from '../../../src/routing/gatewayExposure';
import type { ManifestOptions } from '../../../src/routing/manifests/appManifests';
import { planRoute, type RoutePlanInput } from '../../../src/routing/routePlan';
import { formatWeights, proposedWeights } from '../../../src/routing/weights';
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
const istio: RoutingApis = { istio: 'v1', httpRoute: false };
const ownGateway = 'team/hello-app-gateway';

async function clusterWith(manifest: ManifestOptions, weights = 'v1=70,v2=30'): Promise<FakeKubeClient> {
  const client = new FakeKubeClient();
  for (const obj of planRoute(input(['v1', 'v2'], weights, manifest)).objects) {
    await client.apply(obj);
  }
  return client;
}

interface VsSpec {
  readonly hosts: string[];
  readonly gateways?: string[];
  readonly http: { readonly route: { readonly destination: { readonly subset: string }; readonly weight: number }[] }[];
}
const vsSpec = (plan: { objects: readonly { kind: string }[] }): VsSpec => (plan.objects.find((o) => o.kind === 'VirtualService') as unknown as { spec: VsSpec }).spec;

describe('Route Traffic on a routed app', () => {
  describe('proposed weights', () => {
    it('are the current weights, with a version new to the route at 0', () => {
      const current = new Map([['v1', 70], ['v2', 30]]);
      assert.equal(formatWeights(proposedWeights(['v1', 'v2', 'v3'], current)), 'v1=70,v2=30,v3=0');
      assert.equal(formatWeights(proposedWeights(['v1', 'v2'], current)), 'v1=70,v2=30');
    });

    it('leave out a version no longer routed, and are an even split for a first route', () => {
      assert.equal(formatWeights(proposedWeights(['v2', 'v3'], new Map([['v1', 70], ['v2', 30]]))), 'v2=30,v3=0');
      assert.equal(formatWeights(proposedWeights(['v1', 'v2', 'v3'], undefined)), 'v1=34,v2=33,v3=33');
      // Only versions without weight are kept: nothing to scale, so an even split.
      assert.equal(formatWeights(proposedWeights(['v2', 'v3'], new Map([['v1', 100], ['v2', 0]]))), 'v2=50,v3=50');
    });
  });

  describe('reading the live route', () => {
    it('reads the weights and the exposure of a route bound to its ingress gateway', async () => {
      const client = await clusterWith({ istioApiVersion: 'v1', gateway: { hosts: ['hello.team.example'], port: 8080 } });
      const live = await readLiveRouting(client, istio, 'team', 'hello-app');
      assert.equal(live.weights && formatWeights(live.weights), 'v1=70,v2=30');
      assert.deepEqual(live.exposure, { gateway: ownGateway, host: 'hello.team.example', port: 8080 });
    });

    it('has no exposure for a mesh-only route, and nothing for an app not routed', async () => {
      const client = await clusterWith({ istioApiVersion: 'v1' });
      const live = await readLiveRouting(client, istio, 'team', 'hello-app');
      assert.equal(live.weights && formatWeights(live.weights), 'v1=70,v2=30');
      assert.equal(live.exposure, undefined);
      assert.deepEqual(await readLiveRouting(client, istio, 'team', 'other-app'), {});
    });
  });

  describe('the ingress gateway exposure', () => {
    const current: GatewayExposure = { gateway: ownGateway, host: 'hello.team.example', port: 8080 };

    it('offers keeping the current exposure first, saying it is current', () => {
      const items = routeGatewayItems(current);
      assert.equal(items[0]?.answer, 'keep');
      assert.match(items[0]?.description ?? '', /current: Host hello\.team\.example, port 8080/);
      assert.equal(items.at(-1)?.answer, 'mesh');
      const fresh = routeGatewayItems(undefined);
      assert.deepEqual(fresh.map((i) => i.answer), ['mesh', 'expose']);
      assert.equal(fresh[0]?.description, 'current');
    });

    it('keeps the host and port, and names the exposure among what is dropped when leaving it', () => {
      const kept = carriedExposure(current, 'keep', ownGateway);
      assert.deepEqual(kept.gateway, { hosts: ['hello.team.example'], port: 8080 });
      assert.deepEqual(kept.dropped, []);
      assert.match(kept.kept.join('\n'), /Host hello\.team\.example, port 8080/);
      const left = carriedExposure(current, false, ownGateway);
      assert.equal(left.gateway, undefined);
      assert.equal(left.dropped.length, 1);
      assert.match(left.dropped[0] ?? '', /ingress gateway: Host hello\.team\.example, port 8080/);
      assert.deepEqual(carriedExposure(undefined, false, ownGateway), { kept: [], dropped: [] });
      assert.deepEqual(carriedExposure(undefined, 'keep', ownGateway), { kept: [], dropped: [] });
    });

    it('says so when a new host replaces the current one, or when the binding was to a Gateway Fn Mesh did not write', () => {
      const moved = carriedExposure(current, { host: 'new.team.example' }, ownGateway);
      assert.deepEqual(moved.gateway, { hosts: ['new.team.example'], port: 80 });
      assert.match(moved.dropped.join('\n'), /Host hello\.team\.example, port 8080.*replaced by Host new\.team\.example, port 80/);
      assert.deepEqual(carriedExposure(current, { host: 'hello.team.example', port: 8080 }, ownGateway).dropped, []);
      const foreign = carriedExposure({ ...current, gateway: 'team/shared-gw' }, 'keep', ownGateway);
      assert.deepEqual(foreign.gateway, { hosts: ['hello.team.example'], port: 8080 });
      assert.match(foreign.dropped.join('\n'), /Gateway team\/shared-gw, which Fn Mesh did not write/);
    });

    it('re-routing an exposed app to add v3 keeps the VirtualService bound to the gateway and host', async () => {
      const client = await clusterWith({ istioApiVersion: 'v1', gateway: { hosts: ['hello.team.example'] } });
      const live = await readLiveRouting(client, istio, 'team', 'hello-app');
      const exposure = carriedExposure(live.exposure, 'keep', ownGateway);
      const weights = formatWeights(proposedWeights(['v1', 'v2', 'v3'], live.weights));
      const { plan } = await prepareRoute(client, input(['v1', 'v2', 'v3'], weights, { istioApiVersion: 'v1', ...(exposure.gateway ? { gateway: exposure.gateway } : {}) }));
      const spec = vsSpec(plan);
      assert.deepEqual(spec.gateways, ['hello-app-gateway', 'mesh']);
      assert.deepEqual(spec.hosts, ['hello-app', 'hello.team.example']);
      assert.deepEqual(spec.http.at(-1)?.route.map((r) => `${r.destination.subset}=${r.weight}`), ['v1=70', 'v2=30', 'v3=0']);
      assert.ok(plan.objects.some((o) => o.kind === 'Gateway'), 'the Gateway stays in the plan');
    });
  });
});
