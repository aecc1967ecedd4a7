// Conflicts with another field manager, failures part-way through an apply, and rolling back,
// against the real kube-apiserver. "Another tool" is a second client with field manager
// `other-tool`; it acts between Fn Mesh's dry-run and its real apply through a client wrapper.
import * as assert from 'node:assert/strict';
import type { ApplyOutcome } from '../../../src/kube/objects/applyObjects';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import { normaliseForDiff } from '../../../src/kube/objects/normalise';
import type { ObjectRef, ObjectToWrite } from '../../../src/kube/objects/types';
import { useTestNamespace } from '../../helpers/controlPlane';
import { helloObjects, ref, weightsOfVs, wrapClient } from './kubeFixtures';

/** The other tool's VirtualService: same hosts, its own weights. */
function otherVs(namespace: string, weights: [number, number]): ObjectToWrite & { spec: unknown } {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'hello-app', namespace },
    spec: {
      hosts: ['hello-app'],
      http: [
        {
          name: 'weighted',
          route: weights.map((weight, i) => ({ destination: { host: 'hello-app', subset: `v${i + 1}` }, weight })),
        },
      ],
    },
  };
}

function statuses(outcome: ApplyOutcome): string[] {
  return outcome.results.map((r) => `${r.ref.kind}/${r.ref.name}:${r.status}`);
}

describe('kube resources: conflicts, partial failure and rollback (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('rollback');

  it('fields another manager owns are a clear conflict naming it and the fields, never forced', async () => {
    const { client, other, name } = cluster();
    await other.apply(otherVs(name, [70, 30]));
    const outcome = await createKubeResources(client).apply(helloObjects(name));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failedPhase, 'dry-run');
    const vs = outcome.results.find((r) => r.ref.kind === 'VirtualService');
    assert.deepEqual(vs?.conflicts, [{ manager: 'other-tool', field: '.spec.http' }]);
    assert.equal(vs?.code, 409);
    assert.match(vs?.error ?? '', /^VirtualService fnm-rollback-\w+\/hello-app: conflict: .*"other-tool" owns \.spec\.http.*never takes fields over/);
    assert.deepEqual(weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app'))), [70, 30], "the other tool's weights are intact");
    assert.equal(await client.get(ref(name, 'ConfigMap', 'hello-app-v1-nginx')), undefined, 'nothing was written');
    await other.delete(ref(name, 'VirtualService', 'hello-app'));
  });

  it('a failure part-way reports what was applied and what not; rollback deletes what it created', async () => {
    const { client, other, name } = cluster();
    // The other tool creates the VirtualService after Fn Mesh's dry-run, just before its apply.
    const racing = wrapClient(client, {
      async beforeApply(obj, options) {
        if (obj.kind === 'VirtualService' && !options.dryRun) {
          await other.apply(otherVs(name, [60, 40]));
        }
      },
    });
    const kube = createKubeResources(racing);
    const outcome = await kube.apply(helloObjects(name));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failedPhase, 'apply');
    assert.deepEqual(statuses(outcome), [
      'ConfigMap/hello-app-v1-nginx:created',
      'ConfigMap/hello-app-v2-nginx:created',
      'Deployment/hello-app-v1:created',
      'Deployment/hello-app-v2:created',
      'Service/hello-app:created',
      'DestinationRule/hello-app:created',
      'VirtualService/hello-app:failed',
    ]);
    assert.match(outcome.summary, /^Applied 6 of 7 object\(s\) \(6 created\), then VirtualService \S+: conflict: .*"other-tool" owns \.spec\.http/);
    assert.equal(outcome.rollback.steps.length, 6);

    const rolledBack = await kube.rollback(outcome.rollback);
    assert.equal(rolledBack.ok, true, rolledBack.summary);
    assert.equal(rolledBack.summary, 'Rolled back 6 object(s): 6 deleted, 0 restored.');
    for (const r of outcome.results.slice(0, 6)) {
      assert.equal(await client.get(r.ref), undefined, `${r.ref.kind}/${r.ref.name} deleted`);
    }
    assert.deepEqual(weightsOfVs(await client.get(ref(name, 'VirtualService', 'hello-app'))), [60, 40], "the other tool's object is intact");
    await other.delete(ref(name, 'VirtualService', 'hello-app'));
  });

  it('rollback of a changed set restores what Fn Mesh had set before', async () => {
    const { client, other, name } = cluster();
    const kube = createKubeResources(client);
    const first = await kube.apply(helloObjects(name));
    assert.equal(first.ok, true, first.summary);
    const snapshot = async (r: ObjectRef): Promise<unknown> => {
      const live = await client.get(r);
      const copy = normaliseForDiff(live) as { metadata: { annotations?: unknown } } | undefined;
      return copy && { ...copy, metadata: { annotations: copy.metadata.annotations } };
    };
    const watched = [ref(name, 'ConfigMap', 'hello-app-v1-nginx'), ref(name, 'Deployment', 'hello-app-v1'), ref(name, 'Deployment', 'hello-app-v2')];
    const before = await Promise.all(watched.map(snapshot));

    // A new Fn lb address changes every ConfigMap and Deployment; the other tool then takes the VirtualService's routes.
    const racing = wrapClient(client, {
      async beforeApply(obj, options) {
        if (obj.kind === 'VirtualService' && !options.dryRun) {
          await other.apply(otherVs(name, [55, 45]), { force: true });
        }
      },
    });
    const changed = helloObjects(name, { v1: 50, v2: 50 }, {}, 'http://fn-lb.elsewhere.svc.cluster.local:90');
    const outcome = await createKubeResources(racing).apply(changed);
    assert.equal(outcome.failedPhase, 'apply');
    assert.deepEqual(statuses(outcome).slice(0, 6), [
      'ConfigMap/hello-app-v1-nginx:configured',
      'ConfigMap/hello-app-v2-nginx:configured',
      'Deployment/hello-app-v1:configured',
      'Deployment/hello-app-v2:configured',
      'Service/hello-app:unchanged',
      'DestinationRule/hello-app:unchanged',
    ]);
    const cm = await client.get(watched[0]);
    assert.match(JSON.stringify(cm?.data), /fn-lb\.elsewhere/);
    assert.deepEqual(
      outcome.rollback.steps.map((s) => `${s.action} ${s.ref.kind}/${s.ref.name}`),
      ['restore Deployment/hello-app-v2', 'restore Deployment/hello-app-v1', 'restore ConfigMap/hello-app-v2-nginx', 'restore ConfigMap/hello-app-v1-nginx'],
    );

    const rolledBack = await kube.rollback(outcome.rollback);
    assert.equal(rolledBack.ok, true, rolledBack.summary);
    assert.deepEqual(await Promise.all(watched.map(snapshot)), before, 'ConfigMap and Deployments are as before the failed apply');
  });

  it('rollback leaves an object that someone changed since, and says so', async () => {
    const { client, other, name } = cluster();
    await other.delete(ref(name, 'VirtualService', 'hello-app'));
    const racing = wrapClient(client, {
      async beforeApply(obj, options) {
        if (obj.kind === 'VirtualService' && !options.dryRun) {
          await other.apply(otherVs(name, [80, 20]));
        }
      },
    });
    const outcome = await createKubeResources(racing).apply(helloObjects(name, { v1: 30, v2: 70 }, {}, 'http://fn-lb.third.svc.cluster.local:90'));
    assert.equal(outcome.failedPhase, 'apply');
    // Someone edits the proxy configuration Fn Mesh just wrote.
    const cmRef = ref(name, 'ConfigMap', 'hello-app-v1-nginx');
    await other.jsonPatch(cmRef, [{ op: 'add', path: '/data/fn-mesh.conf', value: '# edited by hand\n' }]);

    const rolledBack = await createKubeResources(client).rollback(outcome.rollback);
    assert.equal(rolledBack.ok, false);
    const failed = rolledBack.results.find((r) => r.status === 'failed');
    assert.equal(failed?.ref.name, 'hello-app-v1-nginx');
    assert.match(failed?.error ?? '', /ConfigMap \S+\/hello-app-v1-nginx changed since Fn Mesh applied it; left as it is/);
    const data = (await client.get(cmRef))?.data as Record<string, string> | undefined;
    assert.equal(data?.['fn-mesh.conf'], '# edited by hand\n', 'the hand edit is intact');
    assert.deepEqual(rolledBack.remaining.steps[0]?.ref.name, 'hello-app-v1-nginx');
  });
});
