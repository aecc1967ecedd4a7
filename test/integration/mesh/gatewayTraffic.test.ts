// Traffic through routes that Fn Mesh writes, on the real stack: kube-apiserver with istiod's
// injection and validation webhooks, istiod, the ingress gateway (Envoy stand-in configured by
// istiod over ADS), the proxies' nginx run by the kubelet stand-in, the Fn lb and the Fn server
// seeded with hello-app v1/v2. Everything is written through Fn Mesh's own apply, weight update
// and route option plans; requests go to the gateway pod's address with the app's host.
import * as assert from 'node:assert/strict';
import { FnHttpClient } from '../../../src/fn/fnClient';
import type { LiveObject } from '../../../src/kube/objects/types';
import { createKubeResources, type KubeResources } from '../../../src/routing/cluster/kubeResources';
import type { RoutedAppView } from '../../../src/routing/cluster/routingView';
import { podHasSidecar } from '../../../src/routing/cluster/sidecar';
import { findGatewayExposure, type GatewayExposure } from '../../../src/routing/gatewayExposure';
import { planRouteOptions, type RouteOptionsChange } from '../../../src/routing/routeOptionsPlan';
import { planRoute } from '../../../src/routing/routePlan';
import { goodnessOfFit, samplesNeeded } from '../../../src/sampling/goodnessOfFit';
import { eventually, useTestNamespace } from '../../helpers/controlPlane';
import { requiredEnv } from '../../helpers/integrationEnv';
import { countOf, show, tally, viaGateway } from './meshClient';

const istio = (namespace: string, kind: string, name: string) => ({ apiVersion: 'networking.istio.io/v1', kind, namespace, name });
const w = (v1: number, v2: number): Map<string, number> =>
  new Map([
    ['v1', v1],
    ['v2', v2],
  ]);
/** Test level and power: a true 90/10 fails 1 run in 100; a 5-point error passes 1 in 100. */
const fit = { alpha: 0.01, power: 0.99, tolerancePoints: 5 };

describe('mesh: traffic through the ingress gateway (istiod, gateway stand-in, nginx, Fn)', function () {
  this.timeout(120_000);
  const cluster = useTestNamespace('mesh');
  let kube: KubeResources;
  let gatewayUrl: string;
  let exposure: GatewayExposure;
  const host = (): string => `hello-app.${cluster().name}.example`;
  const send = (headers: Record<string, string> = {}) => viaGateway(gatewayUrl, exposure.host, headers);

  /** The routing view model of hello-app once it satisfies `ready`, from Fn Mesh's own watch. */
  async function view(ready: (v: RoutedAppView) => boolean, timeoutMs = 15_000): Promise<RoutedAppView> {
    let latest: RoutedAppView | undefined;
    const watch = await kube.watchRouting(cluster().name, (apps) => (latest = apps.find((a) => a.appName === 'hello-app')));
    try {
      return await eventually('the routing view of hello-app', () => (latest && ready(latest) ? latest : undefined), timeoutMs, 100);
    } finally {
      watch.dispose();
    }
  }

  async function applyOptions(change: RouteOptionsChange): Promise<void> {
    const { name, client } = cluster();
    const virtualService = await client.get(istio(name, 'VirtualService', 'hello-app'));
    assert.ok(virtualService);
    const plan = planRouteOptions({ virtualService }, change);
    const outcome = await kube.apply(plan.objects);
    assert.equal(outcome.ok, true, outcome.summary);
  }

  before(async function () {
    this.timeout(180_000);
    gatewayUrl = requiredEnv('FN_MESH_GATEWAY_URL');
    const { name, client } = cluster();
    kube = createKubeResources(client);
    await kube.labelNamespaceForInjection(name);
    const fn = new FnHttpClient(requiredEnv('FN_MESH_TEST_FN_URL'));
    const app = (await fn.listApps()).items.find((a) => a.name === 'hello-app');
    assert.ok(app, 'the Fn server is seeded with hello-app (scripts/fnserver.sh seed)');
    const functions = (await fn.listFunctions(app)).items.filter((f) => f.name === 'v1' || f.name === 'v2');
    const plan = planRoute({
      fnAppName: 'hello-app',
      functions,
      api: await fn.apiVersion(),
      namespace: name,
      lbBaseUrl: requiredEnv('FN_MESH_TEST_LB_URL'),
      weights: 'v1=90,v2=10',
      manifest: { gateway: { hosts: [host()] } },
    });
    const outcome = await kube.apply(plan.objects);
    assert.equal(outcome.ok, true, outcome.summary);
    await view((v) => v.versions.every((x) => x.readyReplicas >= 1 && x.sidecar === 'injected'), 120_000);
  });

  it('injects istio-proxy into the proxy pods, and the view says so', async () => {
    const { name, client } = cluster();
    const pods = (await client.list({ apiVersion: 'v1', kind: 'Pod' }, name, 'app=hello-app')).filter((p) => !p.metadata.deletionTimestamp);
    assert.ok(pods.length >= 2);
    assert.ok(pods.every(podHasSidecar), 'every proxy pod carries istio-proxy (istiod\'s injection webhook)');
    const v = await view((x) => x.versions.length === 2 && x.versions.every((y) => y.sidecar !== 'unknown'));
    assert.deepEqual(v.versions.map((x) => x.sidecar), ['injected', 'injected']);
    assert.equal(v.warnings.some((m) => /without the istio-proxy sidecar/.test(m)), false);
  });

  it('reads the exposure back from the live VirtualService and Gateway', async () => {
    const { name, client } = cluster();
    const vs = await client.get(istio(name, 'VirtualService', 'hello-app'));
    const gateways = await client.list({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway' }, name);
    const found = findGatewayExposure(vs, gateways);
    assert.deepEqual(found, { gateway: `${name}/hello-app-gateway`, host: host(), port: 80 });
    exposure = found;
  });

  it('splits 90/10: the observed split passes a chi-square test that a 5-point error fails', async () => {
    await eventually('the gateway serves the route', async () => ((await send()).status === 200 ? true : undefined), 60_000, 500);
    const n = samplesNeeded([90, 10], fit);
    const counts = await tally(n, () => send());
    const v1 = countOf(counts, '200 v1');
    const v2 = countOf(counts, '200 v2');
    assert.equal(v1 + v2, n, show(counts));
    const verdict = goodnessOfFit([{ version: 'v1', observed: v1, weight: 90 }, { version: 'v2', observed: v2, weight: 10 }], fit);
    assert.equal(verdict.kind, 'consistent', `${show(counts)}: ${JSON.stringify(verdict)}`);
    // The same N would catch a route that splits 85/15 (or 95/5).
    for (const wrong of [85, 95]) {
      const expect = { v1: Math.round((n * wrong) / 100) };
      const off = goodnessOfFit([{ version: 'v1', observed: expect.v1, weight: 90 }, { version: 'v2', observed: n - expect.v1, weight: 10 }], fit);
      assert.equal(off.kind, 'not-consistent', `${wrong}/${100 - wrong} over ${n}`);
    }
  });

  it('follows a weight change to 0/100 within 30 s', async () => {
    const started = Date.now();
    await kube.updateWeights(cluster().name, 'hello-app', w(0, 100));
    await eventually('only v2 answers', async () => {
      const counts = await tally(40, () => send());
      return countOf(counts, '200 v2') === 40 ? true : undefined;
    }, 30_000, 200);
    assert.ok(Date.now() - started < 30_000);
    const counts = await tally(100, () => send());
    assert.equal(countOf(counts, '200 v2'), 100, show(counts));
  });

  it('sends every request with the pinned header to the pinned version', async () => {
    await applyOptions({ kind: 'pin', pin: { header: 'x-fn-version', value: 'v1', version: 'v1' } });
    await eventually('the pin is served', async () => ((await send({ 'x-fn-version': 'v1' })).version === 'v1' ? true : undefined), 30_000, 200);
    const pinned = await tally(100, () => send({ 'x-fn-version': 'v1' }));
    assert.equal(countOf(pinned, '200 v1'), 100, show(pinned));
    const others = await tally(50, () => send({ 'x-fn-version': 'v3' }));
    assert.equal(countOf(others, '200 v2'), 50, `other values follow the weights (0/100): ${show(others)}`);
  });

  it('aborts about half the requests with a 50% abort fault', async () => {
    await applyOptions({ kind: 'fault', fault: { abort: { percent: 50, httpStatus: 418 } } });
    await eventually('the fault is served', async () => ((await tally(20, () => send())).has('418 -') ? true : undefined), 30_000, 200);
    const n = 400;
    const counts = await tally(n, () => send());
    const aborted = countOf(counts, '418 -');
    // Binomial(400, 0.5): mean 200, sd 10; the band is 4.5 sd wide each way.
    assert.ok(aborted >= 155 && aborted <= 245, show(counts));
    assert.equal(aborted + countOf(counts, '200 v2'), n, show(counts));
    await applyOptions({ kind: 'clear', what: ['fault'] });
    await eventually('the fault is gone', async () => (countOf(await tally(40, () => send()), '200 v2') === 40 ? true : undefined), 30_000, 200);
  });

  it('answers 503 for a version whose proxies have no pods', async () => {
    const { name, client } = cluster();
    await client.mergePatch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: name, name: 'hello-app-v2' }, { spec: { replicas: 0 } });
    await eventually('v2 has no endpoint', async () => ((await send()).status === 503 ? true : undefined), 60_000, 300);
    const counts = await tally(40, () => send());
    assert.equal(countOf(counts, '503 -'), 40, show(counts));
    const pinned = await tally(20, () => send({ 'x-fn-version': 'v1' }));
    assert.equal(countOf(pinned, '200 v1'), 20, `v1 still answers: ${show(pinned)}`);
  });

  it("shows istiod's refusal of a VirtualService, naming the object and the field", async () => {
    const { name, client } = cluster();
    const vs = (await client.get(istio(name, 'VirtualService', 'hello-app'))) as LiveObject & { spec: { http: { route: { weight: number }[] }[] } };
    const bad = structuredClone(vs);
    const weighted = bad.spec.http[bad.spec.http.length - 1];
    assert.ok(weighted?.route[0]);
    weighted.route[0].weight = -10;
    const before = vs.metadata.resourceVersion;
    const outcome = await kube.apply([{ ...bad, metadata: { name: 'hello-app', namespace: name } }]);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failedPhase, 'dry-run');
    assert.match(outcome.summary, /VirtualService.*hello-app/);
    assert.match(outcome.summary, /validation\.istio\.io/);
    assert.match(outcome.summary, /weight -10/);
    assert.equal((await client.get(istio(name, 'VirtualService', 'hello-app')))?.metadata.resourceVersion, before, 'nothing was written');
  });
});
