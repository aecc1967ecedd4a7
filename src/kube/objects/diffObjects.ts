// For a diff editor: each object as it is in the cluster (or nothing) and as the server would make
// it (a server-side dry-run of Fn Mesh's apply), both normalised to YAML. Pure: no `vscode`.
import { describeError } from '../../common/errors';
import { applyAsFnMesh, guardedBy } from './applyObjects';
import { sortForApply } from './applyOrder';
import type { KubeClient } from './kubeClient';
import { diffText } from './normalise';
import { previewedState, refKey, staleDocumentVersion, type Preview, type PreviewedState } from './preview';
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
  /** The live object as read for this diff: what an apply after it is guarded by. */
  readonly previewed?: PreviewedState;
}

/** The preview the user saw in these diffs (objects that could not be read are not guarded). */
export function previewOfDiffs(diffs: readonly ObjectDiff[]): Preview {
  return new Map(diffs.filter((d) => d.previewed !== undefined).map((d) => [refKey(d.ref), d.previewed ?? null]));
}

/**
 * Why `objects` may not be applied over the cluster as `diffs` read it: one sentence per object
 * whose document carries a metadata.resourceVersion the object is no longer at (or that is gone).
 * The diff's dry-run and the apply are guarded by that read instead (guardedBy), so the document's
 * own resourceVersion must be checked against it here, or an old document would overwrite newer changes.
 */
export function staleObjects(objects: readonly ObjectToWrite[], diffs: readonly ObjectDiff[]): string[] {
  const read = new Map(diffs.map((d) => [refKey(d.ref), d.previewed]));
  return objects.map((o) => staleDocumentVersion(o, read.get(refKey(refOf(o))))).filter((m): m is string => m !== undefined);
}

export function diffObjects(client: KubeClient, objects: readonly ObjectToWrite[]): Promise<ObjectDiff[]> {
  return Promise.all(
    sortForApply(objects).map(async (obj): Promise<ObjectDiff> => {
      const ref = refOf(obj);
      let live = '';
      let previewed: PreviewedState | undefined;
      try {
        const current = await client.get(ref);
        live = diffText(current);
        previewed = previewedState(current);
        // Guarded by what was just read, as the apply after this preview will be.
        const proposed = diffText(await applyAsFnMesh(client, guardedBy(obj, current), true));
        return { ref, live, proposed, change: live === '' ? 'create' : live === proposed ? 'none' : 'update', previewed };
      } catch (err) {
        return { ref, live, proposed: '', change: 'error', error: describeError(err), ...(previewed !== undefined ? { previewed } : {}) };
      }
    }),
  );
}
