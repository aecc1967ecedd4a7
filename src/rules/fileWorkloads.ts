// Workloads that rule files themselves define (Deployments and the like next to the rules that
// route to them, as Fn Mesh's own generated manifests have), read as the cluster-aware checks
// read the cluster's: the labels and annotations of the pods they create.
import type { WorkloadFact } from './clusterFacts';
import type { ResourceRef } from './resources';
import { asRecord, asStringMap } from './resources';

const controllers: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/**
 * The workload fact of an object written in a file: a core/v1 Pod, or an apps/v1 controller
 * (with its pod template's labels and annotations). Undefined for other kinds or unnamed objects.
 */
export function workloadOfObject(ref: ResourceRef, namespace: string, value: unknown): WorkloadFact | undefined {
  const object = asRecord(value);
  if (!ref.name) {
    return undefined;
  }
  if (ref.group === '' && ref.kind === 'Pod') {
    const metadata = asRecord(object.metadata);
    return { kind: 'Pod', name: ref.name, namespace, labels: asStringMap(metadata.labels), annotations: asStringMap(metadata.annotations) };
  }
  if (ref.group === 'apps' && controllers.has(ref.kind)) {
    const template = asRecord(asRecord(asRecord(object.spec).template).metadata);
    return {
      kind: ref.kind as WorkloadFact['kind'],
      name: ref.name,
      namespace,
      labels: asStringMap(template.labels),
      annotations: asStringMap(template.annotations),
    };
  }
  return undefined;
}
