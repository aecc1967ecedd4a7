// Live routing of a namespace from Kubernetes watches (no polling): the VirtualServices (and
// HTTPRoutes), DestinationRules, proxy Deployments and their pods that Fn Mesh manages, joined
// into the tree's view model whenever one of them changes. Pure: no `vscode`.
import { managedByLabel, managedByValue } from '../manifests/kubeObject';
import { deploymentType, httpRouteType, istioType, podType, type RoutingApis } from './discovery';
import type { KubeClient } from '../../kube/objects/kubeClient';
import { joinRouting, type RoutedAppView } from './routingView';
import type { Disposable, LiveObject, ResourceType } from '../../kube/objects/types';
import { describeKubeError, kubeStatusCode } from '../../kube/kubeErrors';

export interface RoutingWatchOptions {
  /** A watch failed and is retried after `retryInMs` (the view keeps its last state meanwhile). */
  readonly onError?: (err: unknown, retryInMs: number, type: ResourceType) => void;
  /** Changes within this time make one update (default 50 ms). */
  readonly debounceMs?: number;
}

type Source = 'virtualServices' | 'httpRoutes' | 'destinationRules' | 'deployments' | 'pods';

/**
 * Calls `onChange` with the routed apps of `namespace` once every watch has listed, then after
 * every change. A kind the user may not list (RBAC 403) counts as empty, with a warning (one line
 * per kind, the API server's reason) in `warnings`, and the rest is shown; its watch keeps
 * retrying, so a later grant clears the warning. Dispose to stop the watches.
 */
export function watchRouting(
  client: KubeClient,
  apis: RoutingApis,
  namespace: string,
  onChange: (apps: RoutedAppView[], warnings: readonly string[]) => void,
  options: RoutingWatchOptions = {},
): Disposable {
  const selector = `${managedByLabel}=${managedByValue}`;
  const sources = new Map<Source, ResourceType>();
  const virtualServices = istioType(apis, 'VirtualService');
  const destinationRules = istioType(apis, 'DestinationRule');
  if (virtualServices && destinationRules) {
    sources.set('virtualServices', virtualServices).set('destinationRules', destinationRules);
  }
  if (apis.httpRoute) {
    sources.set('httpRoutes', httpRouteType);
  }
  sources.set('deployments', deploymentType).set('pods', podType);

  const latest = new Map<Source, readonly LiveObject[]>();
  const forbidden = new Map<Source, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const publish = (): void => {
    timer = undefined;
    if (disposed || latest.size < sources.size) {
      return; // not every watch has listed yet: a partial view would flicker
    }
    const get = (s: Source): readonly LiveObject[] => latest.get(s) ?? [];
    const apps = joinRouting({ routes: [...get('virtualServices'), ...get('httpRoutes')], destinationRules: get('destinationRules'), deployments: get('deployments'), pods: get('pods') });
    onChange(apps, [...forbidden.values()]);
  };
  const schedule = (): void => {
    timer ??= setTimeout(publish, options.debounceMs ?? 50);
  };
  /** The first complete view goes out at once (the last watch has just listed); later changes are debounced. */
  const deliver = (wasIncomplete: boolean): void => {
    if (wasIncomplete && latest.size === sources.size) {
      clearTimeout(timer);
      publish();
    } else {
      schedule();
    }
  };

  const watches = [...sources].map(([source, type]) =>
    client.watch(type, namespace, selector, {
      onChange(items) {
        const first = latest.size < sources.size;
        latest.set(source, items);
        forbidden.delete(source);
        deliver(first);
      },
      onError(err, retryInMs) {
        if (kubeStatusCode(err) === 403) {
          // Not allowed to see this kind: show the rest, say what is missing.
          const first = latest.size < sources.size;
          latest.set(source, []);
          forbidden.set(source, `${type.kind} not shown: ${describeKubeError(err)}`);
          deliver(first);
        }
        options.onError?.(err, retryInMs, type);
      },
    }),
  );
  return {
    dispose() {
      disposed = true;
      if (timer) {
        clearTimeout(timer);
      }
      for (const w of watches) {
        w.dispose();
      }
    },
  };
}
