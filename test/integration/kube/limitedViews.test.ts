// What a user with partial rights sees, against the real kube-apiserver (user fn-mesh-limited):
// Traffic Routing shows what it may read and a one-line warning for a forbidden kind (HTTPRoute),
// and looking for Fn in the cluster fails in one line that names what could not be listed.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { connectFnInCluster } from '../../../src/fn/cluster/fnInCluster';
import { connectFn } from '../../../src/fn/connection';
import { createKubeClient } from '../../../src/kube/objects/objectApiClient';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import { eventually, grantLimitedUser, limitedKubeconfig, useTestNamespace, type PolicyRule } from '../../helpers/controlPlane';
import { helloObjects } from './kubeFixtures';

const readAllButHttpRoutes: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'configmaps'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.istio.io'], resources: ['virtualservices', 'destinationrules'], verbs: ['get', 'list', 'watch'] },
];

describe('views with a limited user (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('limited');

  it('Traffic Routing: a forbidden HTTPRoute watch is a warning, the routed app is shown', async () => {
    const { client, name } = cluster();
    const applied = await createKubeResources(client).apply(helloObjects(name));
    assert.equal(applied.failedPhase, undefined);
    await grantLimitedUser(client, name, 'fn-mesh-read', readAllButHttpRoutes);
    const limited = createKubeResources(await createKubeClient(await limitedKubeconfig()));
    const apis = await limited.discoverIstioVersion();
    assert.equal(apis.httpRoute, true, 'the control plane serves HTTPRoute (Gateway API CRDs)');
    let latest: { apps: string[]; warnings: readonly string[] } | undefined;
    const watch = await limited.watchRouting(name, (apps, warnings) => (latest = { apps: apps.map((a) => a.appName), warnings }), { debounceMs: 10 });
    try {
      const seen = await eventually('the view to publish', () => (latest && latest.apps.length > 0 && latest.warnings.length > 0 ? latest : undefined), 20_000);
      assert.deepEqual(seen.apps, ['hello-app']);
      assert.equal(seen.warnings.length, 1);
      assert.match(seen.warnings[0] ?? '', /^HTTPRoute not shown: forbidden: .*User "fn-mesh-limited" cannot list resource "httproutes"/);
      assert.doesNotMatch(seen.warnings[0] ?? '', /\n/);
    } finally {
      watch.dispose();
    }
  });

  it('Fn discovery without the right to list services: one line naming the namespace and the reason', async () => {
    const { name } = cluster();
    const config = await limitedKubeconfig();
    const state = await connectFn({ requestTimeoutSeconds: 5 }, {}, os.tmpdir(), { discover: () => connectFnInCluster(config, 'limited', `${name}-none`), discoveryTimeoutMs: 20_000 });
    assert.equal(state.kind, 'invalid');
    assert.equal(state.kind === 'invalid' && state.failed, 'cluster discovery');
    const message = state.kind === 'invalid' ? state.message : '';
    assert.match(message, new RegExp(`cannot list services in namespace "${name}-none" \\(nor in all namespaces\\): forbidden: .*cannot list resource "services"`));
    assert.doesNotMatch(message, /\n|HTTP-Code|Headers/);
  });
});
