// Removing an app's routing: exactly the objects Fn Mesh created for it (found by its labels, in
// the kinds Fn Mesh creates), listed first for a confirmation, then deleted routes first.
// Pure: no `vscode`.
import { describeError, UserError } from '../../common/errors';
import { appObjectsSelector } from '../manifests/kubeObject';
import { isDns1035Label } from '../names';
import { sortForRemoval } from '../../kube/objects/applyOrder';
import { managedTypes, type RoutingApis } from './discovery';
import type { KubeClient } from '../../kube/objects/kubeClient';
import { objectError } from '../../kube/objects/resourceErrors';
import { describeRef, refOf, type LiveObject, type ObjectRef } from '../../kube/objects/types';

export interface RemovalPlan {
  readonly namespace: string;
  readonly app: string;
  /** In deletion order; `uid` makes sure a re-created namesake is not deleted. */
  readonly objects: readonly (ObjectRef & { readonly uid?: string })[];
}

export interface RemovalOutcome {
  readonly ok: boolean;
  readonly deleted: readonly ObjectRef[];
  /** Gone before Fn Mesh got to them. */
  readonly alreadyGone: readonly ObjectRef[];
  /** The object that could not be deleted (deletion stops there: routes go first) and why. */
  readonly failed?: { readonly ref: ObjectRef; readonly error: string };
  readonly summary: string;
}

/** Every object of the kinds Fn Mesh manages in `namespace` that matches `labelSelector`. */
export async function listManaged(client: KubeClient, apis: RoutingApis, namespace: string, labelSelector: string): Promise<LiveObject[]> {
  const lists = await Promise.all(
    managedTypes(apis).map((type) =>
      client.list(type, namespace, labelSelector).catch((err: unknown) => {
        throw objectError({ ...type, namespace, name: '*' }, err, 'cannot list: ');
      }),
    ),
  );
  return lists.flat();
}

export async function planRemoval(client: KubeClient, apis: RoutingApis, namespace: string, app: string): Promise<RemovalPlan> {
  // The name goes into a label selector: only a plain label value may.
  if (!isDns1035Label(app)) {
    throw new UserError(`${JSON.stringify(app)} is not a routed app's Kubernetes name`);
  }
  const objects = sortForRemoval(await listManaged(client, apis, namespace, appObjectsSelector(app)));
  return { namespace, app, objects: objects.map((o) => ({ ...refOf(o), ...(o.metadata.uid ? { uid: o.metadata.uid } : {}) })) };
}

export async function removeRouting(client: KubeClient, plan: RemovalPlan): Promise<RemovalOutcome> {
  const deleted: ObjectRef[] = [];
  const alreadyGone: ObjectRef[] = [];
  for (const { uid, ...ref } of plan.objects) {
    try {
      const existed = await client.delete(ref, uid ? { uid } : {});
      (existed ? deleted : alreadyGone).push(ref);
    } catch (err) {
      const error = describeError(objectError(ref, err));
      const left = plan.objects.length - deleted.length - alreadyGone.length;
      return { ok: false, deleted, alreadyGone, failed: { ref, error }, summary: `Deleted ${deleted.length} object(s), then stopped with ${left} left: ${error}` };
    }
  }
  const gone = alreadyGone.length > 0 ? ` (${alreadyGone.length} already gone)` : '';
  return { ok: true, deleted, alreadyGone, summary: `Removed the routing of "${plan.app}": ${deleted.length} object(s) deleted${gone}: ${plan.objects.map(describeRef).join(', ')}.` };
}
