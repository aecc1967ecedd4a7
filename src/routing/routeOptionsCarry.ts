// Route Traffic and New Version rebuild an app's route; server-side apply under the same field
// manager would delete every option the rebuilt route leaves out. So a re-plan starts from the
// live route's options (header pins, fault, mirror, timeout, retries; outlier detection on the
// DestinationRule) and says what it keeps and what it must drop (an option naming a version no
// longer routed). Reads the VirtualService (Istio) or the HTTPRoute (Gateway API). Pure.
import { UserError } from '../common/errors';
import { describeRef, refOf, type LiveObject } from '../kube/objects/types';
import { annotations, parseFunctionsAnnotation } from './manifests/kubeObject';
import { weightedRouteName, type HeaderPin, type MirrorOptions, type OutlierDetectionOptions, type RouteOptions } from './manifests/routeOptions';
import { versionObjectName } from './names';
import { parseDuration, readOutlierDetection, readRouteOptions } from './routeOptionsRead';
import { describeOptions } from './routeOptionsPlan';

type Json = Record<string, unknown>;

const isMap = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isMap) : []);

export interface CarriedOptions {
  readonly route: RouteOptions;
  readonly outlier?: OutlierDetectionOptions;
  /** One line per option kept, in words. */
  readonly kept: readonly string[];
  /** One line per option dropped, with the reason. */
  readonly dropped: readonly string[];
}

/** The options of a live HTTPRoute Fn Mesh wrote (exact header pins, timeout, mirror); a UserError for rules it did not write. */
export function readHttpRouteOptions(route: LiveObject): RouteOptions {
  const ref = describeRef(refOf(route));
  const app = route.metadata.name;
  const versions = [...parseFunctionsAnnotation(route.metadata.annotations?.[annotations.functions]).keys()];
  const versionOfBackend = (name: unknown): string => versions.find((v) => v !== '' && versionObjectName(app, v) === name) ?? String(name);
  const rules = list(isMap(route.spec) ? route.spec.rules : undefined);
  const weightedAt = rules.findIndex((r) => r.name === weightedRouteName);
  if (weightedAt < 0 || weightedAt !== rules.length - 1) {
    throw new UserError(`${ref} does not end with the rule "${weightedRouteName}" Fn Mesh writes: edit it as a rule file instead`);
  }
  const pins = rules.slice(0, weightedAt).map((rule, i): HeaderPin => {
    const headers = list(list(rule.matches)[0]?.headers);
    const backends = list(rule.backendRefs);
    const header = headers[0];
    if (headers.length !== 1 || header?.type !== 'Exact' || typeof header.name !== 'string' || typeof header.value !== 'string' || backends.length !== 1) {
      throw new UserError(`${ref} rule ${i + 1} is not a header pin Fn Mesh wrote: edit that HTTPRoute as a rule file instead, so nothing of it is lost`);
    }
    return { header: header.name, value: header.value, version: versionOfBackend(backends[0]?.name) };
  });
  const weighted = rules[weightedAt] ?? {};
  const mirrorFilter = list(weighted.filters).find((f) => f.type === 'RequestMirror');
  const mirrorTo = isMap(mirrorFilter?.requestMirror) ? mirrorFilter.requestMirror : undefined;
  const mirror: MirrorOptions | undefined = mirrorTo && isMap(mirrorTo.backendRef) ? { version: versionOfBackend(mirrorTo.backendRef.name), percent: typeof mirrorTo.percent === 'number' ? mirrorTo.percent : 100 } : undefined;
  const request = isMap(weighted.timeouts) ? weighted.timeouts.request : undefined;
  return {
    ...(pins.length > 0 ? { pins } : {}),
    ...(mirror ? { mirror } : {}),
    ...(request !== undefined ? { timeoutSeconds: parseDuration(request, `${ref} timeout`) } : {}),
  };
}

/**
 * The options of the live route (undefined: not routed yet) and DestinationRule to carry into a
 * plan routing `versions`. Options naming a version that is no longer routed are dropped and said.
 * Throws a UserError when the live route holds rules Fn Mesh did not write (they would be lost).
 */
export function carriedOptions(route: LiveObject | undefined, destinationRule: LiveObject | undefined, versions: readonly string[]): CarriedOptions {
  const live = !route ? {} : route.kind === 'HTTPRoute' ? readHttpRouteOptions(route) : readRouteOptions(route);
  const outlier = readOutlierDetection(destinationRule);
  const routed = new Set(versions);
  const dropped: string[] = [];
  const pins = (live.pins ?? []).filter((p) => routed.has(p.version) || !dropped.push(`${describeOptions({ pins: [p] }, undefined)[0] ?? ''}: ${p.version} is no longer routed`));
  const mirror = live.mirror && !routed.has(live.mirror.version) ? (dropped.push(`${describeOptions({ mirror: live.mirror }, undefined)[0] ?? ''}: ${live.mirror.version} is no longer routed`), undefined) : live.mirror;
  const { fault, timeoutSeconds, retries } = live;
  const kept: RouteOptions = {
    ...(pins.length > 0 ? { pins } : {}),
    ...(fault ? { fault } : {}),
    ...(mirror ? { mirror } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(retries ? { retries } : {}),
  };
  return { route: kept, ...(outlier ? { outlier } : {}), kept: describeOptions(kept, outlier), dropped };
}
