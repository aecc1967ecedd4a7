// The Traffic Routing view's state when the cluster cannot be read: an unreachable API server is
// an error line with Retry (never an unhandled rejection, never stuck on Loading), and a kind the
// user may not list (RBAC 403) is shown as empty with a warning while the rest is shown.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { clientNode } from '../../../../src/kube/clientNode';
import type { KubeClient, WatchListener } from '../../../../src/kube/objects/kubeClient';
import type { LiveObject, ResourceType } from '../../../../src/kube/objects/types';
import { connectKubeResources } from '../../../../src/routing/cluster/kubeResources';
import { followRouting, type RoutingState } from '../../../../src/routing/cluster/liveRouting';
import { watchRouting } from '../../../../src/routing/cluster/routingWatch';
import { siteOf } from '../../../../src/routing/routingSite';
import { routingContextValue, routingRootNodes } from '../../../../src/routing/routingTree';
import { generateManifests } from '../../../../src/routing/manifests/appManifests';
import { helloApp } from '../../../fixtures/routing/helloApp';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A KubeClient whose watches answer from `byKind`, or fail with the given error. */
function clientWith(byKind: Record<string, readonly LiveObject[] | Error>): KubeClient {
  const unused = (): never => {
    throw new Error('not used by the watch');
  };
  return {
    servedKinds: unused,
    get: unused,
    list: unused,
    apply: unused,
    jsonPatch: unused,
    mergePatch: unused,
    delete: unused,
    watch(type: ResourceType, _namespace: string, _selector: string | undefined, listener: WatchListener) {
      const answer = byKind[type.kind] ?? [];
      setImmediate(() => (answer instanceof Error ? listener.onError?.(answer, 1000) : listener.onChange(answer)));
      return { dispose() {} };
    },
  };
}

/** What client-node throws for a 403 from RBAC (an ApiException with the server's Status body). */
function forbidden(resource: string): Error {
  const message = `httproutes.gateway.networking.k8s.io is forbidden: User "fn-mesh-limited" cannot list resource "${resource}" in API group "gateway.networking.k8s.io" in the namespace "hello"`;
  return Object.assign(new Error('HTTP-Code: 403\nMessage: Unknown API Status Code!\nBody: ...\nHeaders: ...'), {
    code: 403,
    body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message }),
  });
}

describe('Traffic Routing view state', () => {
  it('an unreachable cluster becomes an error line with the reason and Retry, without an unhandled rejection', async () => {
    const k8s = await clientNode();
    const config = new k8s.KubeConfig();
    const server = `https://127.0.0.1:${await closedPort()}`;
    config.loadFromOptions({ clusters: [{ name: 'c', server, skipTLSVerify: false }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const states: RoutingState[] = [];
      const resources = await connectKubeResources(config);
      const watch = await followRouting(() => Promise.resolve({ resources, namespace: 'hello', site: siteOf('ctx', 'https://127.0.0.1:6443', 'hello') }), (s) => states.push(s));
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(watch, undefined);
      assert.equal(states.length, 1);
      const state = states[0];
      assert.equal(state?.kind, 'error');
      assert.match(state.kind === 'error' ? state.message : '', /connection refused/);
      const [node, ...rest] = routingRootNodes(state);
      assert.equal(rest.length, 0);
      assert.equal(node?.kind === 'message' && node.retryable, true);
      assert.match(routingContextValue(node), /\bretryable\b/);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a failure before the watch (no cluster) is an error state too', async () => {
    const states: RoutingState[] = [];
    const watch = await followRouting(() => Promise.reject(new Error('no Kubernetes cluster: no kubeconfig found')), (s) => states.push(s));
    assert.equal(watch, undefined);
    assert.deepEqual(states, [{ kind: 'error', message: 'no Kubernetes cluster: no kubeconfig found' }]);
  });

  it('a forbidden kind (403 on HTTPRoute) is shown as empty with a one-line warning, and the rest is shown', async () => {
    const objects = generateManifests(helloApp(), { mode: 'istio' }).map((o) => structuredClone(o) as unknown as LiveObject);
    const of = (kind: string): LiveObject[] => objects.filter((o) => o.kind === kind);
    const client = clientWith({ VirtualService: of('VirtualService'), DestinationRule: of('DestinationRule'), Deployment: of('Deployment'), Pod: [], HTTPRoute: forbidden('httproutes') });
    const published = await new Promise<{ apps: string[]; warnings: readonly string[] }>((resolve) => {
      const watch = watchRouting(client, { istio: 'v1', httpRoute: true }, 'hello', (apps, warnings) => {
        watch.dispose();
        resolve({ apps: apps.map((a) => a.appName), warnings });
      }, { debounceMs: 1 });
    });
    assert.deepEqual(published.apps, ['hello-app']);
    assert.equal(published.warnings.length, 1);
    assert.match(published.warnings[0] ?? '', /^HTTPRoute not shown: forbidden: .*cannot list resource "httproutes"/);
    assert.doesNotMatch(published.warnings[0] ?? '', /\n|HTTP-Code/);
    const nodes = routingRootNodes({ kind: 'ready', namespace: 'hello', apps: [], warnings: published.warnings, site: siteOf('ctx', undefined, 'hello') });
    assert.deepEqual(nodes.map((n) => n.kind === 'message' && n.severity), ['warning']);
  });
});
