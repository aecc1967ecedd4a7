// Finds Fn in a cluster, as the fn-helm charts lay it out: the current chart's Service with ports
// `api` (80) and `runner-lb` (90); the 2018 chart's `<release>-fn-api` Service. Pure.
import type { KubeConfig, V1Service } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { clientNode } from '../../kube/clientNode';
import { UserError } from '../../common/errors';
import { describeKubeError, kubeStatusCode } from '../../kube/kubeErrors';

export interface FnServiceMatch {
  readonly namespace: string;
  readonly name: string;
  readonly layout: 'fn-helm' | 'fn-helm-2018';
  /** Service port serving the Fn API. */
  readonly apiPort: number;
  /** Service port serving invocations, when the layout has a separate one. */
  readonly lbPort?: number;
}

/** Whether `svc` is an Fn API Service, and through which ports. */
export function matchFnService(svc: V1Service): FnServiceMatch | undefined {
  const name = svc.metadata?.name;
  const namespace = svc.metadata?.namespace;
  const ports = svc.spec?.ports ?? [];
  if (!name || !namespace || ports.length === 0) {
    return undefined;
  }
  const api = ports.find((p) => p.name === 'api');
  const lb = ports.find((p) => p.name === 'runner-lb');
  if (api && lb) {
    return { namespace, name, layout: 'fn-helm', apiPort: api.port, lbPort: lb.port };
  }
  if (/-fn-api$/.test(name)) {
    return { namespace, name, layout: 'fn-helm-2018', apiPort: (api ?? ports[0]).port };
  }
  return undefined;
}

/** Current-chart services first, then by namespace and name, so the choice is stable. */
export function rankFnServices(matches: FnServiceMatch[]): FnServiceMatch[] {
  return [...matches].sort(
    (a, b) =>
      Number(a.layout !== 'fn-helm') - Number(b.layout !== 'fn-helm') ||
      a.namespace.localeCompare(b.namespace) ||
      a.name.localeCompare(b.name),
  );
}

/**
 * Lists Services in every namespace, or only in `namespace` when RBAC forbids the cluster-wide
 * list, and returns the Fn services found, best first. Errors: a UserError of one line naming what
 * could not be listed and why (`cannot list services in namespace "x": forbidden: …`).
 */
export async function discoverFnServices(config: KubeConfig, namespace: string): Promise<FnServiceMatch[]> {
  const k8s = await clientNode();
  const core = config.makeApiClient(k8s.CoreV1Api);
  let services: V1Service[];
  try {
    services = (await core.listServiceForAllNamespaces()).items;
  } catch (err) {
    if (kubeStatusCode(err) !== 403) {
      throw new UserError(`cannot list services in all namespaces: ${describeKubeError(err, config.getCurrentCluster()?.server)}`);
    }
    try {
      services = (await core.listNamespacedService({ namespace })).items;
    } catch (inner) {
      throw new UserError(`cannot list services in namespace "${namespace}" (nor in all namespaces): ${describeKubeError(inner, config.getCurrentCluster()?.server)}`);
    }
  }
  return rankFnServices(services.map(matchFnService).filter((m): m is FnServiceMatch => m !== undefined));
}

/** The in-cluster URL of a Service port, e.g. `http://fn.fn-system.svc.cluster.local:90`. */
export function serviceUrl(namespace: string, service: string, port: number): string {
  return `http://${service}.${namespace}.svc.cluster.local:${port}`;
}
