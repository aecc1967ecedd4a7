// Adjusting the weights of a routed app, and undoing that: read the route, check the new weights,
// write them in one update guarded by the resourceVersion read. Whatever another client changed
// in between is never overwritten: the update is refused and the user is told what changed.
// Pure: no `vscode`.
import { undoGone } from '../weightHistory';
import { UserError } from '../../common/errors';
import { isDns1035Label } from '../names';
import { assertValidWeights, weightProblems, type Weights } from '../weights';
import { kubeStatusCode } from '../../kube/kubeErrors';
import { httpRouteType, istioType, type RoutingApis } from './discovery';
import type { KubeClient } from '../../kube/objects/kubeClient';
import { objectError } from '../../kube/objects/resourceErrors';
import { readWeightedRoute, routeWeights, sameWeights, showWeights, weightsPatch, type WeightedRoute } from './routeWeights';
import { describeRef, type LiveObject, type ObjectRef } from '../../kube/objects/types';

/** A weight change that was written: what Undo needs. */
export interface WeightsChange {
  readonly ref: ObjectRef;
  readonly previous: Weights;
  readonly applied: Weights;
  /** The route's resourceVersion after the change. */
  readonly resourceVersion: string;
  /** True when the route already had these weights and nothing was written. */
  readonly unchanged: boolean;
}

/** Another client changed the route; `current` is what it has now. Nothing was written. */
export class WeightsConflictError extends UserError {
  constructor(
    readonly ref: ObjectRef,
    readonly expected: Weights,
    readonly current: Weights,
    what: string,
  ) {
    super(
      `${describeRef(ref)} was changed by another client ${what}: weights were ${showWeights(expected)}, now ${showWeights(current)}. ` +
        'Nothing was written; look at the current weights and try again.',
    );
    this.name = 'WeightsConflictError';
  }
}

/** The app's VirtualService (Istio) or else its HTTPRoute; throws a UserError when it has neither. */
export async function readRoute(client: KubeClient, apis: RoutingApis, namespace: string, app: string): Promise<LiveObject> {
  if (!isDns1035Label(app)) {
    throw new UserError(`${JSON.stringify(app)} is not a routed app's Kubernetes name`);
  }
  const types = [istioType(apis, 'VirtualService'), apis.httpRoute ? httpRouteType : undefined].filter((t) => t !== undefined);
  for (const type of types) {
    const ref = { ...type, namespace, name: app };
    const obj = await client.get(ref).catch((err: unknown) => {
      throw objectError(ref, err);
    });
    if (obj) {
      return obj;
    }
  }
  throw new UserError(`App "${app}" has no VirtualService or HTTPRoute in namespace "${namespace}": route its traffic first`);
}

/** Writes after a 409 whose re-read showed the same weights (e.g. a status update by istiod). */
const attempts = 3;

/**
 * Writes `target` over `route`. A 409 means the route changed since it was read: when its weights
 * changed, that is a WeightsConflictError and nothing is written; when only other fields changed,
 * the patch (which touches only the weights) is rebuilt on the new read and sent again.
 */
async function writeWeights(client: KubeClient, route: WeightedRoute, target: Weights): Promise<WeightsChange> {
  const previous = routeWeights(route);
  if (sameWeights(previous, target)) {
    return { ref: route.ref, previous, applied: target, resourceVersion: route.resourceVersion, unchanged: true };
  }
  let read = route;
  for (let attempt = 1; ; attempt++) {
    try {
      const written = await client.jsonPatch(read.ref, weightsPatch(read, target));
      return { ref: read.ref, previous, applied: target, resourceVersion: written.metadata.resourceVersion ?? '', unchanged: false };
    } catch (err) {
      if (kubeStatusCode(err) !== 409) {
        throw objectError(read.ref, err);
      }
      const now = await client.get(read.ref);
      const current = now ? routeWeights(readWeightedRoute(now)) : new Map<string, number>();
      if (!now || !sameWeights(current, previous) || attempt >= attempts) {
        throw new WeightsConflictError(read.ref, previous, current, now ? 'after Fn Mesh read it' : '(it was deleted)');
      }
      read = readWeightedRoute(now);
    }
  }
}

/**
 * Sets the weights of `app`'s route to `weights` (integers totalling 100, one per version of the
 * route). With `expected`, refuses when the route's weights are no longer what the user saw.
 * Returns the change, whose `previous` weights are what Undo restores.
 */
export async function updateWeights(
  client: KubeClient,
  apis: RoutingApis,
  namespace: string,
  app: string,
  weights: Weights,
  options: { readonly expected?: Weights } = {},
): Promise<WeightsChange> {
  // Checked before any request: numbers, range, total.
  const problems = weightProblems(weights, [...weights.keys()]);
  if (problems.length > 0) {
    throw new UserError(`Invalid weights: ${problems.join('; ')}`);
  }
  const route = readWeightedRoute(await readRoute(client, apis, namespace, app));
  const current = routeWeights(route);
  if (options.expected && !sameWeights(options.expected, current)) {
    throw new WeightsConflictError(route.ref, options.expected, current, 'since its weights were shown');
  }
  assertValidWeights(weights, [...current.keys()]);
  return writeWeights(client, route, weights);
}

/**
 * Undoes `change`: writes its previous weights back, guarded like any update. Refused when the
 * route's weights are no longer the ones `change` wrote (someone changed them since); other
 * changes to the route are kept, as only the weights are written.
 */
export async function undoWeights(client: KubeClient, change: WeightsChange): Promise<WeightsChange> {
  const obj = await client.get(change.ref).catch((err: unknown) => {
    throw objectError(change.ref, err);
  });
  if (!obj) {
    throw undoGone(`${describeRef(change.ref)} no longer exists: nothing to undo`);
  }
  const route = readWeightedRoute(obj);
  const current = routeWeights(route);
  if (!sameWeights(current, change.applied)) {
    throw undoGone(
      `${describeRef(change.ref)} was changed by another client since the change to undo: weights were ${showWeights(change.applied)}, now ${showWeights(current)}. ` +
        'Nothing was written; that change can no longer be undone, and Undo forgets it.',
    );
  }
  return writeWeights(client, route, change.previous);
}
