// Reads back, from a routed app's live VirtualService and DestinationRule, what Fn Mesh wrote: the
// app with its current weights, the route options (pins, fault, mirror, timeout, retries) and the
// outlier detection. The inverse of `istioManifests.ts`; anything it cannot read back is refused
// rather than dropped on the next write. Pure: no `vscode`.
import { UserError } from '../common/errors';
import type { FnApiVersion } from '../fn/model';
import { readWeightedRoute } from './cluster/routeWeights';
import { describeRef, refOf, type LiveObject } from '../kube/objects/types';
import type { IstioApiVersion } from './manifests/istioManifests';
import { annotations, parseFunctionsAnnotation, partOfLabel } from './manifests/kubeObject';
import { weightedRouteName, type HeaderPin, type OutlierDetectionOptions, type RouteOptions } from './manifests/routeOptions';
import { checkRoutedApp, type RoutedApp } from './model';

type Json = Record<string, unknown>;

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isMap) : [];
}

const durationUnits: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/** Seconds of a protobuf/Go duration such as `1.5s`, `250ms` or `1m30s`. */
export function parseDuration(text: unknown, what: string): number {
  const parts = typeof text === 'string' ? [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)] : [];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UserError(`${what} ${JSON.stringify(text)} is not a duration Fn Mesh can read (e.g. 1.5s, 250ms)`);
  }
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * (durationUnits[p[2] ?? 's'] ?? 1), 0);
  return Math.round(seconds * 1000) / 1000;
}

function percentOf(value: unknown, fallback: number): number {
  return isMap(value) && typeof value.value === 'number' ? value.value : fallback;
}

export function istioApiVersionOf(obj: LiveObject): IstioApiVersion {
  const version = obj.apiVersion.split('/')[1];
  if (version !== 'v1' && version !== 'v1beta1') {
    throw new UserError(`${describeRef(refOf(obj))} is ${obj.apiVersion}; Fn Mesh writes networking.istio.io v1 or v1beta1`);
  }
  return version;
}

/** The routed app a live VirtualService describes, with the weights it has now. */
export function routedAppOf(vs: LiveObject): RoutedApp {
  if (vs.kind !== 'VirtualService') {
    throw new UserError(`${describeRef(refOf(vs))}: route options need Istio (a VirtualService); this app is routed with a ${vs.kind}`);
  }
  const meta = vs.metadata;
  const functions = parseFunctionsAnnotation(meta.annotations?.[annotations.functions]);
  const api: FnApiVersion = meta.annotations?.[annotations.fnApi] === 'v1' ? 'v1' : 'v2';
  const appName = meta.labels?.[partOfLabel] ?? meta.name;
  const app: RoutedApp = {
    appName,
    fnAppName: meta.annotations?.[annotations.app] ?? appName,
    namespace: meta.namespace ?? '',
    api,
    versions: readWeightedRoute(vs).entries.map((e) => ({
      version: e.version,
      weight: e.weight,
      fnName: functions.get(e.version) ?? e.version,
      // The Istio rules never name the upstream (only the proxies do): nothing to read back.
      upstream: { baseUrl: '', path: '' },
    })),
  };
  checkRoutedApp(app);
  return app;
}

/** A `pin-N-<version>` rule as Fn Mesh writes it: one header match, one destination. */
function pinOf(rule: Json, where: string): HeaderPin {
  const match = list(rule.match);
  const headers = match.length === 1 && isMap(match[0]?.headers) ? Object.entries(match[0].headers) : [];
  const [header, condition] = headers.length === 1 ? (headers[0] ?? []) : [];
  const [kind, value] = isMap(condition) && Object.keys(condition).length === 1 ? (Object.entries(condition)[0] ?? []) : [];
  const routes = list(rule.route);
  const subset = routes.length === 1 && isMap(routes[0]?.destination) ? routes[0].destination.subset : undefined;
  if (typeof header !== 'string' || (kind !== 'exact' && kind !== 'prefix') || typeof value !== 'string' || typeof subset !== 'string') {
    throw new UserError(
      `${where} is not a header pin Fn Mesh wrote (one header matched exactly or by prefix, one version); ` +
        'edit that VirtualService as a rule file instead, so nothing of it is lost',
    );
  }
  return { header, value, ...(kind === 'prefix' ? { match: kind } : {}), version: subset };
}

/** Fault, mirror, timeout and retries of one rule. */
function policyOf(rule: Json, where: string): RouteOptions {
  const options: { -readonly [K in keyof RouteOptions]: RouteOptions[K] } = {};
  if (rule.timeout !== undefined) {
    options.timeoutSeconds = parseDuration(rule.timeout, `${where} timeout`);
  }
  if (isMap(rule.retries)) {
    const r = rule.retries;
    options.retries = {
      attempts: typeof r.attempts === 'number' ? r.attempts : 2,
      ...(r.perTryTimeout !== undefined ? { perTryTimeoutSeconds: parseDuration(r.perTryTimeout, `${where} perTryTimeout`) } : {}),
      ...(typeof r.retryOn === 'string' ? { retryOn: r.retryOn } : {}),
    };
  }
  if (isMap(rule.fault)) {
    const { delay, abort } = rule.fault;
    options.fault = {
      ...(isMap(delay) ? { delay: { percent: percentOf(delay.percentage, 100), seconds: parseDuration(delay.fixedDelay, `${where} fault delay`) } } : {}),
      ...(isMap(abort) ? { abort: { percent: percentOf(abort.percentage, 100), httpStatus: typeof abort.httpStatus === 'number' ? abort.httpStatus : 0 } } : {}),
    };
  }
  if (isMap(rule.mirror) && typeof rule.mirror.subset === 'string') {
    options.mirror = { version: rule.mirror.subset, percent: percentOf(rule.mirrorPercentage, 100) };
  }
  return options;
}

/** The options of a live VirtualService Fn Mesh wrote; a UserError for rules it did not write. */
export function readRouteOptions(vs: LiveObject): RouteOptions {
  const ref = describeRef(refOf(vs));
  const rules = list(isMap(vs.spec) ? vs.spec.http : undefined);
  const weightedAt = rules.findIndex((r) => r.name === weightedRouteName);
  if (weightedAt < 0 || weightedAt !== rules.length - 1) {
    throw new UserError(`${ref} does not end with the rule "${weightedRouteName}" Fn Mesh writes: edit it as a rule file instead`);
  }
  const pins = rules.slice(0, weightedAt).map((rule, i) => pinOf(rule, `${ref} rule ${i + 1} (${typeof rule.name === 'string' ? rule.name : 'unnamed'})`));
  // Every rule carries the same policy; the weighted one is never exempt from mirroring.
  const policy = policyOf(rules[weightedAt] ?? {}, ref);
  return { ...(pins.length > 0 ? { pins } : {}), ...policy };
}

/** The outlier detection of a live DestinationRule, if it has one. */
export function readOutlierDetection(dr: LiveObject | undefined): OutlierDetectionOptions | undefined {
  const policy = isMap(dr?.spec) && isMap(dr.spec.trafficPolicy) ? dr.spec.trafficPolicy : undefined;
  const od = policy && isMap(policy.outlierDetection) ? policy.outlierDetection : undefined;
  if (!od) {
    return undefined;
  }
  const where = `${describeRef(refOf(dr as LiveObject))} outlierDetection`;
  return {
    ...(typeof od.consecutive5xxErrors === 'number' ? { consecutive5xxErrors: od.consecutive5xxErrors } : {}),
    ...(od.interval !== undefined ? { intervalSeconds: parseDuration(od.interval, `${where} interval`) } : {}),
    ...(od.baseEjectionTime !== undefined ? { baseEjectionSeconds: parseDuration(od.baseEjectionTime, `${where} baseEjectionTime`) } : {}),
    ...(typeof od.maxEjectionPercent === 'number' ? { maxEjectionPercent: od.maxEjectionPercent } : {}),
  };
}
