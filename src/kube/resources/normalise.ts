// Objects as a person compares them in a diff editor: without the bookkeeping the API server adds
// (managedFields, resourceVersion, uid, timestamps, generation, status), with apiVersion, kind and
// metadata first, as YAML. Pure: no `vscode`.
import { toYaml } from '../../routing/yaml';
import type { LiveObject } from './types';

/** Metadata fields the server maintains; they differ between any two reads and mean nothing in a diff. */
const serverMetadata = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink'];
/** Annotations written by tools as bookkeeping. */
const bookkeepingAnnotations = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision'];

/** A copy of `obj` without server bookkeeping and status; undefined stays undefined. */
export function normaliseForDiff(obj: LiveObject | undefined): Record<string, unknown> | undefined {
  if (!obj) {
    return undefined;
  }
  const { apiVersion, kind, metadata, status: _status, ...rest } = structuredClone(obj) as LiveObject & { status?: unknown };
  const meta: Record<string, unknown> = { ...metadata };
  for (const key of serverMetadata) {
    delete meta[key];
  }
  if (meta.annotations) {
    const annotations = { ...(meta.annotations as Record<string, string>) };
    for (const key of bookkeepingAnnotations) {
      delete annotations[key];
    }
    if (Object.keys(annotations).length === 0) {
      delete meta.annotations;
    } else {
      meta.annotations = annotations;
    }
  }
  return { apiVersion, kind, metadata: meta, ...rest };
}

/** YAML of the normalised object; the empty string for an object that does not exist. */
export function diffText(obj: LiveObject | undefined): string {
  const normalised = normaliseForDiff(obj);
  return normalised ? toYaml([normalised]) : '';
}
