// Route Traffic's plan as it meets the cluster: the objects are read once, for the preview the
// apply is guarded by; objects that belong to another app refuse the plan before anything is
// shown or applied. Pure: no `vscode`.
import type { KubeClient } from '../../kube/objects/kubeClient';
import { readPreview, type Preview } from '../../kube/objects/preview';
import { assertNoOwnershipCollisions } from '../ownership';
import { planRoute, type RoutePlan, type RoutePlanInput } from '../routePlan';

export interface PreparedRoute {
  readonly plan: RoutePlan;
  /** The cluster as read for this plan: what the apply is guarded by. */
  readonly preview: Preview;
}

/**
 * Plans the route, reads its objects from the cluster, and refuses (UserError naming both apps
 * and the object) when one of them belongs to another app or was not made by Fn Mesh.
 */
export async function prepareRoute(client: KubeClient, input: RoutePlanInput): Promise<PreparedRoute> {
  const plan = planRoute(input);
  const { live, preview } = await readPreview(client, plan.objects);
  assertNoOwnershipCollisions(plan.app, plan.objects, live);
  return { plan, preview };
}
