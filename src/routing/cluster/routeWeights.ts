// Reads the weighted route of a live VirtualService or HTTPRoute (which version gets what share)
// and writes new weights as one JSON patch. Pure: no `vscode`.
import { UserError } from '../../common/errors';
import { annotations, parseFunctionsAnnotation, partOfLabel } from '../manifests/kubeObject';
import { weightedRouteName } from '../manifests/routeOptions';
import { versionObjectName } from '../names';
import { formatWeights, type Weights } from '../weights';
import { describeRef, refOf, type JsonPatchOperation, type LiveObject, type ObjectRef } from '../../kube/objects/types';

export interface RouteEntry {
  readonly version: string;
  readonly weight: number;
  /** JSON pointer of the entry's `weight`. */
  readonly path: string;
}

export interface WeightedRoute {
  readonly ref: ObjectRef;
  readonly resourceVersion: string;
  /** In the route's order. */
  readonly entries: readonly RouteEntry[];
  /** The weighted rule's name, if it has one, and how many rules (HTTP routes) the object has. */
  readonly ruleName?: string;
  readonly ruleCount: number;
}

type Json = Record<string, unknown>;

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isMap) : [];
}

/** The rule named `weighted`, else the last rule without a match (the default route). */
function weightedRule(rules: Json[], matchKey: string): number {
  const named = rules.findIndex((r) => r.name === weightedRouteName);
  if (named >= 0) {
    return named;
  }
  for (let i = rules.length - 1; i >= 0; i--) {
    if (list(rules[i]?.[matchKey]).length === 0) {
      return i;
    }
  }
  return -1;
}

/** Version names of an app-level object, from its `fn-mesh.io/functions` annotation (`v1=fnA,v2=fnB`). */
export function versionsOfAnnotation(obj: LiveObject): string[] {
  return [...parseFunctionsAnnotation(obj.metadata.annotations?.[annotations.functions]).keys()];
}

interface FoundRule {
  readonly rule: number;
  readonly entries: RouteEntry[];
  readonly ruleName?: string;
  readonly ruleCount: number;
}

const nameOf = (rule: Json | undefined): { ruleName?: string } => (typeof rule?.name === 'string' && rule.name !== '' ? { ruleName: rule.name } : {});

function istioEntries(obj: LiveObject, spec: Json): FoundRule {
  const rules = list(spec.http);
  const rule = weightedRule(rules, 'match');
  const routes = list(rules[rule]?.route);
  const entries = routes.map((r, j): RouteEntry => {
    const subset = isMap(r.destination) ? r.destination.subset : undefined;
    if (typeof subset !== 'string' || subset === '') {
      throw new UserError(`${describeRef(refOf(obj))}: the weighted route sends traffic to a destination without subset; Fn Mesh routes versions by subset`);
    }
    // Istio: one destination without weight gets all the traffic.
    const weight = typeof r.weight === 'number' ? r.weight : routes.length === 1 ? 100 : 0;
    return { version: subset, weight, path: `/spec/http/${rule}/route/${j}/weight` };
  });
  return { rule, entries, ...nameOf(rules[rule]), ruleCount: rules.length };
}

function httpRouteEntries(obj: LiveObject, spec: Json): FoundRule {
  const rules = list(spec.rules);
  const rule = weightedRule(rules, 'matches');
  const app = obj.metadata.labels?.[partOfLabel] ?? obj.metadata.name;
  const byService = new Map(versionsOfAnnotation(obj).map((v) => [versionObjectName(app, v), v]));
  const entries = list(rules[rule]?.backendRefs).map((b, j): RouteEntry => {
    const name = typeof b.name === 'string' ? b.name : '';
    const version = byService.get(name) ?? (name.startsWith(`${app}-`) ? name.slice(app.length + 1) : name);
    // Gateway API: an omitted weight is 1.
    return { version, weight: typeof b.weight === 'number' ? b.weight : 1, path: `/spec/rules/${rule}/backendRefs/${j}/weight` };
  });
  return { rule, entries, ...nameOf(rules[rule]), ruleCount: rules.length };
}

/** The weighted route of a VirtualService or HTTPRoute; throws a UserError when there is none. */
export function readWeightedRoute(obj: LiveObject): WeightedRoute {
  const ref = refOf(obj);
  const spec = isMap(obj.spec) ? obj.spec : {};
  let found: FoundRule;
  if (obj.kind === 'VirtualService') {
    found = istioEntries(obj, spec);
  } else if (obj.kind === 'HTTPRoute') {
    found = httpRouteEntries(obj, spec);
  } else {
    throw new UserError(`${describeRef(ref)} is not a VirtualService or HTTPRoute`);
  }
  if (found.rule < 0 || found.entries.length === 0) {
    throw new UserError(`${describeRef(ref)} has no weighted route (a rule named "${weightedRouteName}" or one without match)`);
  }
  const seen = new Set<string>();
  for (const e of found.entries) {
    if (seen.has(e.version)) {
      throw new UserError(`${describeRef(ref)}: the weighted route names version "${e.version}" twice`);
    }
    seen.add(e.version);
  }
  const { entries, ruleName, ruleCount } = found;
  return { ref, resourceVersion: obj.metadata.resourceVersion ?? '', entries, ...(ruleName ? { ruleName } : {}), ruleCount };
}

export function routeWeights(route: WeightedRoute): Weights {
  return new Map(route.entries.map((e) => [e.version, e.weight]));
}

/** Same versions with the same weights (order ignored). */
export function sameWeights(a: Weights, b: Weights): boolean {
  return a.size === b.size && [...a].every(([v, w]) => b.get(v) === w);
}

/** `v1=90,v2=10` in the route's order, or `(none)`. */
export function showWeights(weights: Weights): string {
  return weights.size > 0 ? formatWeights(weights) : '(none)';
}

/**
 * One atomic JSON patch that sets every weight of the route. It first replaces
 * metadata.resourceVersion with the one read: the server then refuses the whole patch with a 409
 * Conflict if the object changed since (a failed `test` operation would only give an unspecific 422).
 */
export function weightsPatch(route: WeightedRoute, weights: Weights): JsonPatchOperation[] {
  const ops: JsonPatchOperation[] = [{ op: 'replace', path: '/metadata/resourceVersion', value: route.resourceVersion }];
  for (const e of route.entries) {
    const weight = weights.get(e.version);
    if (weight === undefined) {
      throw new UserError(`No weight given for version "${e.version}" of ${describeRef(route.ref)}`);
    }
    ops.push({ op: 'add', path: e.path, value: weight });
  }
  return ops;
}
