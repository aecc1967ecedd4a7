// Plain shapes of Kubernetes objects as the API server sends them (JSON, no client-node model
// classes), and references to them. Pure: no `vscode`, no client-node at runtime.

/** An API group/version and kind, e.g. `networking.istio.io/v1` `VirtualService`. */
export interface ResourceType {
  readonly apiVersion: string;
  readonly kind: string;
}

/** One namespaced object. */
export interface ObjectRef extends ResourceType {
  readonly namespace: string;
  readonly name: string;
}

/** A node of a `fieldsV1` set: keys `f:<field>`, `k:<json keys>`, `v:<json value>`, `i:<index>`, `.`. */
export interface FieldsNode {
  readonly [key: string]: FieldsNode;
}

export interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: string;
  readonly apiVersion?: string;
  readonly fieldsType?: string;
  readonly fieldsV1?: FieldsNode;
  readonly subresource?: string;
  readonly time?: string;
}

export interface LiveMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly resourceVersion?: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly managedFields?: readonly ManagedFieldsEntry[];
  readonly [key: string]: unknown;
}

/** An object as read from (or sent to) the API server: plain JSON. */
export interface LiveObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: LiveMeta;
  readonly [key: string]: unknown;
}

/** The least an object to write must have (generated manifests satisfy it). */
export interface ObjectToWrite {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
}

export type JsonPatchOperation =
  | { readonly op: 'test' | 'replace' | 'add'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string };

export interface Disposable {
  dispose(): void;
}

export function refOf(obj: ObjectToWrite | LiveObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name };
}

/** `VirtualService hello/hello-app` (`Namespace hello`): how messages name an object. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Same group, kind, namespace and name (the version may differ: it is one object). */
export function sameObject(a: ObjectRef, b: ObjectRef): boolean {
  return groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/** The API group of `apps/v1` is `apps`; of `v1` the core group ``. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** JSON Pointer escaping of one path segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}
