// Where sampling sends its requests: the cluster's Istio ingress gateway reached through the
// extension's own port-forward, with the app's gateway host as `Host`, or a URL the user set.
// Never a port-forward straight to the app's Service or pods: that would bypass the weights.
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { UserError } from '../../common/errors';
import { openServiceTunnel, type TunnelLog } from '../../kube/portForwardTunnel';
import type { RoutedAppView } from '../../routing/cluster/routingView';
import type { KubeResources } from '../../routing/cluster/kubeResources';
import { checkGatewayExposure, gatewayKey, type GatewayExposure, type MeshObject } from './gatewayCheck';

/** The ingress gateway Service of a default Istio install, and its plain HTTP port (`http2`). */
export const ingressGateway = { namespace: 'istio-system', name: 'istio-ingressgateway', port: 80 } as const;

export interface SamplingTarget {
  readonly url: string;
  /** Host header (the app's gateway host); undefined for a user URL. */
  readonly host: string | undefined;
  /** For the panel: what is sampled, e.g. `hello-app.example.com via Gateway hello/hello-gw (port-forward …)`. */
  readonly description: string;
  close(): Promise<void>;
}

export type TargetResult = { readonly kind: 'target'; readonly target: SamplingTarget } | { readonly kind: 'notExposed'; readonly reason: string };

export interface TargetDeps {
  readonly resources: KubeResources;
  /** Needed for the gateway (undefined when there is no cluster connection). */
  readonly config: KubeConfig | undefined;
  /** The URL setting; empty means the gateway. */
  readonly overrideUrl: string;
  readonly log?: TunnelLog;
  /** Swappable exposure check (the routing feature may provide its own). */
  readonly check?: (vs: MeshObject, gateways: ReadonlyMap<string, MeshObject>) => GatewayExposure;
}

/** Reads the route and its Gateways; when exposed, opens a port-forward to the ingress gateway. */
export async function resolveSamplingTarget(view: RoutedAppView, deps: TargetDeps): Promise<TargetResult> {
  const override = deps.overrideUrl.trim();
  if (override) {
    let url: URL;
    try {
      url = new URL(override);
    } catch {
      throw new UserError(`setting fnMesh.sampling.targetUrl: "${override}" is not a URL`);
    }
    return { kind: 'target', target: { url: url.href, host: undefined, description: url.href, close: () => Promise.resolve() } };
  }
  if (view.route.kind !== 'VirtualService') {
    throw new UserError(`${view.appName} is routed by a ${view.route.kind}: set fnMesh.sampling.targetUrl to the address of its gateway`);
  }
  const vs = await deps.resources.get(view.route);
  if (!vs) {
    throw new UserError(`VirtualService ${view.namespace}/${view.route.name} no longer exists`);
  }
  const spec = (vs.spec ?? {}) as { gateways?: unknown };
  const gateways = new Map<string, MeshObject>();
  for (const reference of Array.isArray(spec.gateways) ? spec.gateways.filter((g): g is string => typeof g === 'string' && g !== 'mesh') : []) {
    const [namespace, name] = gatewayKey(reference, view.namespace).split('/');
    const gateway = await deps.resources.get({ apiVersion: view.route.apiVersion, kind: 'Gateway', namespace, name });
    if (gateway) {
      gateways.set(`${namespace}/${name}`, gateway);
    }
  }
  const exposure = (deps.check ?? checkGatewayExposure)(vs, gateways);
  if (!exposure.exposed) {
    return { kind: 'notExposed', reason: exposure.reason };
  }
  if (!deps.config) {
    throw new UserError('no Kubernetes cluster to reach the ingress gateway through');
  }
  const tunnel = await openServiceTunnel(deps.config, ingressGateway.namespace, ingressGateway.name, ingressGateway.port, deps.log);
  return {
    kind: 'target',
    target: {
      url: tunnel.url,
      host: exposure.host,
      description: `${exposure.host} via Gateway ${exposure.gateway} (port-forward to ${tunnel.target})`,
      close: () => tunnel.close(),
    },
  };
}
