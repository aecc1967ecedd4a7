// Whether a routed app is reachable through an Istio Gateway, read from its VirtualService's
// `gateways` and the Gateways' HTTP servers. Kept behind one function so the routing feature's own
// exposure check can replace it. Pure: no `vscode`, no I/O (the caller fetches the objects).

/** The parts of a VirtualService and a Gateway this check reads (as the API server returns them). */
export interface MeshObject {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: unknown;
}

export type GatewayExposure =
  | {
      readonly exposed: true;
      /** `namespace/name` of the Gateway. */
      readonly gateway: string;
      /** The Host header to send (a host both the route and the Gateway's server accept). */
      readonly host: string;
      /** The Gateway's workload selector, e.g. `{ istio: 'ingressgateway' }`. */
      readonly selector: Readonly<Record<string, string>>;
    }
  | { readonly exposed: false; readonly reason: string };

interface ServerSpec {
  readonly port?: { readonly protocol?: string };
  readonly hosts?: readonly string[];
}

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** `ns/name` for a gateway reference of a VirtualService in `namespace` (short names are local). */
export function gatewayKey(reference: string, namespace: string): string {
  return reference.includes('/') ? reference : `${namespace}/${reference}`;
}

/** Istio host matching: `*`, `*.suffix` wildcards, and an optional `ns/` prefix on the server's host. */
export function hostMatches(serverHost: string, host: string, vsNamespace: string): boolean {
  const slash = serverHost.indexOf('/');
  if (slash >= 0) {
    const ns = serverHost.slice(0, slash);
    if (ns !== '*' && ns !== '.' && ns !== vsNamespace) {
      return false;
    }
    serverHost = serverHost.slice(slash + 1);
  }
  if (serverHost === '*') {
    return true;
  }
  if (serverHost.startsWith('*.')) {
    return host.endsWith(serverHost.slice(1));
  }
  return serverHost === host;
}

/**
 * Finds a Gateway that exposes `virtualService` over HTTP. `gateways` are the Gateway objects the
 * caller could read (by `namespace/name`). Returns why not when no Gateway does: no gateways listed
 * (only `mesh`), a listed Gateway missing, or no HTTP server whose hosts match the route's hosts.
 */
export function checkGatewayExposure(virtualService: MeshObject, gateways: ReadonlyMap<string, MeshObject>): GatewayExposure {
  const namespace = virtualService.metadata.namespace ?? 'default';
  const spec = asRecord(virtualService.spec);
  const listed = strings(spec.gateways).filter((g) => g !== 'mesh');
  const hosts = strings(spec.hosts);
  const name = `VirtualService ${namespace}/${virtualService.metadata.name}`;
  if (listed.length === 0) {
    return { exposed: false, reason: `${name} is bound to no Gateway (only to sidecars inside the mesh)` };
  }
  const problems: string[] = [];
  for (const reference of listed) {
    const key = gatewayKey(reference, namespace);
    const gateway = gateways.get(key);
    if (!gateway) {
      problems.push(`Gateway ${key} does not exist`);
      continue;
    }
    const gspec = asRecord(gateway.spec);
    const servers = (Array.isArray(gspec.servers) ? gspec.servers : []) as ServerSpec[];
    for (const server of servers) {
      const protocol = (server.port?.protocol ?? '').toUpperCase();
      if (protocol !== 'HTTP' && protocol !== 'HTTP2') {
        continue;
      }
      const host = hosts.find((h) => strings(server.hosts).some((sh) => hostMatches(sh, h, namespace)));
      if (host !== undefined && host !== '*') {
        const selector = Object.fromEntries(Object.entries(asRecord(gspec.selector)).filter((e): e is [string, string] => typeof e[1] === 'string'));
        return { exposed: true, gateway: key, host: host.replace(/^\*\./, 'sample.'), selector };
      }
    }
    problems.push(`Gateway ${key} has no plain HTTP server for ${hosts.join(', ') || 'the route\u2019s hosts'}`);
  }
  return { exposed: false, reason: `${name}: ${problems.join('; ')}` };
}
