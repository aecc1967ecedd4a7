// Follows the configured weights of one routed app from the routing service's watch, as the
// sampler's WeightsSource: a change in the cluster (Adjust Weights, a rollout step, another client)
// reaches the statistics, which restart their verdict window.
import type { RoutedAppView } from '../../routing/cluster/routingView';
import type { RoutingService } from '../../routing/ui/routingService';
import type { Weights, WeightsSource } from '../samplerStats';

export const weightsOfView = (view: RoutedAppView): Weights => Object.fromEntries(view.versions.map((v) => [v.version, v.weight]));

const sameWeights = (a: Weights, b: Weights): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

/** The latest view of the app in the routing service's snapshot, if it is there. */
export function findApp(routing: RoutingService, namespace: string, appName: string): RoutedAppView | undefined {
  const s = routing.snapshot;
  return s.kind === 'ready' && s.namespace === namespace ? s.apps.find((a) => a.appName === appName) : undefined;
}

export function followRouteWeights(routing: RoutingService, view: RoutedAppView): WeightsSource {
  let last = weightsOfView(findApp(routing, view.namespace, view.appName) ?? view);
  routing.start();
  return {
    current: () => last,
    onDidChange: (listener) =>
      routing.onDidChange(() => {
        const app = findApp(routing, view.namespace, view.appName);
        if (!app) {
          return;
        }
        const next = weightsOfView(app);
        if (!sameWeights(next, last)) {
          last = next;
          listener(next);
        }
      }),
  };
}
