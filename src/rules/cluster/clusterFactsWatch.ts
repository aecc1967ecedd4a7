// The cluster facts the cluster-aware rule checks read (src/rules/clusterFacts.ts), kept live from
// Kubernetes watches (no polling): Services, Deployments, pods, namespaces and the Istio routing
// objects. Each kind is watched cluster-wide where RBAC allows it and in the current namespace
// otherwise; a kind that cannot be read at all counts as empty. Nothing here ever throws at the
// editor: failures are logged and the watches retry. Pure: no `vscode`.
import type { ClusterFacts, NamespaceFact, ServiceFact, WorkloadFact } from '../clusterFacts';
import { describeKubeError, kubeStatusCode } from '../../kube/kubeErrors';
import { deploymentType, namespaceType, podType, servedIstioTypes, serviceType } from '../../routing/cluster/discovery';
import type { KubeClient } from '../../kube/objects/kubeClient';
import { gatewayApiVersion } from '../../routing/manifests/httpRouteManifests';
import { backoffDelay } from '../../kube/objects/objectApiClient';
import { podHasSidecar } from '../../routing/cluster/sidecar';
import type { Disposable, LiveObject, ResourceType } from '../../kube/objects/types';

/** The Istio kinds whose cluster objects the checks look at (hosts, subsets, gateways, service entries). */
const istioKinds = ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry'] as const;

export interface FactsLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface ClusterFactsWatchOptions {
  /** Changes within this time make one update (default 200 ms: facts feed validation, not a view). */
  readonly debounceMs?: number;
  readonly log?: FactsLog;
}

type Json = Record<string, unknown>;

const record = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const stringMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(record(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));
const namespaceOf = (obj: LiveObject): string => obj.metadata.namespace ?? '';
/** `Services`, `ServiceEntries`: how log lines name a kind's objects. */
const plural = (kind: string): string => (kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`);

export function serviceFact(obj: LiveObject): ServiceFact {
  const selector = record(obj.spec).selector;
  return { name: obj.metadata.name, namespace: namespaceOf(obj), ...(selector === undefined ? {} : { selector: stringMap(selector) }) };
}

/** A Deployment as the pods it makes: the pod template's labels and annotations. */
export function deploymentFact(obj: LiveObject): WorkloadFact {
  const template = record(record(record(obj.spec).template).metadata);
  return { kind: 'Deployment', name: obj.metadata.name, namespace: namespaceOf(obj), labels: stringMap(template.labels), annotations: stringMap(template.annotations) };
}

/** A pod that runs or will run (finished pods route nothing), and whether it has the Istio sidecar. */
export function podFact(obj: LiveObject): WorkloadFact | undefined {
  const phase = record(obj.status).phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    return undefined;
  }
  return {
    kind: 'Pod',
    name: obj.metadata.name,
    namespace: namespaceOf(obj),
    labels: { ...obj.metadata.labels },
    annotations: { ...obj.metadata.annotations },
    hasSidecar: podHasSidecar(obj),
  };
}

export function namespaceFact(obj: LiveObject): NamespaceFact {
  return { name: obj.metadata.name, labels: { ...obj.metadata.labels } };
}

/** What the checks read of a routing object: identity and spec (no status or managedFields to keep). */
export function routingResource(obj: LiveObject): Json {
  const { name, namespace, labels } = obj.metadata;
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec: obj.spec };
}

/** The facts from the latest list of every kind. */
export function factsOf(lists: { readonly [K in 'services' | 'deployments' | 'pods' | 'namespaces' | 'resources']: readonly LiveObject[] }): ClusterFacts {
  return {
    services: lists.services.map(serviceFact),
    workloads: [...lists.deployments.map(deploymentFact), ...lists.pods.map(podFact).filter((w): w is WorkloadFact => w !== undefined)],
    namespaces: lists.namespaces.map(namespaceFact),
    resources: lists.resources.map(routingResource),
  };
}

/**
 * The routing kinds the cluster serves: Istio's in its preferred version (v1, else v1beta1), and
 * Gateway API Gateways (the parents HTTPRoutes name) when `gateway.networking.k8s.io/v1` serves them.
 */
async function routingTypes(client: KubeClient): Promise<ResourceType[]> {
  const [istio, gatewayApi] = await Promise.all([servedIstioTypes(client, istioKinds), client.servedKinds(gatewayApiVersion)]);
  return gatewayApi?.has('Gateway') ? [...istio, { apiVersion: gatewayApiVersion, kind: 'Gateway' }] : istio;
}

type Group = 'services' | 'deployments' | 'pods' | 'namespaces' | 'resources';

interface Source {
  readonly key: string;
  readonly group: Group;
  readonly type: ResourceType;
  /** Namespaces are cluster-scoped: on 403 Fn Mesh reads the current one by name instead. */
  readonly clusterScoped?: boolean;
}

/**
 * Calls `onChange` with the facts once every kind has listed, then after every change (debounced).
 * Dispose to stop every watch.
 */
export function watchClusterFacts(client: KubeClient, namespace: string, onChange: (facts: ClusterFacts) => void, options: ClusterFactsWatchOptions = {}): Disposable {
  const log = options.log;
  const sources: Source[] = [
    { key: 'Service', group: 'services', type: serviceType },
    { key: 'Deployment', group: 'deployments', type: deploymentType },
    { key: 'Pod', group: 'pods', type: podType },
    { key: 'Namespace', group: 'namespaces', type: namespaceType, clusterScoped: true },
  ];
  const latest = new Map<string, readonly LiveObject[]>();
  const watches = new Map<string, Disposable>();
  let discovered = false;
  let disposed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let discoveryTimer: ReturnType<typeof setTimeout> | undefined;

  const publish = (): void => {
    timer = undefined;
    if (disposed || !discovered || sources.some((s) => !latest.has(s.key))) {
      return; // a partial picture would flag subsets and hosts that merely have not listed yet
    }
    const of = (group: Group): LiveObject[] => sources.filter((s) => s.group === group).flatMap((s) => latest.get(s.key) ?? []);
    onChange(factsOf({ services: of('services'), deployments: of('deployments'), pods: of('pods'), namespaces: of('namespaces'), resources: of('resources') }));
  };
  const changed = (key: string, items: readonly LiveObject[]): void => {
    latest.set(key, items);
    timer ??= setTimeout(publish, options.debounceMs ?? 200);
  };

  /** Cluster-wide first (`scope` ''), then the namespace on 403; nothing readable counts as empty. */
  const start = (source: Source, scope: string): void => {
    const watch = client.watch(source.type, scope, undefined, {
      onChange: (items) => changed(source.key, items),
      onError(err, retryInMs) {
        if (kubeStatusCode(err) !== 403) {
          log?.warn(`cluster facts: watching ${plural(source.key)} failed (${describeKubeError(err)}); retrying in ${retryInMs} ms`);
          return;
        }
        // After the watch has scheduled its retry, so that disposing it also cancels that retry.
        queueMicrotask(() => {
          watch.dispose();
          if (disposed) {
            return;
          }
          if (scope === '' && !source.clusterScoped) {
            log?.info(`cluster facts: no permission to list ${plural(source.key)} cluster-wide; using namespace ${namespace} only`);
            start(source, namespace);
          } else if (source.clusterScoped) {
            log?.info(`cluster facts: no permission to list ${plural(source.key)}; reading namespace ${namespace} only`);
            void readCurrentNamespace(source);
          } else {
            log?.warn(`cluster facts: no permission to list ${plural(source.key)} in namespace ${namespace}; the checks go without them`);
            changed(source.key, []);
          }
        });
      },
    });
    watches.set(source.key, watch);
  };

  const readCurrentNamespace = async (source: Source): Promise<void> => {
    const found = await client.get({ ...source.type, namespace: '', name: namespace }).catch((err: unknown) => {
      log?.warn(`cluster facts: cannot read namespace ${namespace} (${describeKubeError(err)})`);
      return undefined;
    });
    changed(source.key, found ? [found] : []);
  };

  const discover = async (attempt: number): Promise<void> => {
    try {
      const types = await routingTypes(client);
      if (disposed) {
        return;
      }
      for (const type of types) {
        // Istio's Gateway and the Gateway API's share a kind name: keys (and log lines) tell them apart.
        const key = type.apiVersion === gatewayApiVersion ? `Gateway API ${type.kind}` : type.kind;
        const source: Source = { key, group: 'resources', type };
        sources.push(source);
        start(source, '');
      }
      discovered = true;
      timer ??= setTimeout(publish, options.debounceMs ?? 200);
    } catch (err) {
      const delay = backoffDelay(attempt);
      log?.warn(`cluster facts: API discovery failed (${describeKubeError(err)}); retrying in ${delay} ms`);
      discoveryTimer = setTimeout(() => void discover(attempt + 1), delay);
    }
  };

  for (const source of sources) {
    start(source, '');
  }
  void discover(0);
  return {
    dispose() {
      disposed = true;
      clearTimeout(timer);
      clearTimeout(discoveryTimer);
      for (const w of watches.values()) {
        w.dispose();
      }
    },
  };
}
