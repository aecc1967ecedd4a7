// Server-side apply of a routed app against the real kube-apiserver with the Istio and Gateway
// API CRDs: discovery, dry-run, apply order and field manager, idempotence, diff, server refusals.
import * as assert from 'node:assert/strict';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import { helloObjects, ref, weightsOfVs, wrapClient } from './kubeFixtures';
import { useTestNamespace } from '../../helpers/controlPlane';

describe('kube resources: apply a routed app (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('apply');

  it('discovers networking.istio.io/v1 and the Gateway API HTTPRoute', async () => {
    const apis = await createKubeResources(cluster().client).discoverIstioVersion();
    assert.deepEqual(apis, { istio: 'v1', httpRoute: true });
  });

  it('a dry-run checks every object on the server and writes nothing', async () => {
    const { client, name } = cluster();
    const recording = wrapClient(client);
    const outcome = await createKubeResources(recording).apply(helloObjects(name), { dryRun: true });
    assert.equal(outcome.ok, true, outcome.summary);
    assert.equal(outcome.dryRun, true);
    assert.deepEqual(
      outcome.results.map((r) => r.status),
      Array(7).fill('created'),
    );
    assert.deepEqual(recording.recorded.writes, []);
    assert.equal(await client.get(ref(name, 'VirtualService', 'hello-app')), undefined);
    assert.equal(await client.get(ref(name, 'ConfigMap', 'hello-app-v1-nginx')), undefined);
    assert.match(outcome.summary, /Dry-run passed for 7 object\(s\): 7 to create/);
  });

  it('applies the hello-app set in a safe order, every object under the field manager fn-mesh', async () => {
    const { client, name } = cluster();
    const recording = wrapClient(client);
    const outcome = await createKubeResources(recording).apply(helloObjects(name));
    assert.equal(outcome.ok, true, outcome.summary);
    assert.deepEqual(recording.recorded.writes, [
      'apply ConfigMap/hello-app-v1-nginx',
      'apply ConfigMap/hello-app-v2-nginx',
      'apply Deployment/hello-app-v1',
      'apply Deployment/hello-app-v2',
      'apply Service/hello-app',
      'apply DestinationRule/hello-app',
      'apply VirtualService/hello-app',
    ]);
    assert.deepEqual(
      outcome.results.map((r) => r.status),
      Array(7).fill('created'),
    );
    for (const r of outcome.results) {
      const live = await client.get(r.ref);
      assert.ok(live, `${r.ref.kind} ${r.ref.name} exists`);
      const managers = (live.metadata.managedFields ?? []).filter((m) => !m.subresource).map((m) => `${m.manager}/${m.operation}`);
      assert.ok(managers.includes('fn-mesh/Apply'), `${r.ref.kind} managers: ${managers.join(', ')}`);
    }
    assert.deepEqual(weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app'))), [90, 10]);
    // Everything it wrote can be undone: seven deletions, routes first.
    assert.deepEqual(
      outcome.rollback.steps.map((s) => `${s.action} ${s.ref.kind}`),
      ['VirtualService', 'DestinationRule', 'Service', 'Deployment', 'Deployment', 'ConfigMap', 'ConfigMap'].map((k) => `delete ${k}`),
    );
  });

  it('a second apply of the same objects changes nothing', async () => {
    const { client, name } = cluster();
    const before = await client.get(ref(name, 'VirtualService', 'hello-app'));
    const outcome = await createKubeResources(client).apply(helloObjects(name));
    assert.equal(outcome.ok, true, outcome.summary);
    assert.deepEqual(
      outcome.results.map((r) => r.status),
      Array(7).fill('unchanged'),
    );
    assert.deepEqual(outcome.rollback.steps, []);
    const after = await client.get(ref(name, 'VirtualService', 'hello-app'));
    assert.equal(after?.metadata.resourceVersion, before?.metadata.resourceVersion);
  });

  it('diffs live objects against the dry-run result as normalised YAML', async () => {
    const { client, name } = cluster();
    const kube = createKubeResources(client);
    const same = await kube.diff(helloObjects(name));
    assert.deepEqual(
      same.map((d) => d.change),
      Array(7).fill('none'),
    );

    const diffs = await kube.diff(helloObjects(name, { v1: 50, v2: 50 }));
    const vs = diffs.find((d) => d.ref.kind === 'VirtualService');
    assert.equal(vs?.change, 'update');
    assert.match(vs.live, /weight: 90/);
    assert.match(vs.proposed, /weight: 50/);
    assert.match(vs.proposed, /^apiVersion: networking\.istio\.io\/v1\nkind: VirtualService\nmetadata:\n {2}name: hello-app/);
    for (const d of diffs) {
      for (const text of [d.live, d.proposed]) {
        assert.doesNotMatch(text, /managedFields|resourceVersion|uid:|creationTimestamp|generation:|^status:/m);
      }
    }
    assert.deepEqual(diffs.filter((d) => d.change !== 'none').map((d) => d.ref.kind), ['VirtualService']);
    // The diff is a dry-run: the cluster still routes 90/10.
    assert.deepEqual(weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app'))), [90, 10]);
  });

  it('an object the server refuses fails the dry-run, and nothing of the set is written', async () => {
    const { client, name } = cluster();
    const objects = helloObjects(name, { v1: 50, v2: 50 }).map((o) =>
      o.kind === 'Deployment' && o.metadata.name === 'hello-app-v2' ? { ...o, spec: { ...(o as unknown as { spec: object }).spec, replicas: -1 } } : o,
    );
    const recording = wrapClient(client);
    const outcome = await createKubeResources(recording).apply(objects);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failedPhase, 'dry-run');
    assert.deepEqual(recording.recorded.writes, []);
    const refused = outcome.results.filter((r) => r.status === 'failed');
    assert.deepEqual(
      refused.map((r) => r.ref.name),
      ['hello-app-v2'],
    );
    assert.equal(refused[0]?.code, 422);
    assert.match(refused[0]?.error ?? '', /^Deployment fnm-apply-\w+\/hello-app-v2: .*spec\.replicas.*greater than or equal to 0/);
    assert.match(outcome.summary, /refused 1 of 7 object\(s\) in the dry-run; nothing was written/);
    assert.deepEqual(weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app'))), [90, 10]);
  });

  it('a negative HTTPRoute weight fails the dry-run (CRD schema) and nothing is written', async () => {
    const { client, name } = cluster();
    const objects = helloObjects(name, undefined, { mode: 'httpRoute' }).map((o) => {
      if (o.kind !== 'HTTPRoute') {
        return o;
      }
      const route = structuredClone(o) as unknown as { spec: { rules: { backendRefs: { weight: number }[] }[] } };
      const rule = route.spec.rules[route.spec.rules.length - 1];
      if (rule?.backendRefs[0]) {
        rule.backendRefs[0].weight = -5;
      }
      return route as unknown as typeof o;
    });
    const outcome = await createKubeResources(client).apply(objects);
    assert.equal(outcome.failedPhase, 'dry-run');
    const refused = outcome.results.filter((r) => r.status === 'failed');
    assert.deepEqual(
      refused.map((r) => r.ref.kind),
      ['HTTPRoute'],
    );
    assert.match(refused[0]?.error ?? '', /weight.*should be greater than or equal to 0/);
    assert.equal(await client.get(ref(name, 'Service', 'hello-app-v1')), undefined, 'the per-version Service was not written');
    assert.equal(await client.get(ref(name, 'HTTPRoute', 'hello-app')), undefined);
  });
});
