// The state of the Traffic Routing view over time: loading, then the routed apps (with warnings
// for kinds the user may not see), or one error line. Starting the watches never rejects: every
// failure (no cluster, cluster unreachable, discovery refused) becomes the `error` state, which the
// view shows with Retry. Pure: no `vscode`.
import { describeError } from '../../common/errors';
import type { Disposable } from '../../kube/objects/types';
import type { ChangeSite } from '../routingSite';
import type { RoutedAppView } from './routingView';
import type { RoutingWatchOptions } from './routingWatch';

export type RoutingState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | {
      readonly kind: 'ready';
      readonly namespace: string;
      readonly apps: readonly RoutedAppView[];
      readonly warnings: readonly string[];
      /** The cluster and namespace shown (commands refuse a node of another site). */
      readonly site: ChangeSite;
    }
  | { readonly kind: 'error'; readonly message: string };

/** What `followRouting` needs of a cluster connection (a KubeResources and its namespace). */
export interface RoutingSource {
  readonly namespace: string;
  readonly site: ChangeSite;
  readonly resources: {
    watchRouting(namespace: string, onChange: (apps: RoutedAppView[], warnings: readonly string[]) => void, options?: RoutingWatchOptions): Promise<Disposable>;
  };
}

/**
 * Resolves the connection, starts the routing watches and publishes every state change. Resolves
 * to the watches (dispose to stop), or undefined after publishing `error`; never rejects.
 */
export async function followRouting(
  connect: () => Promise<RoutingSource>,
  publish: (state: RoutingState) => void,
  options: RoutingWatchOptions = {},
): Promise<Disposable | undefined> {
  try {
    const { resources, namespace, site } = await connect();
    return await resources.watchRouting(namespace, (apps, warnings) => publish({ kind: 'ready', namespace, apps, warnings, site }), options);
  } catch (err) {
    publish({ kind: 'error', message: describeError(err) });
    return undefined;
  }
}
