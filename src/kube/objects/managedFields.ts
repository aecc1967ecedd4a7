// What one field manager set on an object, read back from `metadata.managedFields` (fieldsV1):
// the configuration that manager would have to apply to get exactly its fields. Rollback
// re-applies it; undo and rollback compare it to see whether someone else changed those fields.
// Pure: no `vscode`.
//
// fieldsV1 keys: `f:<name>` a field of a map/struct, `k:<json>` a list item by its key fields,
// `v:<json>` a set item by value, `i:<n>` a list item by index, `.` the node itself. A node
// without children owns the whole value (scalars, atomic lists and maps).
import type { FieldsNode, LiveObject, ObjectToWrite } from './types';

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Union of field sets (several managedFields entries of one manager). */
export function unionFields(sets: readonly FieldsNode[]): FieldsNode {
  const out: Record<string, FieldsNode> = {};
  for (const set of sets) {
    for (const [key, child] of Object.entries(set)) {
      const existing = out[key];
      out[key] = existing ? unionFields([existing, child]) : child;
    }
  }
  return out;
}

function parseKey(key: string): unknown {
  try {
    return JSON.parse(key.slice(2)) as unknown;
  } catch {
    return undefined;
  }
}

/** True when `item` has every key field of `keys` with the same value. */
function matchesKeys(item: unknown, keys: unknown): boolean {
  return isMap(item) && isMap(keys) && Object.entries(keys).every(([k, v]) => jsonEqual(item[k], v));
}

/** The parts of `value` that `node` names. */
export function extractFields(value: unknown, node: FieldsNode): unknown {
  const keys = Object.keys(node).filter((k) => k !== '.');
  if (keys.length === 0) {
    return clone(value);
  }
  if (Array.isArray(value)) {
    const picked: unknown[] = [];
    value.forEach((item: unknown, index) => {
      for (const key of keys) {
        const child = node[key] ?? {};
        if (key.startsWith('k:')) {
          const keyFields = parseKey(key);
          if (matchesKeys(item, keyFields)) {
            // The key fields identify the item in an apply, owned or not.
            picked.push({ ...(keyFields as Record<string, unknown>), ...(extractFields(item, child) as Record<string, unknown>) });
          }
        } else if (key.startsWith('v:')) {
          if (jsonEqual(item, parseKey(key))) {
            picked.push(clone(item));
          }
        } else if (key === `i:${index}`) {
          picked.push(extractFields(item, child));
        }
      }
    });
    return picked;
  }
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const name = key.slice(2);
      if (key.startsWith('f:') && name in value) {
        out[name] = extractFields(value[name], node[key] ?? {});
      }
    }
    return out;
  }
  return clone(value);
}

/** The union of the fields `manager` owns on the main resource (any operation; not on subresources). */
export function fieldsOwnedBy(obj: LiveObject, manager: string): FieldsNode {
  const sets = (obj.metadata.managedFields ?? [])
    .filter((e) => e.manager === manager && !e.subresource && e.fieldsV1)
    .map((e) => e.fieldsV1 as FieldsNode);
  return unionFields(sets);
}

/**
 * The configuration `manager` applied to `obj`: apiVersion, kind, name, namespace and the fields
 * it owns, with their current values. Applying it (as that manager) changes nothing; applying it
 * after a later apply restores what that manager had set before.
 */
export function appliedConfiguration(obj: LiveObject, manager: string): ObjectToWrite & Record<string, unknown> {
  const fields = fieldsOwnedBy(obj, manager);
  // At the root an empty set means "owns nothing", not "owns the whole value".
  const owned = Object.keys(fields).length > 0 ? (extractFields(obj, fields) as Record<string, unknown>) : {};
  const metadata = isMap(owned.metadata) ? owned.metadata : {};
  // apiVersion, kind and metadata first, as in any manifest.
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    ...owned,
    metadata: { ...metadata, name: obj.metadata.name, namespace: obj.metadata.namespace ?? '' },
  };
}
