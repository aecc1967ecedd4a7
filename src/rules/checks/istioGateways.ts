// Istio Gateways and the VirtualServices bound to them: a VirtualService host that no server of
// a gateway it binds to exposes gets no traffic through that gateway (istioctl: IST0132
// VirtualServiceHostNotFoundInGateway); two Gateways that select the same workload and serve
// the same host on the same port conflict (IST0145 ConflictingGateways).
import { hostsOverlap } from '../hosts';
import type { Problem } from '../problems';
import type { Json } from '../resources';
import { asArray, asNumber, asRecord, asString, asStringMap, isIstio } from '../resources';
import type { IndexedResource } from '../workspaceIndex';
import { parseGatewayReference } from './gateways';
import type { Check } from './report';
import { displayName, report } from './report';

/** Hosts a Gateway's servers expose to VirtualServices of `namespace` (`ns/host` forms resolved). */
export function gatewayHostsFor(gateway: IndexedResource, namespace: string): string[] {
  const hosts: string[] = [];
  for (const server of asArray(asRecord(gateway.value.spec).servers)) {
    for (const h of asArray(asRecord(server).hosts)) {
      if (typeof h !== 'string') {
        continue;
      }
      const slash = h.indexOf('/');
      if (slash < 0) {
        hosts.push(h);
        continue;
      }
      const scope = h.slice(0, slash);
      const target = scope === '.' ? gateway.namespace : scope;
      if (scope === '*' || target === namespace) {
        hosts.push(h.slice(slash + 1));
      }
    }
  }
  return hosts;
}

export const checkHostsOnGateways: Check = (resource, index) => {
  if (!isIstio(resource.ref, 'VirtualService')) {
    return [];
  }
  const spec = asRecord(resource.value.spec);
  const hosts = asArray(spec.hosts).filter((h): h is string => typeof h === 'string' && h !== '');
  const problems: Problem[] = [];
  asArray(spec.gateways).forEach((text, i) => {
    if (typeof text !== 'string' || text === 'mesh' || hosts.length === 0) {
      return;
    }
    const target = parseGatewayReference(text, resource.namespace);
    const gateway = index.gatewaysNamed(target.name).find((g) => g.namespace === target.namespace && isIstio(g.ref, 'Gateway'));
    // A VirtualService often lists mesh-only short names beside its public hosts: like Istio,
    // report only a gateway that exposes none of them.
    if (gateway && !gatewayHostsFor(gateway, resource.namespace).some((g) => hosts.some((h) => hostsOverlap(g, h)))) {
      const message = `No server of gateway ${displayName(gateway)} exposes ${hosts.join(', ')}: requests through it get 404`;
      problems.push(report(resource, 'FNM403', message, ['spec', 'gateways', i], { data: { gateway: displayName(gateway), hosts } }));
    }
  });
  return problems;
};

/** `k=v,k2=v2`, sorted: equal for equal selectors. */
function selectorKey(gateway: Json): string {
  return Object.entries(asStringMap(asRecord(gateway.spec).selector))
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',');
}

export const checkConflictingGateways: Check = (resource, index) => {
  if (!isIstio(resource.ref, 'Gateway')) {
    return [];
  }
  const selector = selectorKey(resource.value);
  const others = index.resources().filter((g) => g !== resource && isIstio(g.ref, 'Gateway') && selectorKey(g.value) === selector && !sameObject(g, resource));
  if (others.length === 0) {
    return [];
  }
  const problems: Problem[] = [];
  asArray(asRecord(resource.value.spec).servers).forEach((s, i) => {
    const server = asRecord(s);
    const port = asNumber(asRecord(server.port).number);
    const bind = asString(server.bind) ?? '';
    const hosts = asArray(server.hosts).filter((h): h is string => typeof h === 'string').map(bareHost);
    const conflicts = others.filter((g) =>
      asArray(asRecord(g.value.spec).servers).some((o) => {
        const other = asRecord(o);
        return (
          asNumber(asRecord(other.port).number) === port &&
          (asString(other.bind) ?? '') === bind &&
          asArray(other.hosts).some((h) => typeof h === 'string' && hosts.includes(bareHost(h)))
        );
      }),
    );
    if (port !== undefined && conflicts.length > 0) {
      const names = conflicts.map(displayName);
      const message = `Gateway ${names.join(', ')} selects the same workload (${selector || 'no selector'}) and serves the same host on port ${port}`;
      problems.push(report(resource, 'FNM404', message, ['spec', 'servers', i, 'hosts'], { key: true, data: { gateways: names } }));
    }
  });
  return problems;
};

function bareHost(host: string): string {
  const slash = host.indexOf('/');
  return (slash < 0 ? host : host.slice(slash + 1)).toLowerCase();
}

function sameObject(a: IndexedResource, b: IndexedResource): boolean {
  return a.namespace === b.namespace && a.ref.name === b.ref.name && a.ref.kind === b.ref.kind && a.ref.group === b.ref.group;
}
