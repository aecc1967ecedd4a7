// RBAC against the real kube-apiserver, with the user `fn-mesh-limited`: clear `forbidden`
// messages, nothing written when the dry-run is refused, a permission lost part-way (and the
// rollback), and a watch that recovers once access is granted.
import * as assert from 'node:assert/strict';
import { describeError } from '../../../src/common/errors';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import type { KubeClient } from '../../../src/kube/objects/kubeClient';
import { createKubeClient } from '../../../src/kube/objects/objectApiClient';
import type { LiveObject } from '../../../src/kube/objects/types';
import { eventually, grantLimitedUser, limitedKubeconfig, useTestNamespace, type PolicyRule } from '../../helpers/controlPlane';
import { helloObjects, ref, wrapClient } from './kubeFixtures';

const workloads: PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'services'], verbs: ['*'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] },
];
const istio = (resources: string[]): PolicyRule => ({ apiGroups: ['networking.istio.io'], resources, verbs: ['*'] });

async function allowed(client: KubeClient, namespace: string, kind: string): Promise<boolean> {
  try {
    await client.get(ref(namespace, kind, 'probe'));
    return true;
  } catch {
    return false;
  }
}

describe('kube resources: permissions with a limited user (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('rbac');
  let limited: KubeClient;

  before(async () => {
    limited = await createKubeClient(await limitedKubeconfig());
  });

  it('without rights on the Istio kinds: a clear forbidden message, and nothing is written', async () => {
    const { client, name } = cluster();
    await grantLimitedUser(client, name, 'fn-mesh-test', workloads);
    await eventually('the Role to take effect', async () => ((await allowed(limited, name, 'ConfigMap')) ? true : undefined));

    const outcome = await createKubeResources(limited).apply(helloObjects(name));
    assert.equal(outcome.failedPhase, 'dry-run');
    const refused = outcome.results.filter((r) => r.status === 'failed');
    assert.deepEqual(
      refused.map((r) => `${r.ref.kind}:${r.code}`),
      ['DestinationRule:403', 'VirtualService:403'],
    );
    assert.match(
      refused[1]?.error ?? '',
      /^VirtualService fnm-rbac-\w+\/hello-app: forbidden: .*User "fn-mesh-limited" cannot get resource "virtualservices" in API group "networking\.istio\.io"/,
    );
    assert.equal(await client.get(ref(name, 'ConfigMap', 'hello-app-v1-nginx')), undefined, 'nothing was written');

    await assert.rejects(createKubeResources(limited).get(ref(name, 'VirtualService', 'hello-app')), (err: unknown) => {
      assert.match(describeError(err), /^VirtualService \S+\/hello-app: forbidden: /);
      return true;
    });
  });

  it('a right lost part-way: the result says what was applied, and rollback removes it', async () => {
    const { client, name } = cluster();
    await grantLimitedUser(client, name, 'fn-mesh-test', [...workloads, istio(['destinationrules', 'virtualservices'])]);
    await eventually('the Role to take effect', async () => ((await allowed(limited, name, 'VirtualService')) ? true : undefined));
    const revoking = wrapClient(limited, {
      async beforeApply(obj, options) {
        if (obj.kind === 'VirtualService' && !options.dryRun) {
          await grantLimitedUser(client, name, 'fn-mesh-test', [...workloads, istio(['destinationrules'])]);
          await eventually('the right to be gone', async () => ((await allowed(limited, name, 'VirtualService')) ? undefined : true));
        }
      },
    });
    const kube = createKubeResources(revoking);
    const outcome = await kube.apply(helloObjects(name));
    assert.equal(outcome.failedPhase, 'apply');
    assert.deepEqual(
      outcome.results.map((r) => r.status),
      ['created', 'created', 'created', 'created', 'created', 'created', 'failed'],
    );
    assert.equal(outcome.results[6]?.code, 403);
    assert.match(outcome.summary, /^Applied 6 of 7 object\(s\) \(6 created\), then VirtualService \S+: forbidden: .*cannot patch resource "virtualservices"/);

    const rolledBack = await kube.rollback(outcome.rollback);
    assert.equal(rolledBack.ok, true, rolledBack.summary);
    for (const r of outcome.results) {
      assert.equal(await client.get(r.ref), undefined, `${r.ref.kind}/${r.ref.name} is not there`);
    }
  });

  it('a forbidden watch retries with backoff and delivers once access is granted', async () => {
    const { client, name } = cluster();
    const vsType = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' };
    const watched = { ...vsType, metadata: { name: 'watched', namespace: name }, spec: { hosts: ['watched'], http: [{ route: [{ destination: { host: 'watched' } }] }] } }; // istiod's webhook requires a route
    await client.apply(watched);
    await grantLimitedUser(client, name, 'fn-mesh-test', workloads);
    const errors: { message: string; retryInMs: number }[] = [];
    let delivered: readonly LiveObject[] | undefined;
    const watch = limited.watch(vsType, name, undefined, {
      onChange: (items) => (delivered = items),
      onError: (err, retryInMs) => errors.push({ message: describeError(err), retryInMs }),
    });
    try {
      await eventually('two failed attempts', () => (errors.length >= 2 ? true : undefined), 10_000);
      assert.deepEqual(
        errors.slice(0, 2).map((e) => e.retryInMs),
        [1000, 2000],
      );
      assert.equal(delivered, undefined);
      await grantLimitedUser(client, name, 'fn-mesh-test', [...workloads, istio(['virtualservices'])]);
      const items = await eventually('the watch to recover', () => delivered, 15_000);
      assert.deepEqual(
        items.map((o) => o.metadata.name),
        ['watched'],
      );
    } finally {
      watch.dispose();
    }
  });
});
