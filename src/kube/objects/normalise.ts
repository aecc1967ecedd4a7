// Objects as a person compares them in a diff editor: without the bookkeeping the API server adds
// (managedFields, resourceVersion, uid, timestamps, generation, status), with apiVersion, kind and
// metadata first, as YAML. Pure: no `vscode`.
import { toYaml } from './yaml';
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
  const copy: Record<string, unknown> = structuredClone(obj);
  delete copy.status;
  // name and namespace first: the server sorts a custom resource's keys alphabetically.
  const { name, namespace, ...others } = obj.metadata;
  const meta: Record<string, unknown> = { name, namespace, ...others };
  for (const key of serverMetadata) {
    delete meta[key];
  }
  if (meta.namespace === undefined) {
    delete meta.namespace;
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
  // apiVersion, kind and metadata first, as in any manifest.
  return { apiVersion: obj.apiVersion, kind: obj.kind, ...copy, metadata: meta };
}

/** YAML of the normalised object; the empty string for an object that does not exist. */
export function diffText(obj: LiveObject | undefined): string {
  const normalised = normaliseForDiff(obj);
  return normalised ? toYaml([normalised]) : '';
}
