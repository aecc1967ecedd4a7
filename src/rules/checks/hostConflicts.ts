// Hosts claimed twice (several VirtualServices bound to the mesh, several DestinationRules)
// and VirtualService hosts that no Service provides. VirtualServices for one host bound to the
// same gateway are merged by Istio and are not a conflict; bound to `mesh` (sidecars) only one
// applies (istioctl: IST0109 ConflictingMeshGatewayVirtualServiceHosts).
import { visibleTogether } from '../exportTo';
import { qualifyHost, serviceOfHost } from '../hosts';
import type { Problem } from '../problems';
import { asArray, asRecord, asString, isIstio } from '../resources';
import type { IndexedResource } from '../workspaceIndex';
import type { Check } from './report';
import { displayName, report } from './report';

/** The gateways a VirtualService binds to, qualified (`mesh` when it names none). */
export function boundGateways(resource: IndexedResource): Set<string> {
  const names = asArray(asRecord(resource.value.spec).gateways).flatMap((g) => (typeof g === 'string' ? [g] : []));
  return new Set((names.length > 0 ? names : ['mesh']).map((g) => (g === 'mesh' || g.includes('/') ? g : `${resource.namespace}/${g}`)));
}

/** Resources come from one index build, so identity tells a resource from the others. */
function same(a: IndexedResource, b: IndexedResource): boolean {
  return a === b;
}

export const checkVirtualServiceHosts: Check = (resource, index) => {
  if (!isIstio(resource.ref, 'VirtualService')) {
    return [];
  }
  const problems: Problem[] = [];
  const onMesh = boundGateways(resource).has('mesh');
  asArray(asRecord(resource.value.spec).hosts).forEach((host, i) => {
    if (typeof host !== 'string' || host === '' || host.includes('*')) {
      return;
    }
    const fqdn = qualifyHost(host, resource.namespace);
    const others = index
      .istioForHost('VirtualService', fqdn)
      .filter((o) => !same(o, resource) && asArray(asRecord(o.value.spec).hosts).some((h) => typeof h === 'string' && !h.includes('*')))
      .filter((o) => onMesh && boundGateways(o).has('mesh') && visibleTogether(o, resource));
    if (others.length > 0) {
      const message = `VirtualService ${others.map(displayName).join(', ')} also routes ${host} in the mesh; sidecars apply only one`;
      problems.push(report(resource, 'FNM305', message, ['spec', 'hosts', i], { data: { others: others.map(displayName) } }));
    }
    const service = serviceOfHost(host, resource.namespace);
    if (service && index.knowsServicesIn(service.namespace) && !index.service(service.name, service.namespace) && !index.serviceEntryProvides(fqdn, resource.namespace)) {
      const message = `No Service ${service.name} in namespace ${service.namespace} provides ${host}`;
      problems.push(report(resource, 'FNM307', message, ['spec', 'hosts', i], { data: { service } }));
    }
  });
  return problems;
};

/**
 * DestinationRules of one host (no workloadSelector, visible together) are merged by istiod, oldest
 * first: the subsets are added together and the first top-level trafficPolicy is kept. What is lost
 * is a subset name defined twice and a second top-level trafficPolicy: those are reported, at the
 * subset's name and at `trafficPolicy`. Source: istiod's pilot/pkg/model/destination_rule.go.
 */
export const checkDestinationRuleHosts: Check = (resource, index) => {
  if (!isIstio(resource.ref, 'DestinationRule')) {
    return [];
  }
  const spec = asRecord(resource.value.spec);
  const host = asString(spec.host);
  if (!host || host.includes('*') || spec.workloadSelector !== undefined) {
    return [];
  }
  const others = index
    .istioForHost('DestinationRule', qualifyHost(host, resource.namespace))
    .filter((o) => !same(o, resource) && asRecord(o.value.spec).workloadSelector === undefined && !String(asRecord(o.value.spec).host).includes('*'))
    .filter((o) => visibleTogether(o, resource));
  if (others.length === 0) {
    return [];
  }
  const problems: Problem[] = [];
  const subsetNames = (r: IndexedResource): Set<string> =>
    new Set(asArray(asRecord(r.value.spec).subsets).flatMap((s) => (typeof asRecord(s).name === 'string' ? [asRecord(s).name as string] : [])));
  const othersSubsets = others.map((o) => ({ other: o, names: subsetNames(o) }));
  asArray(spec.subsets).forEach((subset, i) => {
    const name = asString(asRecord(subset).name);
    const also = name === undefined ? [] : othersSubsets.filter((o) => o.names.has(name)).map((o) => displayName(o.other));
    if (name !== undefined && also.length > 0) {
      const message = `Subset ${name} of ${host} is also defined by DestinationRule ${also.join(', ')}; Istio merges the rules and keeps only the oldest rule's ${name}`;
      problems.push(report(resource, 'FNM306', message, ['spec', 'subsets', i, 'name'], { data: { others: also } }));
    }
  });
  if (spec.trafficPolicy !== undefined) {
    const also = others.filter((o) => asRecord(o.value.spec).trafficPolicy !== undefined).map(displayName);
    if (also.length > 0) {
      const message = `DestinationRule ${also.join(', ')} also sets a trafficPolicy for ${host}; Istio merges the rules and keeps only the oldest rule's`;
      problems.push(report(resource, 'FNM306', message, ['spec', 'trafficPolicy'], { data: { others: also } }));
    }
  }
  return problems;
};
