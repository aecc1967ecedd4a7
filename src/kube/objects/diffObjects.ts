// For a diff editor: each object as it is in the cluster (or nothing) and as the server would make
// it (a server-side dry-run of Fn Mesh's apply), both normalised to YAML. Pure: no `vscode`.
import { describeError } from '../../common/errors';
import { applyAsFnMesh } from './applyObjects';
import { sortForApply } from './applyOrder';
import type { KubeClient } from './kubeClient';
import { diffText } from './normalise';
import { refOf, type ObjectRef, type ObjectToWrite } from './types';

export interface ObjectDiff {
  readonly ref: ObjectRef;
  /** The live object as YAML; empty when it does not exist. */
  readonly live: string;
  /** The dry-run result as YAML; empty when the dry-run failed. */
  readonly proposed: string;
  readonly change: 'create' | 'update' | 'none' | 'error';
  /** Why the dry-run failed (`change: 'error'`). */
  readonly error?: string;
}

export function diffObjects(client: KubeClient, objects: readonly ObjectToWrite[]): Promise<ObjectDiff[]> {
  return Promise.all(
    sortForApply(objects).map(async (obj): Promise<ObjectDiff> => {
      const ref = refOf(obj);
      let live = '';
      try {
        live = diffText(await client.get(ref));
        const proposed = diffText(await applyAsFnMesh(client, obj, true));
        return { ref, live, proposed, change: live === '' ? 'create' : live === proposed ? 'none' : 'update' };
      } catch (err) {
        return { ref, live, proposed: '', change: 'error', error: describeError(err) };
      }
    }),
  );
}
