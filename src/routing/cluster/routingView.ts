// Joins the watched objects of a namespace into what the tree shows: routed apps → versions with
// their weight, the Fn function each forwards to, proxy readiness and sidecar state, plus the
// problems that make routing silently not apply. Pure: no `vscode`.
import { annotations, appLabel, parseFunctionsAnnotation, managedByLabel, managedByValue, partOfLabel, versionLabel } from '../manifests/kubeObject';
import { describeError } from '../../common/errors';
import { readWeightedRoute } from './routeWeights';
import { sidecarState, type SidecarState } from './sidecar';
import { refOf, type LiveObject, type ObjectRef } from '../../kube/objects/types';

export interface VersionView {
  readonly version: string;
  readonly weight: number;
  /** The Fn function the version's proxy forwards to. */
  readonly fnName?: string;
  readonly readyReplicas: number;
  readonly desiredReplicas: number;
  readonly sidecar: SidecarState;
}

export interface RoutedAppView {
  /** Kubernetes name of the app (Service, routes, `app` label). */
  readonly appName: string;
  /** The Fn app name as Fn spells it, when the route says. */
  readonly fnAppName?: string;
  readonly namespace: string;
  /** The VirtualService or HTTPRoute that carries the weights. */
  readonly route: ObjectRef;
  /** In the route's order. */
  readonly versions: readonly VersionView[];
  /** Why routing may not work as the weights say, in words for the user. */
  readonly warnings: readonly string[];
}

export interface RoutingSnapshot {
  /** VirtualServices and HTTPRoutes. */
  readonly routes: readonly LiveObject[];
  readonly destinationRules: readonly LiveObject[];
  readonly deployments: readonly LiveObject[];
  readonly pods: readonly LiveObject[];
}

function label(obj: LiveObject, key: string): string | undefined {
  return obj.metadata.labels?.[key];
}

/** `v1=fnA,v2=fnB` → version → function. */
function functionsByVersion(route: LiveObject): Map<string, string> {
  return parseFunctionsAnnotation(route.metadata.annotations?.[annotations.functions]);
}

function number(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function subsetNames(rule: LiveObject | undefined): Set<string> {
  const subsets = (rule?.spec as { subsets?: { name?: string }[] } | undefined)?.subsets ?? [];
  return new Set(subsets.map((s) => s.name ?? ''));
}

function appView(route: LiveObject, snapshot: RoutingSnapshot): RoutedAppView {
  const namespace = route.metadata.namespace ?? '';
  const appName = label(route, partOfLabel) ?? route.metadata.name;
  const inApp = (o: LiveObject): boolean => o.metadata.namespace === namespace && label(o, partOfLabel) === appName;
  const warnings: string[] = [];
  let entries: { version: string; weight: number }[] = [];
  try {
    entries = [...readWeightedRoute(route).entries];
  } catch (err) {
    warnings.push(describeError(err));
  }
  const functions = functionsByVersion(route);
  const rule =
    route.kind === 'VirtualService' ? snapshot.destinationRules.find((d) => d.metadata.namespace === namespace && d.metadata.name === route.metadata.name) : undefined;
  if (route.kind === 'VirtualService' && !rule) {
    warnings.push(`No DestinationRule "${route.metadata.name}": the route's subsets are not defined, so no traffic reaches any version`);
  }
  const subsets = subsetNames(rule);

  const versions = entries.map(({ version, weight }): VersionView => {
    const deployment = snapshot.deployments.find((d) => inApp(d) && label(d, versionLabel) === version);
    const pods = snapshot.pods.filter((p) => p.metadata.namespace === namespace && label(p, appLabel) === appName && label(p, versionLabel) === version);
    const sidecar = sidecarState(pods);
    const fnName = functions.get(version) ?? deployment?.metadata.annotations?.[annotations.function];
    if (!deployment) {
      warnings.push(`Version "${version}" has no proxy Deployment`);
    }
    if (rule && !subsets.has(version)) {
      warnings.push(`Version "${version}" has no subset in DestinationRule "${rule.metadata.name}"`);
    }
    if (sidecar === 'missing') {
      warnings.push(`A proxy pod of version "${version}" runs without the istio-proxy sidecar: the weights do not apply to its traffic`);
    }
    return {
      version,
      weight,
      ...(fnName ? { fnName } : {}),
      readyReplicas: number((deployment?.status as { readyReplicas?: unknown } | undefined)?.readyReplicas, 0),
      desiredReplicas: deployment ? number((deployment.spec as { replicas?: unknown } | undefined)?.replicas, 1) : 0,
      sidecar,
    };
  });
  const fnAppName = route.metadata.annotations?.[annotations.app];
  return { appName, ...(fnAppName ? { fnAppName } : {}), namespace, route: refOf(route), versions, warnings };
}

function kindRank(view: RoutedAppView): number {
  return view.route.kind === 'VirtualService' ? 0 : 1;
}

/** One view per route Fn Mesh manages, sorted by app name (VirtualService before HTTPRoute). */
export function joinRouting(snapshot: RoutingSnapshot): RoutedAppView[] {
  return snapshot.routes
    .filter((r) => label(r, managedByLabel) === managedByValue && !r.metadata.deletionTimestamp)
    .map((r) => appView(r, snapshot))
    .sort((a, b) => a.appName.localeCompare(b.appName) || kindRank(a) - kindRank(b));
}
