// Istio resources of a routed app: the DestinationRule (a subset per version), the VirtualService
// (weighted routes, plus pins, faults, mirroring, timeouts and retries) and an optional ingress
// Gateway, in `networking.istio.io/v1` or `v1beta1` (same schema). Pure: no `vscode`.
import { UserError } from '../../common/errors';
import type { RoutedApp } from '../model';
import { appMeta, versionLabel, type SpecObject } from './kubeObject';
import { checkOutlierDetection, checkRouteOptions, istioDuration, weightedRouteName, type OutlierDetectionOptions, type RouteOptions } from './routeOptions';

export type IstioApiVersion = 'v1' | 'v1beta1';

/** The reserved gateway name that makes a VirtualService apply to traffic inside the mesh. */
export const meshGateway = 'mesh';

export interface GatewayOptions {
  /** External host names, e.g. `hello.example.com` or `*.example.com`. */
  readonly hosts: readonly string[];
  /** Default 80. */
  readonly port?: number;
  /** Labels of the ingress gateway pods; default `istio: ingressgateway`. */
  readonly selector?: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;

const wildcardDnsName = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const labelKey = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function group(apiVersion: IstioApiVersion): string {
  if (apiVersion !== 'v1' && apiVersion !== 'v1beta1') {
    throw new UserError(`Istio API version must be v1 or v1beta1, not ${JSON.stringify(apiVersion)}`);
  }
  return `networking.istio.io/${apiVersion}`;
}

export function gatewayName(app: Pick<RoutedApp, 'appName'>): string {
  return `${app.appName}-gateway`;
}

export function destinationRule(app: RoutedApp, apiVersion: IstioApiVersion, outlier?: OutlierDetectionOptions): SpecObject {
  const spec: Json = {
    host: app.appName,
    subsets: app.versions.map((v) => ({ name: v.version, labels: { [versionLabel]: v.version } })),
  };
  if (outlier) {
    checkOutlierDetection(outlier);
    spec.trafficPolicy = {
      outlierDetection: {
        consecutive5xxErrors: outlier.consecutive5xxErrors ?? 5,
        interval: istioDuration(outlier.intervalSeconds ?? 10),
        baseEjectionTime: istioDuration(outlier.baseEjectionSeconds ?? 30),
        maxEjectionPercent: outlier.maxEjectionPercent ?? 100,
      },
    };
  }
  return { apiVersion: group(apiVersion), kind: 'DestinationRule', metadata: appMeta(app, app.appName), spec };
}

/**
 * Timeout, retries, fault and mirror: the same on every route, except that a route going only to
 * the mirror's version gains nothing from mirroring (`target`).
 */
function routePolicy(app: RoutedApp, options: RouteOptions, target?: string): Json {
  const policy: Json = {};
  if (options.timeoutSeconds !== undefined) {
    policy.timeout = istioDuration(options.timeoutSeconds);
  }
  if (options.retries) {
    const { attempts, perTryTimeoutSeconds, retryOn } = options.retries;
    policy.retries = {
      attempts,
      ...(perTryTimeoutSeconds !== undefined ? { perTryTimeout: istioDuration(perTryTimeoutSeconds) } : {}),
      ...(retryOn !== undefined ? { retryOn } : {}),
    };
  }
  if (options.fault) {
    const { delay, abort } = options.fault;
    policy.fault = {
      ...(delay ? { delay: { percentage: { value: delay.percent }, fixedDelay: istioDuration(delay.seconds) } } : {}),
      ...(abort ? { abort: { percentage: { value: abort.percent }, httpStatus: abort.httpStatus } } : {}),
    };
  }
  if (options.mirror && options.mirror.version !== target) {
    policy.mirror = { host: app.appName, subset: options.mirror.version };
    policy.mirrorPercentage = { value: options.mirror.percent ?? 100 };
  }
  return policy;
}

function checkGateway(gateway: GatewayOptions): void {
  if (gateway.hosts.length === 0) {
    throw new UserError('The ingress Gateway needs at least one host name');
  }
  for (const host of gateway.hosts) {
    if (host === '*') {
      throw new UserError('The ingress Gateway host "*" cannot be shared with in-mesh routing: name the external host, e.g. hello.example.com');
    }
    if (!wildcardDnsName.test(host) || host.length > 253) {
      throw new UserError(`Gateway host ${JSON.stringify(host)} is not a DNS name (a leading "*." is allowed)`);
    }
  }
  const port = gateway.port ?? 80;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(`Gateway port must be a whole number from 1 to 65535, not ${port}`);
  }
  for (const [key, value] of Object.entries(gateway.selector ?? {})) {
    if (!labelKey.test(key) || !labelValue.test(value)) {
      throw new UserError(`Gateway selector ${JSON.stringify(`${key}=${value}`)} is not a valid Kubernetes label`);
    }
  }
}

export function virtualService(app: RoutedApp, apiVersion: IstioApiVersion, options: RouteOptions = {}, gateway?: GatewayOptions): SpecObject {
  checkRouteOptions(app, options);
  if (gateway) {
    checkGateway(gateway);
  }
  const pinned = (options.pins ?? []).map((pin, i) => ({
    name: `pin-${i + 1}-${pin.version}`,
    match: [{ headers: { [pin.header]: { [pin.match ?? 'exact']: pin.value } } }],
    route: [{ destination: { host: app.appName, subset: pin.version } }],
    ...routePolicy(app, options, pin.version),
  }));
  const weighted = {
    name: weightedRouteName,
    route: app.versions.map((v) => ({ destination: { host: app.appName, subset: v.version }, weight: v.weight })),
    ...routePolicy(app, options),
  };
  const spec: Json = gateway
    ? { hosts: [app.appName, ...gateway.hosts], gateways: [gatewayName(app), meshGateway] }
    : { hosts: [app.appName] };
  spec.http = [...pinned, weighted];
  return { apiVersion: group(apiVersion), kind: 'VirtualService', metadata: appMeta(app, app.appName), spec };
}

export function istioGateway(app: RoutedApp, apiVersion: IstioApiVersion, gateway: GatewayOptions): SpecObject {
  checkGateway(gateway);
  const spec = {
    selector: gateway.selector ?? { istio: 'ingressgateway' },
    servers: [{ port: { number: gateway.port ?? 80, name: 'http', protocol: 'HTTP' }, hosts: [...gateway.hosts] }],
  };
  return { apiVersion: group(apiVersion), kind: 'Gateway', metadata: appMeta(app, gatewayName(app)), spec };
}
