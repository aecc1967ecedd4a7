// Live routing from Kubernetes watches against the real kube-apiserver (with
// kube-controller-manager making the proxies' pods), and the sidecar injection checks.
import * as assert from 'node:assert/strict';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import type { RoutedAppView } from '../../../src/routing/cluster/routingView';
import type { Disposable } from '../../../src/kube/objects/types';
import { eventually, useTestNamespace } from '../../helpers/controlPlane';
import { helloObjects, ref } from './kubeFixtures';

describe('kube resources: live routing from watches (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('watch');
  let watch: Disposable | undefined;
  let views: RoutedAppView[][] = [];
  const latest = (): RoutedAppView[] | undefined => views[views.length - 1];
  const hello = (): RoutedAppView | undefined => latest()?.find((a) => a.appName === 'hello-app');

  before(async () => {
    const { client, name } = cluster();
    // istiod's injection webhook runs in this stack: opt this namespace out, so the proxies run without a sidecar.
    await client.mergePatch({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name }, { metadata: { labels: { 'istio-injection': 'disabled' } } });
    const outcome = await createKubeResources(client).apply(helloObjects(name));
    assert.equal(outcome.ok, true, outcome.summary);
    watch = await createKubeResources(client).watchRouting(name, (apps) => views.push(apps));
  });
  after(() => watch?.dispose());

  it('shows the routed app with its versions, weights, functions and proxy replicas', async () => {
    const app = await eventually('the first view', hello);
    assert.equal(app.fnAppName, 'hello-app');
    assert.equal(app.route.kind, 'VirtualService');
    assert.deepEqual(
      app.versions.map((v) => [v.version, v.weight, v.fnName, v.desiredReplicas]),
      [
        ['v1', 90, 'v1', 1],
        ['v2', 10, 'v2', 1],
      ],
    );
    for (const v of app.versions) {
      assert.ok(v.readyReplicas >= 0 && v.readyReplicas <= 1);
    }
  });

  it('warns when the proxy pods run without the istio-proxy sidecar (namespace opted out of injection)', async () => {
    // kube-controller-manager creates the pods; with istio-injection=disabled the webhook skips them.
    const app = await eventually('pods of both versions', () => (hello()?.versions.every((v) => v.sidecar === 'missing') ? hello() : undefined), 30_000);
    assert.ok(app.warnings.some((w) => /version "v1" runs without the istio-proxy sidecar/.test(w)), app.warnings.join('\n'));
  });

  it('reports a weight change made by another client within a few seconds', async () => {
    const { other, name } = cluster();
    const started = Date.now();
    await other.jsonPatch(ref(name, 'VirtualService', 'hello-app'), [
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 30 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 70 },
    ]);
    await eventually('the new weights', () => (hello()?.versions.map((v) => v.weight).join('/') === '30/70' ? true : undefined), 5_000, 20);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
    console.log(`      (external weight change seen after ${elapsed} ms)`);
  });

  it('warns about a version without a subset, and drops an app whose route is deleted', async () => {
    const { other, client, name } = cluster();
    await other.jsonPatch(ref(name, 'DestinationRule', 'hello-app'), [{ op: 'remove', path: '/spec/subsets/1' }]);
    await eventually('the subset warning', () => (hello()?.warnings.some((w) => /Version "v2" has no subset in DestinationRule "hello-app"/.test(w)) ? true : undefined));
    views = [];
    await client.delete(ref(name, 'VirtualService', 'hello-app'));
    await eventually('the app to disappear', () => (latest() && !hello() ? true : undefined));
    assert.deepEqual(latest(), []);
  });
});

describe('kube resources: sidecar injection of a namespace (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('inject');

  it('reads the namespace label and sets istio-injection=enabled', async () => {
    const kube = createKubeResources(cluster().client);
    assert.deepEqual(await kube.namespaceInjection(cluster().name), { mode: 'none' });
    assert.deepEqual(await kube.labelNamespaceForInjection(cluster().name), { mode: 'enabled' });
    const ns = await cluster().client.get({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name: cluster().name });
    assert.equal(ns?.metadata.labels?.['istio-injection'], 'enabled');
  });

  it('leaves a namespace injected by an istio.io/rev revision as it is', async () => {
    const { client } = cluster();
    const name = `${cluster().name}-rev`;
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, namespace: '', labels: { 'istio.io/rev': 'canary' } } };
    await client.apply(ns);
    try {
      const kube = createKubeResources(client);
      assert.deepEqual(await kube.labelNamespaceForInjection(name), { mode: 'revision', revision: 'canary' });
      const live = await client.get({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name });
      assert.equal(live?.metadata.labels?.['istio-injection'], undefined);
      await assert.rejects(kube.namespaceInjection('no-such-namespace-x'), /Namespace "no-such-namespace-x" does not exist/);
    } finally {
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name });
    }
  });
});
