// Cluster-aware checks (only while connected): subsets whose labels select no workload, route
// destinations without a Service, and routed workloads that run without a sidecar.
import type { WorkloadFact } from '../clusterFacts';
import { isInjected, selects } from '../clusterFacts';
import { qualifyHost, serviceOfHost } from '../hosts';
import type { Problem } from '../problems';
import { asRecord, asString, isIstio } from '../resources';
import type { WorkspaceIndex } from '../workspaceIndex';
import type { Check } from './report';
import { report } from './report';
import { virtualServiceReferences } from './routes';
import { destinationRuleSubsets, findSubset } from './subsets';

/** Workloads (cluster and files) behind a Service (by its selector, when known) that carry `labels`. */
function workloadsFor(index: WorkspaceIndex, name: string, namespace: string, labels: Readonly<Record<string, string>>): readonly WorkloadFact[] {
  const selector = index.service(name, namespace)?.selector ?? {};
  const wanted = { ...selector, ...labels };
  return index.workloads().filter((w) => w.namespace === namespace && selects(wanted, w.labels));
}

export const checkSubsetWorkloads: Check = (resource, index) => {
  const facts = index.clusterFacts;
  if (!facts || !isIstio(resource.ref, 'DestinationRule')) {
    return [];
  }
  const host = asString(asRecord(resource.value.spec).host);
  const service = host ? serviceOfHost(host, resource.namespace) : undefined;
  if (!service) {
    return [];
  }
  const problems: Problem[] = [];
  for (const subset of destinationRuleSubsets(resource.value)) {
    if (!subset.hasLabels || workloadsFor(index, service.name, service.namespace, subset.labels).length > 0) {
      continue;
    }
    const labels = Object.entries(subset.labels).map(([k, v]) => `${k}=${v}`).join(', ');
    const message = `No pod or Deployment of ${service.name} in namespace ${service.namespace} has labels ${labels}`;
    problems.push(report(resource, 'FNM601', message, [...subset.path, 'labels'], { key: true, data: { labels: subset.labels } }));
  }
  return problems;
};

export const checkDestinationsInCluster: Check = (resource, index) => {
  const facts = index.clusterFacts;
  if (!facts || !isIstio(resource.ref, 'VirtualService')) {
    return [];
  }
  const problems: Problem[] = [];
  for (const ref of virtualServiceReferences(resource.value)) {
    const service = serviceOfHost(ref.host, resource.namespace);
    const fqdn = qualifyHost(ref.host, resource.namespace);
    if (!service || index.serviceEntryProvides(fqdn, resource.namespace)) {
      continue;
    }
    const hostPath = [...ref.path, 'host'];
    if (!index.service(service.name, service.namespace)) {
      problems.push(report(resource, 'FNM602', `No Service ${service.name} in namespace ${service.namespace}`, hostPath, { data: { service } }));
      continue;
    }
    const labels = ref.subset === undefined ? {} : findSubset(index, fqdn, ref.subset, resource.namespace).found?.labels;
    const workloads = labels ? workloadsFor(index, service.name, service.namespace, labels) : [];
    const namespace = index.namespaceFact(service.namespace);
    if (workloads.length > 0 && !workloads.some((w) => isInjected(w, namespace))) {
      const what = ref.subset === undefined ? service.name : `${service.name} (subset ${ref.subset})`;
      const message = `Workloads of ${what} run without a sidecar: label namespace ${service.namespace} istio-injection=enabled or the pods sidecar.istio.io/inject=true`;
      problems.push(report(resource, 'FNM603', message, hostPath, { data: { service, workloads: workloads.map((w) => `${w.kind}/${w.name}`) } }));
    }
  }
  return problems;
};
