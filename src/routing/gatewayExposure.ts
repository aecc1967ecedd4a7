// Exposure of a routed app on an Istio ingress Gateway: reading whether (and where) a live
// VirtualService is exposed, the default external host, and the plan that exposes an already
// routed app (a Gateway, and its VirtualService bound to that Gateway and to `mesh`) keeping the
// weights and route options. Pure: no `vscode`.
import { UserError } from '../common/errors';
import { describeRef, refOf, type LiveObject } from '../kube/objects/types';
import { gatewayName, istioGateway, meshGateway, virtualService, type GatewayOptions } from './manifests/istioManifests';
import type { SpecObject } from './manifests/kubeObject';
import type { RoutedApp } from './model';
import { istioApiVersionOf, readRouteOptions, routedAppOf } from './routeOptionsRead';

/** Where an app answers on an ingress gateway. */
export interface GatewayExposure {
  /** The Gateway object, `namespace/name`. */
  readonly gateway: string;
  /** The external host to send as `Host`, e.g. `hello-app.default.example` (may start with `*.`). */
  readonly host: string;
  /** The Gateway server's port number (the gateway Service's port of the same number). */
  readonly port: number;
}

type Json = Record<string, unknown>;

const isMap = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Whether `host` (a VirtualService host) is served by a Gateway server host such as `*.example` or `ns/host`. */
function serves(serverHost: string, gatewayNamespace: string, vsNamespace: string, host: string): boolean {
  const slash = serverHost.indexOf('/');
  const scope = slash < 0 ? '*' : serverHost.slice(0, slash);
  const pattern = slash < 0 ? serverHost : serverHost.slice(slash + 1);
  const namespaceOk = scope === '*' || scope === vsNamespace || (scope === '.' && gatewayNamespace === vsNamespace);
  if (!namespaceOk) {
    return false;
  }
  if (pattern === '*' || pattern === host) {
    return true;
  }
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
}

/**
 * Whether `virtualService` (live, as read from the API server) is exposed on one of `gateways`
 * (live Gateway objects of any namespace): the first gateway it names, other than `mesh`, that
 * exists in `gateways` and has an HTTP server whose hosts cover one of the VirtualService's hosts.
 * Gateway references `name` and `namespace/name` are both understood (a bare name is in the
 * VirtualService's namespace). Returns undefined when not exposed, when the VirtualService is
 * undefined, or when the Gateway it names is missing. Never throws.
 */
export function findGatewayExposure(virtualService: LiveObject | undefined, gateways: readonly LiveObject[]): GatewayExposure | undefined {
  if (!virtualService || !isMap(virtualService.spec)) {
    return undefined;
  }
  const vsNamespace = virtualService.metadata.namespace ?? '';
  const hosts = strings(virtualService.spec.hosts);
  for (const ref of strings(virtualService.spec.gateways)) {
    if (ref === meshGateway) {
      continue;
    }
    const [namespace, name] = ref.includes('/') ? ref.split('/', 2) : [vsNamespace, ref];
    const gateway = gateways.find((g) => g.kind === 'Gateway' && g.metadata.name === name && (g.metadata.namespace ?? '') === namespace);
    const servers = isMap(gateway?.spec) && Array.isArray(gateway.spec.servers) ? gateway.spec.servers.filter(isMap) : [];
    for (const server of servers) {
      const port = isMap(server.port) ? server.port : {};
      const protocol = typeof port.protocol === 'string' ? port.protocol.toUpperCase() : '';
      if (typeof port.number !== 'number' || (protocol !== 'HTTP' && protocol !== 'HTTP2')) {
        continue;
      }
      const host = hosts.find((h) => strings(server.hosts).some((s) => serves(s, namespace ?? '', vsNamespace, h)));
      if (host !== undefined) {
        return { gateway: `${namespace ?? ''}/${name ?? ''}`, host, port: port.number };
      }
    }
  }
  return undefined;
}

/** The external host Fn Mesh proposes: `<app>.<namespace>.example` (`.example` is reserved, never a real domain). */
export function defaultGatewayHost(app: Pick<RoutedApp, 'appName' | 'namespace'>): string {
  return `${app.appName}.${app.namespace}.example`;
}

/**
 * The gateway binding of a live VirtualService Fn Mesh wrote, to keep on a rewrite: the external
 * hosts when it is bound to `<app>-gateway` and `mesh`; undefined when it is bound to no gateway.
 * Throws a UserError when it names gateways Fn Mesh does not write (a rewrite would drop them).
 */
export function keptGateway(vs: LiveObject, app: RoutedApp): GatewayOptions | undefined {
  const spec = isMap(vs.spec) ? vs.spec : {};
  const refs = strings(spec.gateways);
  if (refs.length === 0) {
    return undefined;
  }
  const ours = new Set([gatewayName(app), `${app.namespace}/${gatewayName(app)}`, meshGateway]);
  const foreign = refs.filter((r) => !ours.has(r));
  const hosts = strings(spec.hosts).filter((h) => h !== app.appName);
  if (foreign.length > 0 || hosts.length === 0 || !refs.some((r) => r !== meshGateway)) {
    throw new UserError(
      `${describeRef(refOf(vs))} is bound to gateways ${refs.join(', ')} that Fn Mesh did not write: edit it as a rule file instead, so no binding is lost`,
    );
  }
  return { hosts };
}

export interface GatewayExposureInput {
  /** The app's live VirtualService (Fn Mesh wrote it). */
  readonly virtualService: LiveObject;
  /** The live `<app>-gateway` Gateway, if it exists: the plan then updates it, guarded by its resourceVersion. */
  readonly gateway?: LiveObject;
  /** External host; default `defaultGatewayHost`. */
  readonly host?: string;
  /** Default 80. */
  readonly port?: number;
}

export interface GatewayExposurePlan {
  readonly app: RoutedApp;
  readonly exposure: GatewayExposure;
  /** Gateway first, then the VirtualService (so the route never names a missing Gateway). */
  readonly objects: readonly SpecObject[];
}

function guarded(obj: SpecObject, live: LiveObject | undefined): SpecObject {
  const resourceVersion = live?.metadata.resourceVersion;
  return resourceVersion ? { ...obj, metadata: { ...obj.metadata, resourceVersion } as SpecObject['metadata'] } : obj;
}

/**
 * The objects that expose the routed app of `input.virtualService` on the ingress gateway
 * (`istio: ingressgateway`, HTTP on `port`), for `host`: the weights and route options stay as
 * the live VirtualService has them. Throws a UserError for a bad host or port, or for a
 * VirtualService Fn Mesh cannot read back.
 */
export function planGatewayExposure(input: GatewayExposureInput): GatewayExposurePlan {
  const vs = input.virtualService;
  const app = routedAppOf(vs);
  const api = istioApiVersionOf(vs);
  const route = readRouteOptions(vs);
  const host = (input.host ?? defaultGatewayHost(app)).trim().toLowerCase();
  const options: GatewayOptions = { hosts: [host], port: input.port ?? 80 };
  const objects = [guarded(istioGateway(app, api, options), input.gateway), guarded(virtualService(app, api, route, options), vs)];
  return { app, exposure: { gateway: `${app.namespace}/${gatewayName(app)}`, host, port: options.port ?? 80 }, objects };
}

/** The Gateways (other than `mesh`) a live VirtualService names, as `{ namespace, name }` (a bare name is in its namespace). */
export function boundGateways(virtualService: LiveObject | undefined): { readonly namespace: string; readonly name: string }[] {
  if (!virtualService || !isMap(virtualService.spec)) {
    return [];
  }
  const vsNamespace = virtualService.metadata.namespace ?? '';
  return strings(virtualService.spec.gateways)
    .filter((ref) => ref !== meshGateway)
    .map((ref) => {
      const slash = ref.indexOf('/');
      return slash < 0 ? { namespace: vsNamespace, name: ref } : { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
    });
}

/** Route Traffic's answer for the ingress gateway: keep the current exposure, mesh only (`false`), or expose for `host`. */
export type RouteGatewayChoice = 'keep' | false | { readonly host: string; readonly port?: number };

/** The gateway part of a re-planned route: what to write, and what the confirmation says is kept or dropped. */
export interface CarriedExposure {
  /** The gateway binding to write; undefined: mesh only. */
  readonly gateway?: GatewayOptions;
  readonly kept: readonly string[];
  readonly dropped: readonly string[];
}

export function describeExposure(exposure: GatewayExposure): string {
  return `ingress gateway: Host ${exposure.host}, port ${exposure.port} (Gateway ${exposure.gateway})`;
}

/**
 * What a re-route does to the app's exposure on the ingress gateway: `current` is where the live
 * VirtualService answers now (findGatewayExposure), `choice` what was asked for. Keeping it writes
 * the same host and port on Fn Mesh's own Gateway `ownGateway` (`namespace/name`); leaving it (mesh
 * only), or moving off a Gateway Fn Mesh did not write, is named among the things dropped.
 */
export function carriedExposure(current: GatewayExposure | undefined, choice: RouteGatewayChoice, ownGateway: string): CarriedExposure {
  const foreign = current && current.gateway !== ownGateway ? [`the binding to Gateway ${current.gateway}, which Fn Mesh did not write: Host ${current.host} moves to Gateway ${ownGateway}`] : [];
  if (choice === false) {
    return { kept: [], dropped: current ? [`${describeExposure(current)}: the route is to answer inside the mesh only`] : [] };
  }
  if (choice === 'keep') {
    return current ? { gateway: { hosts: [current.host], port: current.port }, kept: [describeExposure({ ...current, gateway: ownGateway })], dropped: foreign } : { kept: [], dropped: [] };
  }
  const next: GatewayExposure = { gateway: ownGateway, host: choice.host, port: choice.port ?? 80 };
  const replaced = current && (current.host !== next.host || current.port !== next.port) ? [`${describeExposure(current)}: replaced by Host ${next.host}, port ${next.port}`] : [];
  return { gateway: { hosts: [next.host], port: next.port }, kept: [describeExposure(next)], dropped: [...(replaced.length > 0 ? replaced : foreign)] };
}

/** A choice of Route Traffic's "Where the app answers" quick pick. */
export interface RouteGatewayItem {
  readonly label: string;
  readonly description?: string;
  readonly answer: 'keep' | 'mesh' | 'expose';
}

/** The choices of "Where the app answers", the current one first (the highlighted default) and marked. */
export function routeGatewayItems(current: GatewayExposure | undefined): RouteGatewayItem[] {
  if (!current) {
    return [
      { label: 'Inside the mesh only', description: 'current', answer: 'mesh' },
      { label: 'Also on the ingress gateway', description: 'an Istio Gateway on istio-ingressgateway, port 80', answer: 'expose' },
    ];
  }
  return [
    { label: 'Keep on the ingress gateway', description: `current: Host ${current.host}, port ${current.port}`, answer: 'keep' },
    { label: 'On the ingress gateway with another host', description: 'asks for the host; port 80', answer: 'expose' },
    { label: 'Inside the mesh only', description: `leaves the ingress gateway: Host ${current.host} stops answering`, answer: 'mesh' },
  ];
}
