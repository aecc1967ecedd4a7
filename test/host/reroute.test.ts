// Route Traffic on an app already exposed on the ingress gateway (Expose on Ingress Gateway): a
// re-route without a gateway answer (automation, New Version) keeps the VirtualService bound to
// the Gateway with its host and port; only an explicit `gateway: false` leaves the gateway.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FnMeshApi } from '../../src/extension';
import type { ApplyOutcome } from '../../src/kube/objects/applyObjects';
import type { LiveObject } from '../../src/kube/objects/types';
import { connectKubeResources, type KubeResources } from '../../src/routing/cluster/kubeResources';
import type { RoutedAppView } from '../../src/routing/cluster/routingView';
import { activateExtension, adminKubeConfig, fnAppNode, routedAppWhen, useRoutingNamespace } from './hostHelpers';

const namespace = `reroute-${Date.now().toString(36)}`;
const host = `hello.${namespace}.example`;
const lbBaseUrl = 'http://fn.fn-system.svc.cluster.local:90';

interface VsSpec {
  readonly hosts: string[];
  readonly gateways?: string[];
  readonly http: { readonly name?: string; readonly route: { readonly destination: { readonly subset: string }; readonly weight?: number }[] }[];
}

const weightsOf = (app: RoutedAppView | undefined): string => (app ? app.versions.map((v) => `${v.version}=${v.weight}`).join(',') : 'none');

suite('Route Traffic on an app exposed on the ingress gateway', () => {
  let api: FnMeshApi;
  let cluster: KubeResources;
  let cleanUp: (() => Promise<void>) | undefined;
  const ref = (kind: string, name = 'hello-app') => ({ apiVersion: 'networking.istio.io/v1', kind, namespace, name });
  const vsSpec = async (): Promise<VsSpec> => {
    const vs: LiveObject | undefined = await cluster.get(ref('VirtualService'));
    assert.ok(vs, 'VirtualService hello-app missing');
    return vs.spec as VsSpec;
  };
  const route = async (args: object): Promise<ApplyOutcome> => {
    const outcome = await vscode.commands.executeCommand<ApplyOutcome | undefined>('fnMesh.routing.routeTraffic', await fnAppNode(api, 'hello-app'), {
      action: 'apply',
      lbBaseUrl,
      ...args,
    });
    assert.ok(outcome?.ok, outcome?.summary ?? 'Route Traffic applied nothing (see the Fn Mesh log)');
    return outcome;
  };

  suiteSetup(async () => {
    api = await activateExtension();
    cluster = await connectKubeResources(await adminKubeConfig());
    cleanUp = await useRoutingNamespace(api, namespace);
  });

  suiteTeardown(async () => {
    await cleanUp?.();
  });

  test('routes v1 only, then exposes it with Expose on Ingress Gateway', async () => {
    await route({ functions: ['v1'], weights: 'v1=100' });
    const view = await routedAppWhen(api, (a) => weightsOf(a) === 'v1=100');
    assert.ok(view, 'hello-app not shown as routed');
    const exposed = await vscode.commands.executeCommand<ApplyOutcome | undefined>('fnMesh.routing.exposeOnGateway', { kind: 'routedApp', id: 'x', view }, { host, port: 8080, action: 'apply' });
    assert.ok(exposed?.ok, exposed?.summary ?? 'Expose on Ingress Gateway applied nothing');
    const spec = await vsSpec();
    assert.deepEqual(spec.gateways, ['hello-app-gateway', 'mesh']);
    assert.deepEqual(spec.hosts, ['hello-app', host]);
  });

  test('adding v2 at weight 0 (no gateway answer) keeps the gateway, its host and port', async () => {
    await route({ functions: ['v1', 'v2'], weights: 'v1=100,v2=0' });
    const spec = await vsSpec();
    assert.deepEqual(spec.gateways, ['hello-app-gateway', 'mesh'], 'the VirtualService left the Gateway');
    assert.deepEqual(spec.hosts, ['hello-app', host]);
    assert.deepEqual(spec.http.at(-1)?.route.map((r) => `${r.destination.subset}=${r.weight ?? ''}`), ['v1=100', 'v2=0']);
    const gateway = await cluster.get(ref('Gateway', 'hello-app-gateway'));
    const servers = (gateway?.spec as { servers?: { port: { number: number }; hosts: string[] }[] } | undefined)?.servers;
    assert.deepEqual(servers?.map((s) => `${s.port.number} ${s.hosts.join(' ')}`), [`8080 ${host}`]);
  });

  test('an explicit gateway: false leaves the gateway (mesh only)', async () => {
    await route({ functions: ['v1', 'v2'], weights: 'v1=50,v2=50', gateway: false });
    const spec = await vsSpec();
    assert.equal(spec.gateways, undefined);
    assert.deepEqual(spec.hosts, ['hello-app']);
  });
});
