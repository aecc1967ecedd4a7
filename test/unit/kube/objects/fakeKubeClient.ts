// An in-memory KubeClient for unit tests of apply, preview and recovery: resourceVersions that
// move on every write, conditional writes (409 on a stale resourceVersion), server-side apply
// conflicts with a manager's Update (what a weight change leaves), failures injected per object,
// and a log of every call. It models only what those modules rely on.
import type { ApplyOptions, DeleteOptions, KubeClient } from '../../../../src/kube/objects/kubeClient';
import type { FieldsNode, LiveObject, ObjectRef, ObjectToWrite } from '../../../../src/kube/objects/types';

type Json = Record<string, unknown>;

export function kubeError(code: number, message: string, causes?: { reason: string; message: string; field: string }[]): Error & { code: number; body: string } {
  return Object.assign(new Error(message), { code, body: JSON.stringify({ kind: 'Status', code, message, ...(causes ? { details: { causes } } : {}) }) });
}

/** fieldsV1 owning every field of `value` (maps by key, anything else whole). */
function fieldsOf(value: unknown): FieldsNode {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {};
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [`f:${k}`, fieldsOf(v)]));
}

const key = (r: { kind: string; namespace?: string; name: string }): string => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

export class FakeKubeClient implements KubeClient {
  readonly store = new Map<string, LiveObject>();
  /** Objects whose fields an `Update` by this manager owns: an apply without force conflicts with it. */
  readonly updatedBy = new Map<string, string>();
  readonly calls: string[] = [];
  /** `Kind/name` → error thrown by the n-th real (not dry-run) apply of that object, counted from 1. */
  readonly failures = new Map<string, { onCall: number[]; error: () => Error }>();
  /** `Kind/name` of objects whose next delete fails (once each). */
  readonly failDeleteOnce = new Set<string>();
  private applies = new Map<string, number>();
  private rv = 100;

  servedKinds(): Promise<ReadonlySet<string> | undefined> {
    return Promise.resolve(undefined);
  }

  get(ref: ObjectRef): Promise<LiveObject | undefined> {
    const obj = this.store.get(key(ref));
    return Promise.resolve(obj && structuredClone(obj));
  }

  list(): Promise<LiveObject[]> {
    return Promise.resolve([...this.store.values()].map((o) => structuredClone(o)));
  }

  /**
   * Another client's write: `mutate` the stored object, as `manager` with an Update. `statusOnly`:
   * a controller's status write (a new resourceVersion, no field of the spec owned).
   */
  update(ref: { kind: string; namespace: string; name: string }, mutate: (obj: Json) => void, manager = 'fn-mesh', statusOnly = false): void {
    const stored = this.store.get(key(ref));
    if (!stored) {
      throw new Error(`no ${key(ref)}`);
    }
    const copy = structuredClone(stored) as Json & LiveObject;
    mutate(copy);
    const managedFields = [...(stored.metadata.managedFields ?? []), { manager, operation: 'Update', fieldsV1: {}, time: '2030-01-01T00:00:00Z' }];
    this.store.set(key(ref), { ...copy, metadata: { ...copy.metadata, resourceVersion: String(++this.rv), managedFields } });
    if (!statusOnly) {
      this.updatedBy.set(key(ref), manager);
    }
  }

  /** A status write (a controller): a new resourceVersion, same content. */
  touch(ref: { kind: string; namespace: string; name: string }): void {
    const stored = this.store.get(key(ref));
    if (stored) {
      this.store.set(key(ref), { ...stored, metadata: { ...stored.metadata, resourceVersion: String(++this.rv) } });
    }
  }

  apply(obj: ObjectToWrite, options: ApplyOptions = {}): Promise<LiveObject> {
    const id = `${obj.kind}/${obj.metadata.name}`;
    const k2 = `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`;
    this.calls.push(`${options.dryRun ? 'dry-run' : 'apply'}${options.force ? ' force' : ''} ${id}`);
    const stored = this.store.get(k2);
    const wanted = (obj.metadata as { resourceVersion?: string }).resourceVersion;
    if (wanted !== undefined && stored?.metadata.resourceVersion !== wanted) {
      return Promise.reject(kubeError(409, `Operation cannot be fulfilled on ${id}: the object has been modified`));
    }
    const owner = this.updatedBy.get(k2);
    if (owner && !options.force) {
      return Promise.reject(
        kubeError(409, 'Apply failed with 1 conflict', [{ reason: 'FieldManagerConflict', message: `conflict with "${owner}" using v1`, field: '.spec' }]),
      );
    }
    if (!options.dryRun) {
      const n = (this.applies.get(id) ?? 0) + 1;
      this.applies.set(id, n);
      const failure = this.failures.get(id);
      if (failure?.onCall.includes(n)) {
        return Promise.reject(failure.error());
      }
    }
    const { resourceVersion: _ignored, ...meta } = obj.metadata as Json;
    void _ignored;
    const body = structuredClone({ ...obj, metadata: meta }) as Json;
    const { apiVersion: _a, kind: _k, ...fields } = body;
    void _a;
    void _k;
    const fieldsV1 = fieldsOf({ ...fields, metadata: Object.fromEntries(Object.entries(meta).filter(([m]) => m !== 'name' && m !== 'namespace')) });
    const result = {
      ...body,
      metadata: { ...meta, uid: stored?.metadata.uid ?? `uid-${this.rv}`, resourceVersion: String(options.dryRun ? this.rv + 1 : ++this.rv), managedFields: [{ manager: 'fn-mesh', operation: 'Apply', fieldsV1 }] },
    } as unknown as LiveObject;
    if (!options.dryRun) {
      this.store.set(k2, result);
      this.updatedBy.delete(k2);
    }
    return Promise.resolve(structuredClone(result));
  }

  jsonPatch(): Promise<LiveObject> {
    return Promise.reject(new Error('not modelled'));
  }

  mergePatch(): Promise<LiveObject> {
    return Promise.reject(new Error('not modelled'));
  }

  delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    this.calls.push(`delete ${ref.kind}/${ref.name}`);
    if (this.failDeleteOnce.delete(`${ref.kind}/${ref.name}`)) {
      return Promise.reject(kubeError(500, 'etcdserver: request timed out'));
    }
    const stored = this.store.get(key(ref));
    if (!stored) {
      return Promise.resolve(false);
    }
    if (options.resourceVersion && stored.metadata.resourceVersion !== options.resourceVersion) {
      return Promise.reject(kubeError(409, 'the object has been modified'));
    }
    this.store.delete(key(ref));
    return Promise.resolve(true);
  }

  watch(): { dispose(): void } {
    return { dispose: () => undefined };
  }
}

/** A ConfigMap or route-like object to apply. */
export function object(kind: string, name: string, spec: Json, namespace = 'team'): ObjectToWrite & Json {
  const apiVersion = { VirtualService: 'networking.istio.io/v1', DestinationRule: 'networking.istio.io/v1', Deployment: 'apps/v1' }[kind] ?? 'v1';
  const metadata = { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'fn-mesh' } };
  return { apiVersion, kind, metadata, spec };
}
