// What the routing commands use of Kubernetes, in one small interface they are given (tests give
// it a client that wraps the real one). Every method is a thin call into the module that does the
// work; API discovery is done once and kept. Pure: no `vscode`.
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { Weights } from '../weights';
import { applyObjects, type ApplyObjectsOptions, type ApplyOutcome, type RollbackPlan } from '../../kube/objects/applyObjects';
import { diffObjects, type ObjectDiff } from '../../kube/objects/diffObjects';
import { discoverRoutingApis, type RoutingApis } from './discovery';
import type { KubeClient } from '../../kube/objects/kubeClient';
import { createKubeClient } from '../../kube/objects/objectApiClient';
import { listManaged, planRemoval, removeRouting, type RemovalOutcome, type RemovalPlan } from './removal';
import { objectError } from '../../kube/objects/resourceErrors';
import { rollbackApply, type RollbackOutcome } from '../../kube/objects/rollback';
import { watchRouting, type RoutingWatchOptions } from './routingWatch';
import type { RoutedAppView } from './routingView';
import { labelNamespaceForInjection, readNamespaceInjection, type NamespaceInjection } from './sidecar';
import type { Disposable, LiveObject, ObjectRef, ObjectToWrite } from '../../kube/objects/types';
import { undoWeights, updateWeights, type WeightsChange } from './weightsUpdate';

export interface KubeResources {
  readonly client: KubeClient;
  /** `networking.istio.io` v1 if served, else v1beta1, and whether HTTPRoute is served. */
  discoverIstioVersion(): Promise<RoutingApis>;
  get(ref: ObjectRef): Promise<LiveObject | undefined>;
  /** Objects matching `labelSelector` across the kinds Fn Mesh manages. */
  list(namespace: string, labelSelector: string): Promise<LiveObject[]>;
  delete(ref: ObjectRef): Promise<boolean>;
  /** Dry-run of all, then server-side apply in a safe order (see kube/objects/applyObjects.ts). */
  apply(objects: readonly ObjectToWrite[], options?: ApplyObjectsOptions): Promise<ApplyOutcome>;
  rollback(plan: RollbackPlan): Promise<RollbackOutcome>;
  /** Live vs dry-run YAML per object, for a diff editor. */
  diff(objects: readonly ObjectToWrite[]): Promise<ObjectDiff[]>;
  updateWeights(namespace: string, app: string, weights: Weights, options?: { readonly expected?: Weights }): Promise<WeightsChange>;
  undoWeights(change: WeightsChange): Promise<WeightsChange>;
  /** The objects a removal would delete, for the confirmation. */
  planRemoval(namespace: string, app: string): Promise<RemovalPlan>;
  removeRouting(plan: RemovalPlan): Promise<RemovalOutcome>;
  /** See routingWatch.ts; rejects when API discovery fails (cluster unreachable). */
  watchRouting(namespace: string, onChange: (apps: RoutedAppView[], warnings: readonly string[]) => void, options?: RoutingWatchOptions): Promise<Disposable>;
  namespaceInjection(namespace: string): Promise<NamespaceInjection>;
  labelNamespaceForInjection(namespace: string): Promise<NamespaceInjection>;
}

export function createKubeResources(client: KubeClient): KubeResources {
  let discovered: Promise<RoutingApis> | undefined;
  const apis = (): Promise<RoutingApis> => {
    discovered ??= discoverRoutingApis(client).catch((err: unknown) => {
      discovered = undefined; // try again next time
      throw err;
    });
    return discovered;
  };
  return {
    client,
    discoverIstioVersion: apis,
    get: (ref) =>
      client.get(ref).catch((err: unknown) => {
        throw objectError(ref, err);
      }),
    list: async (namespace, labelSelector) => listManaged(client, await apis(), namespace, labelSelector),
    delete: (ref) =>
      client.delete(ref).catch((err: unknown) => {
        throw objectError(ref, err);
      }),
    apply: (objects, options) => applyObjects(client, objects, options),
    rollback: (plan) => rollbackApply(client, plan),
    diff: (objects) => diffObjects(client, objects),
    updateWeights: async (namespace, app, weights, options) => updateWeights(client, await apis(), namespace, app, weights, options),
    undoWeights: (change) => undoWeights(client, change),
    planRemoval: async (namespace, app) => planRemoval(client, await apis(), namespace, app),
    removeRouting: (plan) => removeRouting(client, plan),
    watchRouting: async (namespace, onChange, options) => watchRouting(client, await apis(), namespace, onChange, options),
    namespaceInjection: (namespace) => readNamespaceInjection(client, namespace),
    labelNamespaceForInjection: (namespace) => labelNamespaceForInjection(client, namespace),
  };
}

/** KubeResources on the real API server of `config`'s current context. */
export async function connectKubeResources(config: KubeConfig): Promise<KubeResources> {
  return createKubeResources(await createKubeClient(config));
}
