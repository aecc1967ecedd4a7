// Cluster facts from watches: the conversion of live objects, one update per burst once every kind
// has listed, the fall-back from cluster-wide to the namespace on 403, and disposal.
import * as assert from 'node:assert/strict';
import type { ClusterFacts } from '../../../../src/rules/clusterFacts';
import { factsOf, watchClusterFacts } from '../../../../src/rules/cluster/clusterFactsWatch';
import type { KubeClient, WatchListener } from '../../../../src/kube/objects/kubeClient';
import type { Disposable, LiveObject, ObjectRef, ResourceType } from '../../../../src/kube/objects/types';

const obj = (apiVersion: string, kind: string, name: string, namespace: string | undefined, rest: Record<string, unknown> = {}, labels?: Record<string, string>): LiveObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), managedFields: [{ manager: 'kubectl' }] },
  ...rest,
});

const forbidden = Object.assign(new Error('HTTP 403'), { code: 403 });

interface Watch {
  readonly type: ResourceType;
  readonly namespace: string;
  readonly listener: WatchListener;
  disposed: boolean;
}

/** A KubeClient whose watches the test drives by hand. */
class FakeClient {
  readonly watches: Watch[] = [];
  readonly gets: ObjectRef[] = [];
  constructor(
    private readonly served: Record<string, string[]> = { 'networking.istio.io/v1': ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry'] },
    private readonly namespaceObject?: LiveObject,
  ) {}

  asClient(): KubeClient {
    const unused = (): never => {
      throw new Error('not used by the facts watch');
    };
    return {
      servedKinds: (gv) => Promise.resolve(this.served[gv] ? new Set(this.served[gv]) : undefined),
      get: (ref) => {
        this.gets.push(ref);
        return Promise.resolve(this.namespaceObject);
      },
      watch: (type, namespace, _selector, listener): Disposable => {
        const w: Watch = { type, namespace, listener, disposed: false };
        this.watches.push(w);
        return { dispose: () => (w.disposed = true) };
      },
      list: unused,
      apply: unused,
      jsonPatch: unused,
      mergePatch: unused,
      delete: unused,
    };
  }

  live(kind: string): Watch {
    const found = this.watches.filter((w) => w.type.kind === kind && !w.disposed);
    assert.equal(found.length, 1, `one live watch of ${kind}`);
    return found[0];
  }

  /** Every live watch lists `items` of its kind (none if not given). */
  listAll(items: Record<string, LiveObject[]> = {}): void {
    for (const w of this.watches.filter((x) => !x.disposed)) {
      w.listener.onChange(items[w.type.kind] ?? []);
    }
  }
}

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

function collect(client: FakeClient, options: { log?: string[] } = {}): { updates: ClusterFacts[]; watch: Disposable } {
  const updates: ClusterFacts[] = [];
  const log = options.log;
  const watch = watchClusterFacts(client.asClient(), 'shop', (f) => updates.push(f), {
    debounceMs: 1,
    log: log && { info: (m) => log.push(`info ${m}`), warn: (m) => log.push(`warn ${m}`) },
  });
  return { updates, watch };
}

describe('rules/cluster/clusterFactsWatch', () => {
  it('turns live objects into facts: selectors, pod templates, sidecars, namespaces, routing specs', () => {
    const facts = factsOf({
      services: [obj('v1', 'Service', 'shop', 'shop', { spec: { selector: { app: 'shop' } } }), obj('v1', 'Service', 'ext', 'shop', { spec: { type: 'ExternalName' } })],
      deployments: [obj('apps/v1', 'Deployment', 'shop-v1', 'shop', { spec: { template: { metadata: { labels: { app: 'shop', version: 'v1' }, annotations: { a: 'b' } } } } })],
      pods: [
        obj('v1', 'Pod', 'shop-v1-a', 'shop', { spec: { containers: [{ name: 'app' }, { name: 'istio-proxy' }] }, status: { phase: 'Running' } }, { app: 'shop' }),
        obj('v1', 'Pod', 'shop-v1-b', 'shop', { spec: { containers: [{ name: 'app' }], initContainers: [{ name: 'istio-proxy', restartPolicy: 'Always' }] } }, { app: 'shop' }),
        obj('v1', 'Pod', 'shop-v1-c', 'shop', { spec: { containers: [{ name: 'app' }] } }),
        obj('v1', 'Pod', 'job-done', 'shop', { spec: { containers: [{ name: 'app' }] }, status: { phase: 'Succeeded' } }),
      ],
      namespaces: [obj('v1', 'Namespace', 'shop', undefined, {}, { 'istio-injection': 'enabled' })],
      resources: [obj('networking.istio.io/v1', 'DestinationRule', 'shop', 'shop', { spec: { host: 'shop' }, status: { x: 1 } })],
    });
    assert.deepEqual(facts.services, [
      { name: 'shop', namespace: 'shop', selector: { app: 'shop' } },
      { name: 'ext', namespace: 'shop' },
    ]);
    assert.deepEqual(
      facts.workloads.map((w) => [w.kind, w.name, w.labels, w.hasSidecar]),
      [
        ['Deployment', 'shop-v1', { app: 'shop', version: 'v1' }, undefined],
        ['Pod', 'shop-v1-a', { app: 'shop' }, true],
        ['Pod', 'shop-v1-b', { app: 'shop' }, true],
        ['Pod', 'shop-v1-c', {}, false],
      ],
    );
    assert.deepEqual(facts.workloads[0]?.annotations, { a: 'b' });
    assert.deepEqual(facts.namespaces, [{ name: 'shop', labels: { 'istio-injection': 'enabled' } }]);
    assert.deepEqual(facts.resources, [{ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'shop', namespace: 'shop' }, spec: { host: 'shop' } }]);
  });

  it('also watches Gateway API Gateways where the cluster serves them, apart from Istio Gateways', async () => {
    const client = new FakeClient({
      'networking.istio.io/v1': ['VirtualService', 'Gateway'],
      'gateway.networking.k8s.io/v1': ['Gateway', 'HTTPRoute'],
    });
    const { updates, watch } = collect(client);
    await tick();
    assert.deepEqual(
      client.watches.slice(4).map((w) => `${w.type.apiVersion} ${w.type.kind}`),
      ['networking.istio.io/v1 VirtualService', 'networking.istio.io/v1 Gateway', 'gateway.networking.k8s.io/v1 Gateway'],
    );
    const istioGateway = obj('networking.istio.io/v1', 'Gateway', 'mesh-gw', 'shop', { spec: { servers: [] } });
    const apiGateway = obj('gateway.networking.k8s.io/v1', 'Gateway', 'public', 'ingress', { spec: { listeners: [] } });
    for (const w of client.watches) {
      w.listener.onChange(w.type.kind !== 'Gateway' ? [] : w.type.apiVersion.startsWith('gateway.') ? [apiGateway] : [istioGateway]);
    }
    await tick();
    assert.deepEqual(
      updates.at(-1)?.resources.map((r) => `${(r as LiveObject).apiVersion} ${(r as LiveObject).metadata.name}`),
      ['networking.istio.io/v1 mesh-gw', 'gateway.networking.k8s.io/v1 public'],
    );
    watch.dispose();
  });

  it('watches every kind cluster-wide and publishes once all have listed, one update per burst', async () => {
    const client = new FakeClient();
    const { updates, watch } = collect(client);
    await tick();
    assert.deepEqual(
      client.watches.map((w) => `${w.type.apiVersion} ${w.type.kind} '${w.namespace}'`),
      [
        "v1 Service ''",
        "apps/v1 Deployment ''",
        "v1 Pod ''",
        "v1 Namespace ''",
        "networking.istio.io/v1 VirtualService ''",
        "networking.istio.io/v1 DestinationRule ''",
        "networking.istio.io/v1 Gateway ''",
        "networking.istio.io/v1 ServiceEntry ''",
      ],
    );
    client.live('Service').listener.onChange([obj('v1', 'Service', 'shop', 'shop')]);
    await tick();
    assert.equal(updates.length, 0, 'nothing before every kind has listed');

    client.listAll({ Service: [obj('v1', 'Service', 'shop', 'shop')] });
    await tick();
    assert.equal(updates.length, 1);
    assert.deepEqual(updates[0]?.services.map((s) => s.name), ['shop']);

    client.live('Deployment').listener.onChange([obj('apps/v1', 'Deployment', 'a', 'shop')]);
    client.live('Deployment').listener.onChange([obj('apps/v1', 'Deployment', 'a', 'shop'), obj('apps/v1', 'Deployment', 'b', 'shop')]);
    await tick();
    assert.equal(updates.length, 2, 'a burst makes one update');
    assert.deepEqual(updates[1]?.workloads.map((w) => w.name), ['a', 'b']);

    watch.dispose();
    assert.ok(client.watches.every((w) => w.disposed), 'dispose stops every watch');
    client.listAll();
    await tick();
    assert.equal(updates.length, 2, 'nothing after dispose');
  });

  it('falls back to the namespace on 403, reads the namespace by name, and goes on without what it cannot read', async () => {
    const log: string[] = [];
    const client = new FakeClient({ 'networking.istio.io/v1beta1': ['VirtualService', 'DestinationRule'] }, obj('v1', 'Namespace', 'shop', undefined, {}, { 'istio.io/rev': 'canary' }));
    const { updates, watch } = collect(client, { log });
    await tick();
    assert.deepEqual(
      client.watches.filter((w) => w.type.apiVersion.startsWith('networking')).map((w) => `${w.type.apiVersion} ${w.type.kind}`),
      ['networking.istio.io/v1beta1 VirtualService', 'networking.istio.io/v1beta1 DestinationRule'],
      'v1beta1 where v1 is not served',
    );
    for (const kind of ['Pod', 'Namespace', 'DestinationRule']) {
      client.live(kind).listener.onError?.(forbidden, 1000);
    }
    client.live('Service').listener.onError?.(new Error('connection reset'), 1000);
    await tick();
    assert.deepEqual(client.live('Pod').namespace, 'shop');
    assert.deepEqual(client.live('DestinationRule').namespace, 'shop');
    assert.equal(client.watches.filter((w) => w.type.kind === 'Namespace' && !w.disposed).length, 0);
    assert.deepEqual(client.gets.map((r) => `${r.kind} ${r.name}`), ['Namespace shop']);
    assert.equal(client.live('Service').namespace, '', 'other errors: the watch retries itself');

    client.live('DestinationRule').listener.onError?.(forbidden, 1000);
    await tick();
    client.listAll({ Pod: [obj('v1', 'Pod', 'p', 'shop', { spec: { containers: [] } })] });
    await tick();
    assert.equal(updates.length, 1);
    assert.deepEqual(updates[0]?.namespaces, [{ name: 'shop', labels: { 'istio.io/rev': 'canary' } }]);
    assert.deepEqual(updates[0]?.workloads.map((w) => w.name), ['p']);
    assert.deepEqual(log, [
      'warn cluster facts: watching Services failed (connection reset); retrying in 1000 ms',
      'info cluster facts: no permission to list Pods cluster-wide; using namespace shop only',
      'info cluster facts: no permission to list Namespaces; reading namespace shop only',
      'info cluster facts: no permission to list DestinationRules cluster-wide; using namespace shop only',
      'warn cluster facts: no permission to list DestinationRules in namespace shop; the checks go without them',
    ]);
    watch.dispose();
  });

  it('works without Istio: no routing resources, facts still published', async () => {
    const client = new FakeClient({});
    const { updates, watch } = collect(client);
    await tick();
    assert.deepEqual(client.watches.map((w) => w.type.kind), ['Service', 'Deployment', 'Pod', 'Namespace']);
    client.listAll();
    await tick();
    assert.deepEqual(updates, [{ services: [], workloads: [], namespaces: [], resources: [] }]);
    watch.dispose();
  });
});
