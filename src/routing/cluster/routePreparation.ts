// Route Traffic's plan as it meets the cluster: the objects are read once, for the preview the
// apply is guarded by; objects that belong to another app refuse the plan before anything is
// shown or applied; the live route's options are carried into the new plan (routeOptionsCarry).
// Pure: no `vscode`.
import type { KubeClient } from '../../kube/objects/kubeClient';
import { readPreview, type Preview } from '../../kube/objects/preview';
import { assertNoOwnershipCollisions } from '../ownership';
import { carriedOptions, type CarriedOptions } from '../routeOptionsCarry';
import { planRoute, type RoutePlan, type RoutePlanInput } from '../routePlan';

export interface PreparedRoute {
  readonly plan: RoutePlan;
  /** The cluster as read for this plan: what the apply is guarded by. */
  readonly preview: Preview;
  /** The route options the live route had: kept in the plan, or dropped (with the reason). */
  readonly options: CarriedOptions;
}

/**
 * Plans the route, reads its objects from the cluster, and refuses (UserError naming both apps
 * and the object) when one of them belongs to another app or was not made by Fn Mesh. Then plans
 * again with the options the live route carries, so applying keeps them. Also a UserError when
 * the live route holds rules Fn Mesh did not write (they would be lost).
 */
export async function prepareRoute(client: KubeClient, input: RoutePlanInput): Promise<PreparedRoute> {
  const draft = planRoute(input);
  const { live, preview } = await readPreview(client, draft.objects);
  assertNoOwnershipCollisions(draft.app, draft.objects, live);
  const liveOf = (kinds: readonly string[]) => live[draft.objects.findIndex((o) => kinds.includes(o.kind))];
  const options = carriedOptions(
    liveOf(['VirtualService', 'HTTPRoute']),
    liveOf(['DestinationRule']),
    draft.app.versions.map((v) => v.version),
  );
  const manifest = { ...input.manifest, route: options.route, ...(options.outlier ? { outlierDetection: options.outlier } : {}) };
  // The same objects (names and kinds): the preview read for the draft holds for the plan.
  return { plan: planRoute({ ...input, manifest }), preview, options };
}
