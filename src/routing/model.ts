// The routed-app model: an Fn app whose functions are the "versions" of one Kubernetes service,
// each reached through its own proxy, with a traffic weight. Built from Fn data. Pure: no `vscode`.
import { UserError } from '../common/errors';
import type { FnApiVersion, FnFunction } from '../fn/model';
import { assertFnName, assertNoNameCollisions, isDns1035Label, isDns1123Label, toKubeName } from './names';
import { assertSafePath, parseUpstreamBaseUrl } from './upstreamUrl';
import { assertValidWeights, evenSplit, type Weights } from './weights';

/** Where a version's proxy sends every request. */
export interface RoutedUpstream {
  /** The Fn lb base URL, e.g. `http://fn-lb.fn.svc.cluster.local:90`, without trailing slash. */
  readonly baseUrl: string;
  /** Invocation path on the lb: `/t/<app>/<source>`, `/invoke/<fnID>` or (2018 API) `/r/<app>/<route>`. */
  readonly path: string;
}

export interface RoutedVersion {
  /** Kubernetes-safe version name (label value, subset name). */
  readonly version: string;
  /** The Fn function (2018 API: the route path without its leading `/`). */
  readonly fnName: string;
  readonly fnId?: string;
  /** Integer percentage; the versions of an app total 100. */
  readonly weight: number;
  readonly upstream: RoutedUpstream;
  /** The function's own timeout, when Fn reported it: the proxy waits a little longer. */
  readonly fnTimeoutSeconds?: number;
}

export interface RoutedApp {
  /** Kubernetes-safe app name: the Service, the Istio rules and the `app` label. */
  readonly appName: string;
  /** The Fn app name as Fn spells it. */
  readonly fnAppName: string;
  readonly namespace: string;
  readonly api: FnApiVersion;
  readonly versions: readonly RoutedVersion[];
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/**
 * The path that invokes `fn` on the Fn lb, by the same rules as `invokeUrlFor`: v2 uses the first
 * HTTP trigger (`/t/<app>/<source>`), else `/invoke/<fnID>`; the 2018 API uses `/r/<app>/<route>`.
 * Throws a UserError when there is no way to invoke it or the path has unsafe characters.
 */
export function invocationPath(fn: FnFunction, api: FnApiVersion): string {
  assertFnName(fn.appName, 'Fn app name');
  let parts: string[];
  if (api === 'v1') {
    parts = ['r', fn.appName, ...segments(fn.triggers[0]?.source ?? `/${fn.name}`)];
  } else {
    const trigger = fn.triggers.find((t) => t.type === 'http');
    if (trigger) {
      parts = ['t', fn.appName, ...segments(trigger.source)];
    } else if (fn.id) {
      parts = ['invoke', fn.id];
    } else {
      throw new UserError(`Function "${fn.name}" of app "${fn.appName}" has no HTTP trigger and no id: Fn Mesh cannot tell how to invoke it`);
    }
  }
  const path = `/${parts.join('/')}`;
  assertSafePath(path, `Invocation path of function "${fn.name}"`);
  return path;
}

export interface RoutedAppInput {
  readonly fnAppName: string;
  readonly namespace: string;
  readonly api: FnApiVersion;
  /** The Fn lb base URL the proxies forward to (in-cluster, e.g. `http://fn-lb.fn.svc.cluster.local:90`). */
  readonly lbBaseUrl: string;
  /** The functions to route between, in display order; each becomes a version. */
  readonly functions: readonly FnFunction[];
  /** Integer percentages by Kubernetes version name, totalling 100. Default: an even split. */
  readonly weights?: Weights;
}

/** Builds and checks a routed app; throws a UserError naming what is wrong. */
export function buildRoutedApp(input: RoutedAppInput): RoutedApp {
  const appName = toKubeName(input.fnAppName, 'Fn app name');
  if (!isDns1123Label(input.namespace)) {
    throw new UserError(`Namespace ${JSON.stringify(input.namespace)} is not a valid Kubernetes namespace name`);
  }
  if (input.functions.length === 0) {
    throw new UserError(`Pick at least one function of app "${input.fnAppName}" to route to`);
  }
  const seen = new Set<string>();
  for (const fn of input.functions) {
    if (fn.appName !== input.fnAppName) {
      throw new UserError(`Function "${fn.name}" belongs to app "${fn.appName}", not "${input.fnAppName}"`);
    }
    if (seen.has(fn.name)) {
      throw new UserError(`Function "${fn.name}" is picked twice`);
    }
    seen.add(fn.name);
  }
  assertNoNameCollisions([{ appName: input.fnAppName, functionNames: input.functions.map((f) => f.name) }]);
  const baseUrl = input.lbBaseUrl.replace(/\/+$/, '');
  parseUpstreamBaseUrl(baseUrl);

  const names = input.functions.map((fn) => toKubeName(fn.name, 'Fn function name'));
  const weights = input.weights ?? evenSplit(names);
  assertValidWeights(weights, names);
  const versions = input.functions.map((fn, i): RoutedVersion => {
    const version = names[i] ?? '';
    return {
      version,
      fnName: fn.name,
      ...(fn.id ? { fnId: fn.id } : {}),
      weight: weights.get(version) ?? 0,
      upstream: { baseUrl, path: invocationPath(fn, input.api) },
      ...(fn.timeoutSeconds !== undefined ? { fnTimeoutSeconds: fn.timeoutSeconds } : {}),
    };
  });
  return { appName, fnAppName: input.fnAppName, namespace: input.namespace, api: input.api, versions };
}

/** The weights of a routed app, in version order. */
export function weightsOf(app: RoutedApp): Weights {
  return new Map(app.versions.map((v) => [v.version, v.weight]));
}

/** The same app with new weights (checked: every version, integers, total 100). */
export function withWeights(app: RoutedApp, weights: Weights): RoutedApp {
  assertValidWeights(
    weights,
    app.versions.map((v) => v.version),
  );
  return { ...app, versions: app.versions.map((v) => ({ ...v, weight: weights.get(v.version) ?? 0 })) };
}

/**
 * Checks an app however it was built (for example read back from the cluster): Kubernetes-safe,
 * distinct names and valid weights. Throws a UserError.
 */
export function checkRoutedApp(app: RoutedApp): void {
  if (!isDns1035Label(app.appName)) {
    throw new UserError(`App name ${JSON.stringify(app.appName)} is not a valid Kubernetes name`);
  }
  if (!isDns1123Label(app.namespace)) {
    throw new UserError(`Namespace ${JSON.stringify(app.namespace)} is not a valid Kubernetes namespace name`);
  }
  const names = app.versions.map((v) => v.version);
  for (const [i, name] of names.entries()) {
    if (!isDns1035Label(name)) {
      throw new UserError(`Version name ${JSON.stringify(name)} is not a valid Kubernetes name`);
    }
    if (names.indexOf(name) !== i) {
      throw new UserError(`Version "${name}" appears twice in app "${app.fnAppName}"`);
    }
  }
  assertValidWeights(weightsOf(app), names);
}
