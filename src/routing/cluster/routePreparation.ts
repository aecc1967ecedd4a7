// Route Traffic's plan as it meets the cluster: the objects are read once, for the preview the
// apply is guarded by; objects that belong to another app refuse the plan before anything is
// shown or applied; the live route's options are carried into the new plan (routeOptionsCarry).
// Before that, the live route's weights and ingress gateway exposure are read, so the questions
// start from where the app is now. Pure: no `vscode`.
import type { KubeClient } from '../../kube/objects/kubeClient';
import { readPreview, type Preview } from '../../kube/objects/preview';
import { assertNoOwnershipCollisions } from '../ownership';
import { boundGateways, findGatewayExposure, type GatewayExposure } from '../gatewayExposure';
import type { LiveObject } from '../../kube/objects/types';
import { carriedOptions, type CarriedOptions } from '../routeOptionsCarry';
import type { Weights } from '../weights';
import { httpRouteType, istioType, type RoutingApis } from './discovery';
import { readWeightedRoute, routeWeights } from './routeWeights';
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

/** Where an app's route stands before Route Traffic asks anything. */
export interface LiveRouting {
  /** The route's weights now; undefined when the app is not routed (or its weighted route is unreadable). */
  readonly weights?: Weights;
  /** Where its VirtualService answers on an ingress gateway now; undefined: inside the mesh only. */
  readonly exposure?: GatewayExposure;
}

/**
 * Reads the route Route Traffic would rewrite (`appName`, the Kubernetes name, in `namespace`):
 * the VirtualService when the cluster serves Istio, else the HTTPRoute; and the Gateways the
 * VirtualService names, for its exposure.
 */
export async function readLiveRouting(client: KubeClient, apis: RoutingApis, namespace: string, appName: string): Promise<LiveRouting> {
  const type = istioType(apis, 'VirtualService') ?? (apis.httpRoute ? httpRouteType : undefined);
  const route = type ? await client.get({ ...type, namespace, name: appName }) : undefined;
  if (!route) {
    return {};
  }
  let weights: Weights | undefined;
  try {
    weights = routeWeights(readWeightedRoute(route));
  } catch {
    // Not a weighted route Fn Mesh can read: the questions start from an even split; the plan says why it refuses.
  }
  const gatewayType = istioType(apis, 'Gateway');
  const refs = gatewayType && route.kind === 'VirtualService' ? boundGateways(route).map((ref) => ({ ...gatewayType, ...ref })) : [];
  const gateways: LiveObject[] = [];
  for (const ref of refs) {
    const gateway = await client.get(ref);
    if (gateway) {
      gateways.push(gateway);
    }
  }
  const exposure = findGatewayExposure(route, gateways);
  return { ...(weights ? { weights } : {}), ...(exposure ? { exposure } : {}) };
}
