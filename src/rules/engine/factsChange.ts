// Which rule files a change of cluster facts can affect. Pod watches report every pod change in
// the namespace (a restart, a status line): re-validating every rule file each time wastes the
// engine's time. Only the cluster-aware checks read workloads and namespaces, and they read them
// for the namespace of the Service a DestinationRule or VirtualService destination names.
import type { ClusterFacts } from '../clusterFacts';
import { serviceOfHost } from '../hosts';
import { asRecord, asString } from '../resources';
import { virtualServiceReferences } from '../checks/routes';
import type { FileResource } from '../workspaceIndex';

/** What changed between two fact sets: everything, or the namespaces whose workloads/labels did. */
export type FactsChange = { readonly all: true } | { readonly all: false; readonly namespaces: ReadonlySet<string> };

/**
 * Compares two fact sets. Connecting, disconnecting, or any change of Services or of Istio and
 * Gateway API objects (which every cross-resource check reads) is `all`; workload and namespace
 * changes name the namespaces they happen in (none when only pod status moved).
 */
export function compareFacts(before: ClusterFacts | undefined, after: ClusterFacts | undefined): FactsChange {
  if (!before || !after) {
    return before === after ? { all: false, namespaces: new Set() } : { all: true };
  }
  if (!sameJson(before.services, after.services) || !sameJson(before.resources, after.resources)) {
    return { all: true };
  }
  const namespaces = new Set<string>();
  diffKeyed(
    before.workloads,
    after.workloads,
    (w) => `${w.kind}/${w.namespace}/${w.name}`,
    (w) => JSON.stringify([w.labels, w.annotations ?? {}, w.hasSidecar ?? null]),
    (w) => namespaces.add(w.namespace),
  );
  diffKeyed(
    before.namespaces,
    after.namespaces,
    (n) => n.name,
    (n) => JSON.stringify(n.labels),
    (n) => namespaces.add(n.name),
  );
  return { all: false, namespaces };
}

/** Namespaces whose cluster workloads the checks of `resource` read (its own, and its destinations'). */
export function namespacesReadBy(resource: FileResource): Set<string> {
  const out = new Set<string>([resource.namespace]);
  const addHost = (host: string | undefined): void => {
    const service = host ? serviceOfHost(host, resource.namespace) : undefined;
    if (service) {
      out.add(service.namespace);
    }
  };
  if (resource.ref.kind === 'DestinationRule') {
    addHost(asString(asRecord(resource.value.spec).host));
  } else if (resource.ref.kind === 'VirtualService') {
    for (const ref of virtualServiceReferences(resource.value)) {
      addHost(ref.host);
    }
  }
  return out;
}

/** Whether a file with `resources` must be re-validated after `change`. */
export function isAffected(change: FactsChange, resources: readonly FileResource[]): boolean {
  if (change.all) {
    return true;
  }
  if (change.namespaces.size === 0) {
    return false;
  }
  return resources.some((r) => [...namespacesReadBy(r)].some((ns) => change.namespaces.has(ns)));
}

function diffKeyed<T>(before: readonly T[], after: readonly T[], key: (t: T) => string, content: (t: T) => string, changed: (t: T) => void): void {
  const old = new Map(before.map((t) => [key(t), t]));
  for (const t of after) {
    const previous = old.get(key(t));
    old.delete(key(t));
    if (!previous || content(previous) !== content(t)) {
      changed(t);
    }
  }
  old.forEach((t) => changed(t)); // removed
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
