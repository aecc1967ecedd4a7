// Kubernetes Gateway API mode: one HTTPRoute with weighted `backendRefs` to one Service per
// version, attached to the app's Service (mesh, GAMMA) or to a Gateway. Standard channel only:
// header pins (exact), timeouts and mirroring are expressible; prefix pins, faults and retries
// are not, and are refused rather than silently dropped. Pure: no `vscode`.
import { UserError } from '../../common/errors';
import type { RoutedApp } from '../model';
import { isDns1123Label } from '../names';
import { appMeta, type SpecObject } from './kubeObject';
import { checkRouteOptions, gatewayDuration, weightedRouteName, type RouteOptions } from './routeOptions';
import { servicePort, versionServiceName } from './serviceManifests';

export const gatewayApiVersion = 'gateway.networking.k8s.io/v1';
/** The standard HTTPRoute allows at most 16 rules: the weighted one plus 15 pins. */
const maxRules = 16;

export interface HttpRouteOptions {
  /** Attach to this Gateway (ingress) instead of the app's Service (in-mesh routing). */
  readonly parentGateway?: { readonly name: string; readonly namespace?: string; readonly sectionName?: string };
  /** Host names the route answers for at the Gateway (only with `parentGateway`). */
  readonly hostnames?: readonly string[];
}

type Json = Record<string, unknown>;

const dnsName = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** The per-version Service of `version` as a backend (versions were checked by checkRouteOptions). */
function backendRef(app: RoutedApp, version: string): Json {
  const routed = app.versions.find((v) => v.version === version);
  if (!routed) {
    throw new UserError(`App "${app.fnAppName}" has no version "${version}"`);
  }
  return { name: versionServiceName(app, routed), port: servicePort };
}

function unsupported(what: string): never {
  throw new UserError(`${what} is not available with a Gateway API HTTPRoute (standard channel): use the Istio resources instead`);
}

function parentRefs(app: RoutedApp, options: HttpRouteOptions): Json[] {
  const gateway = options.parentGateway;
  if (!gateway) {
    if (options.hostnames?.length) {
      throw new UserError('HTTPRoute host names apply only when the route is attached to a Gateway');
    }
    return [{ group: '', kind: 'Service', name: app.appName, port: servicePort }];
  }
  for (const [what, value] of [
    ['Gateway name', gateway.name],
    ['Gateway namespace', gateway.namespace],
    ['Gateway listener', gateway.sectionName],
  ] as const) {
    if (value !== undefined && !isDns1123Label(value)) {
      throw new UserError(`${what} ${JSON.stringify(value)} is not a valid Kubernetes name`);
    }
  }
  for (const host of options.hostnames ?? []) {
    if (!dnsName.test(host) || host.length > 253) {
      throw new UserError(`HTTPRoute host name ${JSON.stringify(host)} is not a DNS name (a leading "*." is allowed)`);
    }
  }
  return [
    {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: gateway.name,
      ...(gateway.namespace ? { namespace: gateway.namespace } : {}),
      ...(gateway.sectionName ? { sectionName: gateway.sectionName } : {}),
    },
  ];
}

/** Timeout and mirroring, the same on every rule except no mirroring on a rule to the mirror's version. */
function rulePolicy(app: RoutedApp, route: RouteOptions, target?: string): Json {
  const policy: Json = {};
  if (route.mirror && route.mirror.version !== target) {
    const percent = route.mirror.percent ?? 100;
    if (!Number.isInteger(percent)) {
      throw new UserError(`Mirror percentage ${percent} must be a whole number with an HTTPRoute`);
    }
    const mirrorTo = backendRef(app, route.mirror.version);
    policy.filters = [{ type: 'RequestMirror', requestMirror: { backendRef: mirrorTo, ...(percent !== 100 ? { percent } : {}) } }];
  }
  if (route.timeoutSeconds !== undefined) {
    policy.timeouts = { request: gatewayDuration(route.timeoutSeconds, 'Timeout') };
  }
  return policy;
}

export function httpRoute(app: RoutedApp, options: HttpRouteOptions = {}, route: RouteOptions = {}): SpecObject {
  checkRouteOptions(app, route);
  if (route.fault) {
    unsupported('Fault injection');
  }
  if (route.retries) {
    unsupported('A retry policy');
  }
  const pins = route.pins ?? [];
  if (pins.some((p) => (p.match ?? 'exact') !== 'exact')) {
    unsupported('A prefix header match');
  }
  if (pins.length + 1 > maxRules) {
    throw new UserError(`An HTTPRoute holds at most ${maxRules - 1} header pins, not ${pins.length}`);
  }
  const pinned = pins.map((pin, i) => ({
    name: `pin-${i + 1}-${pin.version}`,
    matches: [{ headers: [{ type: 'Exact', name: pin.header, value: pin.value }] }],
    backendRefs: [backendRef(app, pin.version)],
    ...rulePolicy(app, route, pin.version),
  }));
  const weighted = {
    name: weightedRouteName,
    backendRefs: app.versions.map((v) => ({ ...backendRef(app, v.version), weight: v.weight })),
    ...rulePolicy(app, route),
  };
  const spec: Json = { parentRefs: parentRefs(app, options) };
  if (options.hostnames?.length) {
    spec.hostnames = [...options.hostnames];
  }
  spec.rules = [...pinned, weighted];
  return { apiVersion: gatewayApiVersion, kind: 'HTTPRoute', metadata: appMeta(app, app.appName), spec };
}
