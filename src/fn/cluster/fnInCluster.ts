// Reaches an Fn server found in the cluster through port-forwards: one tunnel for the API and,
// with the current chart, one for the runner-lb that serves invocations. Pure.
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { discoverFnServices, serviceUrl } from './fnDiscovery';
import { openServiceTunnel, type Tunnel, type TunnelLog } from '../../kube/portForwardTunnel';

export interface FnInCluster {
  readonly apiUrl: string;
  readonly invokeUrl?: string;
  /** How pods in the cluster reach the Fn lb: where routed proxies forward to. */
  readonly inClusterInvokeUrl: string;
  /** e.g. `Service fn-system/fn in context kind-dev, port-forwarded` */
  readonly origin: string;
  /** What each local port reaches, for the log. */
  readonly tunnels: readonly string[];
  close(): Promise<void>;
}

export async function connectFnInCluster(config: KubeConfig, contextName: string, namespace: string, log?: TunnelLog): Promise<FnInCluster | undefined> {
  const [found] = await discoverFnServices(config, namespace);
  if (!found) {
    return undefined;
  }
  const tunnels: Tunnel[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(tunnels.map((t) => t.close()));
  };
  try {
    const api = await openServiceTunnel(config, found.namespace, found.name, found.apiPort, log);
    tunnels.push(api);
    const lb = found.lbPort === undefined ? undefined : await openServiceTunnel(config, found.namespace, found.name, found.lbPort, log);
    if (lb) {
      tunnels.push(lb);
    }
    return {
      apiUrl: api.url,
      invokeUrl: lb?.url,
      inClusterInvokeUrl: serviceUrl(found.namespace, found.name, found.lbPort ?? found.apiPort),
      origin: `Service ${found.namespace}/${found.name} in context ${contextName}, port-forwarded`,
      tunnels: tunnels.map((t) => `${t.url} → ${t.target}`),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
