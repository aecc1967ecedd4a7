// Istio's `exportTo`: the namespaces a VirtualService, DestinationRule or ServiceEntry (spec.exportTo)
// or a Service (annotation networking.istio.io/exportTo) is visible in. `*` (or nothing) is every
// namespace, `.` the object's own, `~` none; other entries are namespace names. Cross-resource
// checks use it so that an object only meets the objects its namespace can see.
import type { Json } from './resources';
import { asArray, asRecord, asString } from './resources';

/** Every namespace, or the set of namespaces that see the object. */
export type Visibility = '*' | ReadonlySet<string>;

const visibilityCache = new WeakMap<Json, Visibility>();

/** Where `value` (an object living in `namespace`) is visible. */
export function visibility(value: Json, namespace: string): Visibility {
  const cached = visibilityCache.get(value);
  if (cached !== undefined) {
    return cached;
  }
  const spec = asRecord(value.spec);
  const fromAnnotation = asString(asRecord(asRecord(value.metadata).annotations)['networking.istio.io/exportTo']);
  const entries = Array.isArray(spec.exportTo)
    ? asArray(spec.exportTo).filter((e): e is string => typeof e === 'string')
    : fromAnnotation !== undefined
      ? fromAnnotation.split(',').map((e) => e.trim()).filter((e) => e !== '')
      : [];
  let result: Visibility;
  if (entries.length === 0 || entries.includes('*')) {
    result = '*';
  } else {
    result = new Set(entries.filter((e) => e !== '~').map((e) => (e === '.' ? namespace : e)));
  }
  visibilityCache.set(value, result);
  return result;
}

/** Whether an object (its value and namespace) is visible to objects of `namespace`. */
export function visibleIn(object: { readonly value: Json; readonly namespace: string }, namespace: string): boolean {
  const v = visibility(object.value, object.namespace);
  return v === '*' || v.has(namespace);
}

/** Whether some namespace sees both objects (only then can they conflict). */
export function visibleTogether(a: { readonly value: Json; readonly namespace: string }, b: { readonly value: Json; readonly namespace: string }): boolean {
  const [x, y] = [visibility(a.value, a.namespace), visibility(b.value, b.namespace)];
  if (x === '*') {
    return y === '*' || y.size > 0;
  }
  if (y === '*') {
    return x.size > 0;
  }
  return [...x].some((n) => y.has(n));
}
