// What the user saw before an apply: for each object, its resourceVersion and content when it was
// read for the preview (YAML, diff, confirmation), or that it did not exist. An apply given a
// preview refuses every object that someone changed since (another Fn Mesh user included, since
// all of them share one field manager), and writes each one conditionally on the resourceVersion
// it checked, so nobody's change is lost in between either. Pure: no `vscode`.
import type { KubeClient } from './kubeClient';
import { jsonEqual } from './managedFields';
import { normaliseForDiff } from './normalise';
import { objectError } from './resourceErrors';
import { describeRef, groupOf, refOf, type LiveObject, type ObjectRef, type ObjectToWrite } from './types';

/** One object as previewed: `null` when it did not exist. */
export type PreviewedState = { readonly resourceVersion: string; readonly content: Record<string, unknown> } | null;

/** Previewed states by `refKey`; objects missing from the map are not guarded. */
export type Preview = ReadonlyMap<string, PreviewedState>;

/** `group/Kind/namespace/name`: one object whatever apiVersion it is read with. */
export function refKey(ref: ObjectRef): string {
  return `${groupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** The state to record for `live` (undefined: it does not exist). */
export function previewedState(live: LiveObject | undefined): PreviewedState {
  return live ? { resourceVersion: live.metadata.resourceVersion ?? '', content: normaliseForDiff(live) ?? {} } : null;
}

/** A preview of the given reads. */
export function previewOf(reads: readonly { readonly ref: ObjectRef; readonly live: LiveObject | undefined }[]): Preview {
  return new Map(reads.map((r) => [refKey(r.ref), previewedState(r.live)]));
}

/** The field manager that wrote the object last (main resource first; status writers only if nothing else). */
export function lastWriter(obj: LiveObject): string {
  const entries = [...(obj.metadata.managedFields ?? [])].sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  const main = entries.filter((e) => !e.subresource);
  return (main.length > 0 ? main : entries).at(-1)?.manager ?? 'another client';
}

/**
 * Why `live` (read just now) is no longer what was previewed, or undefined when it is the same.
 * A new resourceVersion whose content is unchanged (a controller's status update) is the same.
 */
export function changedSincePreview(ref: ObjectRef, previewed: PreviewedState, live: LiveObject | undefined): string | undefined {
  const again = 'Nothing was written: preview again to see the change, then apply';
  if (previewed === null) {
    return live ? `${describeRef(ref)} was created by "${lastWriter(live)}" since your preview. ${again}` : undefined;
  }
  if (!live) {
    return `${describeRef(ref)} was deleted since your preview. ${again}`;
  }
  if (live.metadata.resourceVersion === previewed.resourceVersion || jsonEqual(normaliseForDiff(live), previewed.content)) {
    return undefined;
  }
  return `${describeRef(ref)} was changed by "${lastWriter(live)}" since your preview. ${again}`;
}

/**
 * Why `given` may not be written, when the document carries its own metadata.resourceVersion (a
 * precondition: it was written against that version of the object, e.g. a saved read or an old
 * preview) and the object as read for the preview (`previewed`) is at another one, or gone.
 * Undefined when the document carries none, when it holds, or when the object was not read.
 * The apply after the preview is then guarded by that read, so nothing changes in between either.
 */
export function staleDocumentVersion(given: ObjectToWrite, previewed: PreviewedState | undefined): string | undefined {
  const carried = (given.metadata as { resourceVersion?: unknown }).resourceVersion;
  if (carried === undefined || carried === null || carried === '' || previewed === undefined) {
    return undefined;
  }
  const wanted = typeof carried === 'string' ? carried : JSON.stringify(carried);
  const what = describeRef(refOf(given));
  const todo =
    'Nothing was written. Re-open the object (or run again the command that made this document) to start from the current version; ' +
    'or remove metadata.resourceVersion from the document to apply it over that change on purpose';
  if (previewed === null) {
    return `${what} no longer exists in the cluster, but the document was written against its resourceVersion "${wanted}". ${todo}.`;
  }
  if (previewed.resourceVersion === wanted) {
    return undefined;
  }
  return `${what} is at resourceVersion "${previewed.resourceVersion}" in the cluster, but the document was written against resourceVersion "${wanted}": it was changed since. ${todo}.`;
}

/** Reads every object (side by side): the live objects, in the order given, and their preview. */
export async function readPreview(
  client: KubeClient,
  objects: readonly ObjectToWrite[],
): Promise<{ readonly live: readonly (LiveObject | undefined)[]; readonly preview: Preview }> {
  const reads = await Promise.all(
    objects.map(async (obj) => {
      const ref = refOf(obj);
      return { ref, live: await client.get(ref).catch((err: unknown) => Promise.reject(objectError(ref, err))) };
    }),
  );
  return { live: reads.map((r) => r.live), preview: previewOf(reads) };
}
