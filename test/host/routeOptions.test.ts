// Route options against the real API server: Route Traffic labels the namespace for injection when
// asked, then header pinning, fault injection and outlier detection are applied through the
// commands (values as arguments, no prompts), read back from the cluster, guarded against a
// concurrent change, and cleared again with the weights kept.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FnMeshApi } from '../../src/extension';
import type { ApplyOutcome } from '../../src/kube/objects/applyObjects';
import { connectKubeResources, type KubeResources } from '../../src/routing/cluster/kubeResources';
import type { RoutedAppView } from '../../src/routing/cluster/routingView';
import type { LiveObject } from '../../src/kube/objects/types';
import type { RouteOptionsPlan } from '../../src/routing/routeOptionsPlan';
import { activateExtension, adminKubeConfig, fnAppNode, routedAppWhen, useRoutingNamespace } from './hostHelpers';

const namespace = `ropts-${Date.now().toString(36)}`;

interface Rule {
  readonly name: string;
  readonly match?: unknown;
  readonly route: readonly { readonly destination: { readonly subset: string }; readonly weight?: number }[];
  readonly fault?: unknown;
}

async function appView(api: FnMeshApi, accept: (app: RoutedAppView) => boolean = () => true, timeoutMs = 20_000): Promise<RoutedAppView> {
  const app = await routedAppWhen(api, accept, timeoutMs);
  assert.ok(app && accept(app), `hello-app not shown as expected in ${timeoutMs} ms`);
  return app;
}

suite('Route options', () => {
  let api: FnMeshApi;
  let cluster: KubeResources;
  const ref = (kind: string) => ({ apiVersion: 'networking.istio.io/v1', kind, namespace, name: 'hello-app' });
  const read = async (kind: string): Promise<LiveObject> => {
    const obj = await cluster.get(ref(kind));
    assert.ok(obj, `${kind} hello-app missing`);
    return obj;
  };
  const rules = async (): Promise<Rule[]> => ((await read('VirtualService')).spec as { http: Rule[] }).http;
  const weights = (rule: Rule | undefined): string => (rule?.route ?? []).map((r) => `${r.destination.subset}=${r.weight}`).join(',');
  const command = async (id: string, args: object): Promise<ApplyOutcome> => {
    const node = { kind: 'routedApp', id: 'x', view: await appView(api) };
    const outcome = await vscode.commands.executeCommand<ApplyOutcome | undefined>(id, node, { ...args, action: 'apply' });
    assert.ok(outcome?.ok, `${id}: ${outcome?.summary ?? 'failed (see the Fn Mesh log)'}`);
    return outcome;
  };

  let cleanUp: (() => Promise<void>) | undefined;

  suiteSetup(async () => {
    api = await activateExtension();
    cluster = await connectKubeResources(await adminKubeConfig());
    cleanUp = await useRoutingNamespace(api, namespace);
  });

  suiteTeardown(async () => {
    await cleanUp?.();
  });

  test('Route Traffic labels an unlabelled namespace for sidecar injection when asked', async () => {
    assert.equal((await cluster.namespaceInjection(namespace)).mode, 'none');
    const app = await fnAppNode(api, 'hello-app');
    const outcome = await vscode.commands.executeCommand<ApplyOutcome>('fnMesh.routing.routeTraffic', app, {
      functions: ['v1', 'v2'],
      weights: 'v1=90,v2=10',
      action: 'apply',
      lbBaseUrl: 'http://fn.fn-system.svc.cluster.local:90',
      injection: 'label',
    });
    assert.ok(outcome?.ok, outcome?.summary);
    const ns = await cluster.get({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name: namespace });
    assert.equal(ns?.metadata.labels?.['istio-injection'], 'enabled');
    await appView(api, (a) => a.versions.map((v) => `${v.version}=${v.weight}`).join(',') === 'v1=90,v2=10');
  });

  test('pins a header, injects a fault and sets outlier detection, keeping the weights', async () => {
    await command('fnMesh.routing.pinHeader', { header: 'x-fn-version', value: 'beta', version: 'v2' });
    await command('fnMesh.routing.injectFault', { delay: { percent: 10, seconds: 2 }, abort: { percent: 5, httpStatus: 503 } });
    await command('fnMesh.routing.outlierDetection', { consecutive5xxErrors: 3, intervalSeconds: 5 });

    const [pin, weighted, ...extra] = await rules();
    assert.equal(extra.length, 0);
    assert.deepEqual(pin?.match, [{ headers: { 'x-fn-version': { exact: 'beta' } } }]);
    assert.deepEqual(pin?.route, [{ destination: { host: 'hello-app', subset: 'v2' } }]);
    assert.equal(weighted?.name, 'weighted');
    assert.equal(weights(weighted), 'v1=90,v2=10');
    const fault = { delay: { percentage: { value: 10 }, fixedDelay: '2s' }, abort: { percentage: { value: 5 }, httpStatus: 503 } };
    assert.deepEqual(pin?.fault, fault);
    assert.deepEqual(weighted?.fault, fault);
    const dr = (await read('DestinationRule')).spec as { subsets: { name: string }[]; trafficPolicy?: { outlierDetection?: unknown } };
    assert.deepEqual(dr.trafficPolicy?.outlierDetection, { consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '30s', maxEjectionPercent: 100 });
    assert.deepEqual(dr.subsets.map((s) => s.name), ['v1', 'v2']);
  });

  test('a change made by another client after the read is refused, not overwritten', async () => {
    const node = { kind: 'routedApp', id: 'x', view: await appView(api) };
    const plan = await vscode.commands.executeCommand<RouteOptionsPlan>('fnMesh.routing.mirror', node, { version: 'v2', percent: 50, action: 'preview' });
    assert.ok(plan, 'no plan from the preview');
    await cluster.updateWeights(namespace, 'hello-app', new Map([['v1', 60], ['v2', 40]]));
    const outcome = await cluster.apply(plan.objects);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failedPhase, 'dry-run');
    assert.match(outcome.summary, /modified|conflict|changed/i);
    assert.equal(weights((await rules()).at(-1)), 'v1=60,v2=40');
  });

  test('clear options removes them all and keeps the current weights', async () => {
    await appView(api, (a) => a.versions.map((v) => v.weight).join(',') === '60,40');
    await command('fnMesh.routing.clearOptions', {});
    const all = await rules();
    assert.deepEqual(all.map((r) => r.name), ['weighted']);
    assert.equal(weights(all[0]), 'v1=60,v2=40');
    assert.equal(all[0]?.fault, undefined);
    const dr = (await read('DestinationRule')).spec as { trafficPolicy?: unknown };
    assert.equal(dr.trafficPolicy, undefined);
    // Nothing left to clear: refused with a message, nothing written.
    const node = { kind: 'routedApp', id: 'x', view: await appView(api) };
    assert.equal(await vscode.commands.executeCommand('fnMesh.routing.clearOptions', node, { action: 'apply' }), undefined);
  });
});
