// What the connected cluster tells the cluster-aware checks, as plain data. The Kubernetes
// layer fills it from its watches; the checks never talk to the cluster themselves.

export interface ServiceFact {
  readonly name: string;
  readonly namespace: string;
  /** spec.selector (absent for Services without selectors, such as ExternalName). */
  readonly selector?: Readonly<Record<string, string>>;
}

export interface WorkloadFact {
  readonly kind: 'Pod' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet';
  readonly name: string;
  readonly namespace: string;
  /** Pod labels (for controllers: the pod template's labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** Pod annotations (for controllers: the pod template's), e.g. sidecar.istio.io/inject. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** True when a running pod has the istio-proxy sidecar (known for pods only). */
  readonly hasSidecar?: boolean;
}

export interface NamespaceFact {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ClusterFacts {
  readonly services: readonly ServiceFact[];
  readonly workloads: readonly WorkloadFact[];
  readonly namespaces: readonly NamespaceFact[];
  /** Istio and Gateway API objects read from the cluster (DestinationRules, VirtualServices, Gateways), as JSON. */
  readonly resources: readonly unknown[];
}

/** Whether every key/value of `selector` is among `labels` (an empty selector selects nothing here). */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/**
 * Whether pods of `workload` in `namespace` get a sidecar: a pod that has one, the pod label or
 * annotation sidecar.istio.io/inject=true, or a namespace labelled for injection (and not opted out).
 */
export function isInjected(workload: WorkloadFact, namespace: NamespaceFact | undefined): boolean {
  if (workload.hasSidecar !== undefined) {
    return workload.hasSidecar;
  }
  const podSays = workload.labels['sidecar.istio.io/inject'] ?? workload.annotations?.['sidecar.istio.io/inject'];
  if (podSays !== undefined) {
    return podSays === 'true';
  }
  const labels = namespace?.labels ?? {};
  return labels['istio-injection'] === 'enabled' || (labels['istio.io/rev'] !== undefined && labels['istio-injection'] !== 'disabled');
}
