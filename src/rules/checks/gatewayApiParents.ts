// Gateway API routes and their parent Gateways: the Gateway a parentRef names must exist, one
// of its listeners must admit the route (sectionName and port, allowedRoutes namespaces and
// kinds), and an admitting listener must accept one of the route's hostnames. Kiali reports the
// first two as KIA1401 ("non-existent or inaccessible K8s gateway"); the hostname test is the
// Gateway API counterpart of istioctl's IST0132. Rules: Gateway API v1 (Gateway listeners).
import { hostsOverlap } from '../hosts';
import type { Problem, YamlPath } from '../problems';
import type { Json } from '../resources';
import { asArray, asNumber, asRecord, asString, asStringMap, gatewayApi } from '../resources';
import type { IndexedResource, WorkspaceIndex } from '../workspaceIndex';
import type { Check } from './report';
import { displayName, report } from './report';

const routeKinds: ReadonlySet<string> = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute']);

/** Route kinds a listener admits by default, by protocol (Gateway API core support). */
const defaultKinds: Readonly<Record<string, readonly string[]>> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

const gatewaysByBuild = new WeakMap<readonly IndexedResource[], Map<string, IndexedResource>>();

/** Gateway API Gateways of the index by `namespace/name` (memoized per index build). */
function gatewayApiGateways(index: WorkspaceIndex): ReadonlyMap<string, IndexedResource> {
  const all = index.resources();
  let table = gatewaysByBuild.get(all);
  if (!table) {
    table = new Map(all.filter((r) => r.ref.group === gatewayApi && r.ref.kind === 'Gateway').map((r) => [`${r.namespace}/${r.ref.name ?? ''}`, r]));
    gatewaysByBuild.set(all, table);
  }
  return table;
}

export const checkGatewayApiParents: Check = (resource, index) => {
  if (resource.ref.group !== gatewayApi || !routeKinds.has(resource.ref.kind)) {
    return [];
  }
  const spec = asRecord(resource.value.spec);
  const hostnames = asArray(spec.hostnames).filter((h): h is string => typeof h === 'string');
  const problems: Problem[] = [];
  asArray(spec.parentRefs).forEach((entry, i) => {
    const parent = asRecord(entry);
    const name = asString(parent.name);
    if (!name || (asString(parent.group) ?? gatewayApi) !== gatewayApi || (asString(parent.kind) ?? 'Gateway') !== 'Gateway') {
      return; // a Service parent (mesh routing) or another kind: not a Gateway
    }
    const namespace = asString(parent.namespace) ?? resource.namespace;
    const path: YamlPath = ['spec', 'parentRefs', i, 'name'];
    const gateways = gatewayApiGateways(index);
    const gateway = gateways.get(`${namespace}/${name}`);
    if (!gateway) {
      // Known Gateways come from the workspace and, when connected, the cluster. With none known
      // (not connected, or not allowed to list them) a missing one says nothing.
      if (gateways.size > 0) {
        const known = [...gateways.keys()].join(', ');
        const where = index.clusterFacts ? 'in the workspace or the cluster (they have' : 'in the workspace (it has';
        problems.push(report(resource, 'FNM405', `Gateway ${namespace}/${name} is not defined ${where} ${known})`, path));
      }
      return;
    }
    const listeners = asArray(asRecord(gateway.value.spec).listeners).map(asRecord);
    const { admitting, reason } = admittingListeners(listeners, parent, resource.ref.kind, resource.namespace, gateway, index);
    if (admitting.length === 0) {
      problems.push(report(resource, 'FNM406', `No listener of Gateway ${displayName(gateway)} admits this ${resource.ref.kind}: ${reason}`, path, { data: { gateway: displayName(gateway) } }));
      return;
    }
    const accepts = (listener: Json): boolean => {
      const hostname = asString(listener.hostname);
      return hostname === undefined || hostnames.length === 0 || hostnames.some((h) => hostsOverlap(hostname, h));
    };
    if (!admitting.some(accepts)) {
      const offered = admitting.map((l) => asString(l.hostname)).join(', ');
      const message = `No listener of Gateway ${displayName(gateway)} that admits this route accepts ${hostnames.join(', ')} (listeners: ${offered}): it gets no traffic`;
      problems.push(report(resource, 'FNM407', message, ['spec', 'hostnames'], { key: true, data: { gateway: displayName(gateway) } }));
    }
  });
  return problems;
};

function admittingListeners(
  listeners: readonly Json[],
  parent: Json,
  kind: string,
  routeNamespace: string,
  gateway: IndexedResource,
  index: WorkspaceIndex,
): { admitting: Json[]; reason: string } {
  const section = asString(parent.sectionName);
  const port = asNumber(parent.port);
  const named = listeners.filter((l) => (section === undefined || l.name === section) && (port === undefined || asNumber(l.port) === port));
  if (named.length === 0) {
    const wanted = [section === undefined ? '' : `named ${section}`, port === undefined ? '' : `on port ${port}`].filter(Boolean).join(' ');
    return { admitting: [], reason: listeners.length === 0 ? 'it has no listeners' : `it has no listener ${wanted}` };
  }
  const byKind = named.filter((l) => allowsKind(l, kind));
  if (byKind.length === 0) {
    return { admitting: [], reason: `its listeners do not allow ${kind} (protocol or allowedRoutes.kinds)` };
  }
  const admitting = byKind.filter((l) => allowsNamespace(l, routeNamespace, gateway.namespace, index));
  return { admitting, reason: `allowedRoutes.namespaces does not admit namespace ${routeNamespace}` };
}

function allowsKind(listener: Json, kind: string): boolean {
  const kinds = asArray(asRecord(listener.allowedRoutes).kinds).map(asRecord);
  if (kinds.length > 0) {
    return kinds.some((k) => k.kind === kind && (asString(k.group) ?? gatewayApi) === gatewayApi);
  }
  return (defaultKinds[asString(listener.protocol) ?? ''] ?? [kind]).includes(kind);
}

/** allowedRoutes.namespaces: Same (the default), All, or Selector (known only for matchLabels of known namespaces). */
function allowsNamespace(listener: Json, routeNamespace: string, gatewayNamespace: string, index: WorkspaceIndex): boolean {
  const namespaces = asRecord(asRecord(listener.allowedRoutes).namespaces);
  const from = asString(namespaces.from) ?? 'Same';
  if (from === 'All') {
    return true;
  }
  if (from === 'Same') {
    return routeNamespace === gatewayNamespace;
  }
  if (from === 'Selector') {
    const selector = asRecord(namespaces.selector);
    const fact = index.namespaceFact(routeNamespace);
    if (!fact || asArray(selector.matchExpressions).length > 0) {
      return true; // labels unknown, or expressions: do not guess
    }
    return Object.entries(asStringMap(selector.matchLabels)).every(([k, v]) => fact.labels[k] === v);
  }
  return true;
}
