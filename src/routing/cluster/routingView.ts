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

/** DestinationRules by namespace and name; deployments and pods by namespace, app and version: one pass, so joining is linear in the objects. */
interface WorkloadIndex {
  readonly destinationRules: ReadonlyMap<string, LiveObject>;
  /** The first Deployment of each (namespace, part-of app, version), as a search in list order finds. */
  readonly deployments: ReadonlyMap<string, LiveObject>;
  /** The pods of each (namespace, `app` label, version). */
  readonly pods: ReadonlyMap<string, readonly LiveObject[]>;
}

const workloadKey = (namespace: string, app: string | undefined, version: string | undefined): string => `${namespace}\0${app ?? ''}\0${version ?? ''}`;

function indexWorkloads(snapshot: RoutingSnapshot): WorkloadIndex {
  const destinationRules = new Map<string, LiveObject>();
  for (const d of snapshot.destinationRules) {
    const key = workloadKey(d.metadata.namespace ?? '', d.metadata.name, undefined);
    if (!destinationRules.has(key)) {
      destinationRules.set(key, d);
    }
  }
  const deployments = new Map<string, LiveObject>();
  for (const d of snapshot.deployments) {
    const key = workloadKey(d.metadata.namespace ?? '', label(d, partOfLabel), label(d, versionLabel));
    if (!deployments.has(key)) {
      deployments.set(key, d);
    }
  }
  const pods = new Map<string, LiveObject[]>();
  for (const p of snapshot.pods) {
    const key = workloadKey(p.metadata.namespace ?? '', label(p, appLabel), label(p, versionLabel));
    const list = pods.get(key);
    if (list) {
      list.push(p);
    } else {
      pods.set(key, [p]);
    }
  }
  return { destinationRules, deployments, pods };
}

function appView(route: LiveObject, index: WorkloadIndex): RoutedAppView {
  const namespace = route.metadata.namespace ?? '';
  const appName = label(route, partOfLabel) ?? route.metadata.name;
  const warnings: string[] = [];
  let entries: { version: string; weight: number }[] = [];
  try {
    entries = [...readWeightedRoute(route).entries];
  } catch (err) {
    warnings.push(describeError(err));
  }
  const functions = functionsByVersion(route);
  const rule =
    route.kind === 'VirtualService' ? index.destinationRules.get(workloadKey(namespace, route.metadata.name, undefined)) : undefined;
  if (route.kind === 'VirtualService' && !rule) {
    warnings.push(`No DestinationRule "${route.metadata.name}": the route's subsets are not defined, so no traffic reaches any version`);
  }
  const subsets = subsetNames(rule);

  const versions = entries.map(({ version, weight }): VersionView => {
    const deployment = index.deployments.get(workloadKey(namespace, appName, version));
    const pods = index.pods.get(workloadKey(namespace, appName, version)) ?? [];
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
  const index = indexWorkloads(snapshot);
  return snapshot.routes
    .filter((r) => label(r, managedByLabel) === managedByValue && !r.metadata.deletionTimestamp)
    .map((r) => appView(r, index))
    .sort((a, b) => a.appName.localeCompare(b.appName) || kindRank(a) - kindRank(b));
}
