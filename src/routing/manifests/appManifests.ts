// Everything Fn Mesh creates for one routed app, in apply order. Pure: no `vscode`.
import { UserError } from '../../common/errors';
import { checkRoutedApp, type RoutedApp } from '../model';
import { httpRoute, type HttpRouteOptions } from './httpRouteManifests';
import { destinationRule, istioGateway, virtualService, type GatewayOptions, type IstioApiVersion } from './istioManifests';
import type { KubeObject } from './kubeObject';
import { proxyObjects, type ProxyOptions } from './proxyManifests';
import type { OutlierDetectionOptions, RouteOptions } from './routeOptions';
import { appService, versionService } from './serviceManifests';

export interface ManifestOptions {
  /** `istio` (default): DestinationRule + VirtualService; `httpRoute`: Gateway API, one Service per version. */
  readonly mode?: 'istio' | 'httpRoute';
  /** What the cluster serves; default `v1`. */
  readonly istioApiVersion?: IstioApiVersion;
  readonly proxy?: ProxyOptions;
  readonly route?: RouteOptions;
  /** Istio mode only. */
  readonly outlierDetection?: OutlierDetectionOptions;
  /** Istio mode only: an ingress Gateway bound to the VirtualService. */
  readonly gateway?: GatewayOptions;
  /** HTTPRoute mode only. */
  readonly httpRoute?: HttpRouteOptions;
}

/**
 * The objects for `app`: ConfigMaps, then Deployments, then Services, then the routing rules
 * (DestinationRule before VirtualService, so no route ever names a subset that does not exist
 * yet). Throws a UserError for an invalid app (names, weights not totalling 100) or options
 * that cannot be written.
 */
export function generateManifests(app: RoutedApp, options: ManifestOptions = {}): KubeObject[] {
  checkRoutedApp(app);
  const mode = options.mode ?? 'istio';
  if (mode !== 'istio' && mode !== 'httpRoute') {
    throw new UserError(`Routing mode must be istio or httpRoute, not ${JSON.stringify(mode)}`);
  }
  const proxies = app.versions.flatMap((v) => proxyObjects(app, v, options.proxy));
  const byKind = (kind: string): KubeObject[] => proxies.filter((o) => o.kind === kind);
  const workloads = [...byKind('ConfigMap'), ...byKind('Deployment')];

  if (mode === 'httpRoute') {
    if (options.gateway || options.outlierDetection || options.istioApiVersion) {
      throw new UserError('Istio Gateway, outlier detection and the Istio API version apply only to the Istio mode, not to HTTPRoute');
    }
    return [...workloads, appService(app), ...app.versions.map((v) => versionService(app, v)), httpRoute(app, options.httpRoute, options.route)];
  }
  if (options.httpRoute) {
    throw new UserError('HTTPRoute options apply only to the httpRoute mode');
  }
  const api = options.istioApiVersion ?? 'v1';
  return [
    ...workloads,
    appService(app),
    ...(options.gateway ? [istioGateway(app, api, options.gateway)] : []),
    destinationRule(app, api, options.outlierDetection),
    virtualService(app, api, options.route, options.gateway),
  ];
}
