// Test set-up: binds a routed app to the cluster's Istio ingress gateway (a Gateway with one plain
// HTTP server for `host`, and the app's VirtualService bound to it besides the mesh), so sampling
// reaches it through the gateway. The routing feature's own Expose on Gateway command is not used
// here, so that these tests do not depend on it.
import type { KubeClient } from '../../src/kube/objects/kubeClient';
import type { LiveObject, ObjectToWrite } from '../../src/kube/objects/types';

export const gatewayName = 'fn-mesh-sampling-gw';

/** Applies the Gateway and rebinds the VirtualService `app`; returns the VirtualService as written. */
export async function exposeOnIngressGateway(client: KubeClient, namespace: string, app: string, host: string): Promise<LiveObject> {
  await client.apply({
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: gatewayName, namespace },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [host] }] },
  } as ObjectToWrite);
  const ref = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace, name: app };
  const vs = await client.get(ref);
  if (!vs) {
    throw new Error(`VirtualService ${namespace}/${app} not found`);
  }
  const spec = vs.spec as { hosts?: string[] };
  return client.apply({
    apiVersion: vs.apiVersion,
    kind: vs.kind,
    metadata: { name: app, namespace, ...(vs.metadata.labels ? { labels: vs.metadata.labels } : {}) },
    spec: { ...spec, hosts: [...new Set([...(spec.hosts ?? []), host])], gateways: ['mesh', gatewayName] },
  } as ObjectToWrite);
}
