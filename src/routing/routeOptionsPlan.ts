// One route option change (pin a header, inject a fault, mirror, timeout and retries, outlier
// detection, or clear options) applied to a routed app as it is in the cluster: the options are
// merged into what the live objects carry and the current weights are kept. The result is the
// VirtualService and/or DestinationRule to apply, guarded by the resourceVersion read.
// Pure: no `vscode`.
import { UserError } from '../common/errors';
import type { LiveObject } from '../kube/objects/types';
import { keptGateway } from './gatewayExposure';
import { destinationRule, virtualService } from './manifests/istioManifests';
import type { SpecObject } from './manifests/kubeObject';
import {
  checkOutlierDetection,
  checkRouteOptions,
  type FaultOptions,
  type HeaderPin,
  type MirrorOptions,
  type OutlierDetectionOptions,
  type RetryOptions,
  type RouteOptions,
} from './manifests/routeOptions';
import type { RoutedApp } from './model';
import { istioApiVersionOf, readOutlierDetection, readRouteOptions, routedAppOf } from './routeOptionsRead';

/** The options "clear" can remove, one by one. */
export const optionKinds = ['pins', 'fault', 'mirror', 'timeouts', 'outlier'] as const;
export type OptionKind = (typeof optionKinds)[number];

export type RouteOptionsChange =
  /** Adds a pin, or re-points the pin of the same header, match and value. */
  | { readonly kind: 'pin'; readonly pin: HeaderPin }
  | { readonly kind: 'fault'; readonly fault: FaultOptions }
  | { readonly kind: 'mirror'; readonly mirror: MirrorOptions }
  /** Sets both: leaving one out removes it. */
  | { readonly kind: 'timeouts'; readonly timeoutSeconds?: number; readonly retries?: RetryOptions }
  | { readonly kind: 'outlier'; readonly outlier: OutlierDetectionOptions }
  /** Default: every option. */
  | { readonly kind: 'clear'; readonly what?: readonly OptionKind[] };

/** The app's objects as read from the cluster. */
export interface LiveRouting {
  readonly virtualService: LiveObject;
  readonly destinationRule?: LiveObject;
}

export interface RouteOptionsPlan {
  readonly app: RoutedApp;
  readonly before: { readonly route: RouteOptions; readonly outlier?: OutlierDetectionOptions };
  readonly route: RouteOptions;
  readonly outlier?: OutlierDetectionOptions;
  /** What to apply: the objects the change touches, DestinationRule first. */
  readonly objects: readonly SpecObject[];
  /** One line per option now in force, for the confirmation. */
  readonly summary: readonly string[];
}

/** The option kinds set in `route`/`outlier`: what "clear" can offer. */
export function optionsInForce(route: RouteOptions, outlier: OutlierDetectionOptions | undefined): OptionKind[] {
  const set: Record<OptionKind, boolean> = {
    pins: (route.pins?.length ?? 0) > 0,
    fault: route.fault !== undefined,
    mirror: route.mirror !== undefined,
    timeouts: route.timeoutSeconds !== undefined || route.retries !== undefined,
    outlier: outlier !== undefined,
  };
  return optionKinds.filter((k) => set[k]);
}

function withPin(pins: readonly HeaderPin[], pin: HeaderPin): HeaderPin[] {
  const same = (p: HeaderPin): boolean => p.header === pin.header && (p.match ?? 'exact') === (pin.match ?? 'exact') && p.value === pin.value;
  const at = pins.findIndex(same);
  return at < 0 ? [...pins, pin] : pins.map((p, i) => (i === at ? pin : p));
}

function merged(route: RouteOptions, change: RouteOptionsChange): RouteOptions {
  const { pins, fault, mirror, timeoutSeconds, retries } = route;
  const rest = { pins, fault, mirror, timeoutSeconds, retries };
  switch (change.kind) {
    case 'pin':
      return { ...rest, pins: withPin(pins ?? [], change.pin) };
    case 'fault':
      return { ...rest, fault: change.fault };
    case 'mirror':
      return { ...rest, mirror: change.mirror };
    case 'timeouts':
      return { ...rest, timeoutSeconds: change.timeoutSeconds, retries: change.retries };
    case 'outlier':
      return rest;
    case 'clear': {
      const what = new Set(change.what ?? optionKinds);
      return {
        pins: what.has('pins') ? undefined : pins,
        fault: what.has('fault') ? undefined : fault,
        mirror: what.has('mirror') ? undefined : mirror,
        timeoutSeconds: what.has('timeouts') ? undefined : timeoutSeconds,
        retries: what.has('timeouts') ? undefined : retries,
      };
    }
  }
}

/** Drops undefined members, so the generators and the summary see only what is set. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `seconds` as the user typed it: `1.5 s`. */
const secs = (s: number): string => `${s} s`;

/** One line per option, in words. */
export function describeOptions(route: RouteOptions, outlier: OutlierDetectionOptions | undefined): string[] {
  const lines = (route.pins ?? []).map((p) => `pin: header ${p.header} ${p.match === 'prefix' ? 'starting with' : '='} ${p.value} → ${p.version}`);
  const { delay, abort } = route.fault ?? {};
  if (delay) {
    lines.push(`fault: delay ${delay.percent}% of requests by ${secs(delay.seconds)}`);
  }
  if (abort) {
    lines.push(`fault: abort ${abort.percent}% of requests with HTTP ${abort.httpStatus}`);
  }
  if (route.mirror) {
    lines.push(`mirror: ${route.mirror.percent ?? 100}% of requests copied to ${route.mirror.version}`);
  }
  if (route.timeoutSeconds !== undefined) {
    lines.push(`timeout: ${secs(route.timeoutSeconds)}`);
  }
  if (route.retries) {
    const r = route.retries;
    const per = r.perTryTimeoutSeconds !== undefined ? `, ${secs(r.perTryTimeoutSeconds)} per try` : '';
    lines.push(`retries: ${r.attempts} attempt(s)${per}${r.retryOn ? ` on ${r.retryOn}` : ''}`);
  }
  if (outlier) {
    const o = { consecutive5xxErrors: 5, intervalSeconds: 10, baseEjectionSeconds: 30, maxEjectionPercent: 100, ...outlier };
    lines.push(
      `outlier detection: eject after ${o.consecutive5xxErrors} consecutive 5xx (checked every ${secs(o.intervalSeconds)}) ` +
        `for ${secs(o.baseEjectionSeconds)}, at most ${o.maxEjectionPercent}% of proxies`,
    );
  }
  return lines;
}

/** Guards an apply: the server refuses it (409) if the object changed since it was read. */
function guarded(obj: SpecObject, live: LiveObject | undefined): SpecObject {
  const resourceVersion = live?.metadata.resourceVersion;
  return resourceVersion ? { ...obj, metadata: { ...obj.metadata, resourceVersion } as SpecObject['metadata'] } : obj;
}

/**
 * The objects that make `change` real on the app `live` describes. Throws a UserError naming the
 * field when a value cannot be written, or when the live objects hold rules Fn Mesh did not write.
 * An ingress gateway binding (`exposeOnGateway`) is kept.
 */
export function planRouteOptions(live: LiveRouting, change: RouteOptionsChange): RouteOptionsPlan {
  const { virtualService: vs, destinationRule: dr } = live;
  const app = routedAppOf(vs);
  const api = istioApiVersionOf(vs);
  const beforeRoute = readRouteOptions(vs);
  const beforeOutlier = readOutlierDetection(dr);

  const route = compact(merged(beforeRoute, change));
  checkRouteOptions(app, route);
  let outlier = beforeOutlier;
  if (change.kind === 'outlier') {
    checkOutlierDetection(change.outlier);
    outlier = compact(change.outlier);
  } else if (change.kind === 'clear' && (change.what ?? optionKinds).includes('outlier')) {
    outlier = undefined;
  }
  const touchesRule = change.kind === 'outlier' || (change.kind === 'clear' && beforeOutlier !== undefined && outlier === undefined);
  const touchesRoute = change.kind !== 'outlier';
  const objects = [
    ...(touchesRule ? [guarded(destinationRule(app, api, outlier), dr)] : []),
    ...(touchesRoute ? [guarded(virtualService(app, api, route, keptGateway(vs, app)), vs)] : []),
  ];
  return {
    app,
    before: { route: beforeRoute, ...(beforeOutlier ? { outlier: beforeOutlier } : {}) },
    route,
    ...(outlier ? { outlier } : {}),
    objects,
    summary: describeOptions(route, outlier),
  };
}

/** For a command: a UserError when clearing would change nothing. */
export function assertSomethingToClear(route: RouteOptions, outlier: OutlierDetectionOptions | undefined, what: readonly OptionKind[]): void {
  const set = optionsInForce(route, outlier);
  if (!what.some((k) => set.includes(k))) {
    throw new UserError(`Nothing to clear: ${set.length > 0 ? `only ${set.join(', ')} are set` : 'no route options are set'}`);
  }
}
