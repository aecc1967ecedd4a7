// The few generic Kubernetes operations Fn Mesh's routing needs, on any apiVersion/kind (core
// objects, Istio CRDs, Gateway API). Commands and tests are given this interface; the real one is
// `createKubeClient` (objectApiClient.ts). Pure: no `vscode`.
import type { Disposable, JsonPatchOperation, LiveObject, ObjectRef, ObjectToWrite, ResourceType } from './types';

/** The field manager of everything Fn Mesh writes (server-side apply and updates). */
export const fieldManager = 'fn-mesh';

export interface ApplyOptions {
  /** Server-side dry-run: the server validates and answers with the result, and stores nothing. */
  readonly dryRun?: boolean;
  /** Take over fields other managers own. Only ever used to take back Fn Mesh's own fields. */
  readonly force?: boolean;
}

export interface DeleteOptions {
  /** Delete only if the object is still at this resourceVersion (else a 409 Conflict). */
  readonly resourceVersion?: string;
  /** Delete only if the object is still this one (not a namesake created since). */
  readonly uid?: string;
}

export interface WatchListener {
  /** The complete current list, after the first list and after every change (bursts coalesced). */
  onChange(items: readonly LiveObject[]): void;
  /** The watch failed; it is restarted after `retryInMs`. */
  onError?(err: unknown, retryInMs: number): void;
}

export interface KubeClient {
  /** Kinds the API server serves in `groupVersion` (`v1`, `apps/v1`, ...); undefined if it serves none. */
  servedKinds(groupVersion: string): Promise<ReadonlySet<string> | undefined>;
  /** The object, or undefined if it does not exist. */
  get(ref: ObjectRef): Promise<LiveObject | undefined>;
  list(type: ResourceType, namespace: string, labelSelector?: string): Promise<LiveObject[]>;
  /** Server-side apply under `fieldManager`. `metadata.resourceVersion` in `obj` makes it conditional. */
  apply(obj: ObjectToWrite, options?: ApplyOptions): Promise<LiveObject>;
  /** An RFC 6902 JSON patch (an update under `fieldManager`); atomic: all operations or none. */
  jsonPatch(ref: ObjectRef, operations: readonly JsonPatchOperation[]): Promise<LiveObject>;
  /** An RFC 7386 JSON merge patch under `fieldManager`. */
  mergePatch(ref: ObjectRef, patch: object): Promise<LiveObject>;
  /** Deletes the object; false if it did not exist. */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<boolean>;
  /** List + watch with reconnects (bounded backoff) until disposed. */
  watch(type: ResourceType, namespace: string, labelSelector: string | undefined, listener: WatchListener): Disposable;
}
