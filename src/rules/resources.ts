// Reading Kubernetes objects as plain, untrusted values: identification by apiVersion/kind and
// small accessors that never throw, whatever shape a half-typed document has.

export type Json = Record<string, unknown>;

export const istioNetworking = 'networking.istio.io';
export const gatewayApi = 'gateway.networking.k8s.io';
export const legacyIstioConfig = 'config.istio.io';

export interface ResourceRef {
  readonly apiVersion: string;
  /** API group ('' for the core group, as in `v1`). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string | undefined;
  /** metadata.namespace as written (undefined when the file leaves it to the context). */
  readonly namespace: string | undefined;
}

export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asRecord(value: unknown): Json {
  return isRecord(value) ? value : {};
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** String-to-string map (labels, selectors); entries with other value types are skipped. */
export function asStringMap(value: unknown): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(value))) {
    if (typeof v === 'string') {
      out[k] = v;
    }
  }
  return out;
}

/** apiVersion/kind/name/namespace of a Kubernetes object, or undefined when it is not one. */
export function resourceRef(value: unknown): ResourceRef | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const apiVersion = asString(value.apiVersion);
  const kind = asString(value.kind);
  if (!apiVersion || !kind) {
    return undefined;
  }
  const slash = apiVersion.lastIndexOf('/');
  const metadata = asRecord(value.metadata);
  return {
    apiVersion,
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: apiVersion.slice(slash + 1),
    kind,
    name: asString(metadata.name),
    namespace: asString(metadata.namespace),
  };
}

export function isIstio(ref: ResourceRef | undefined, kind: 'VirtualService' | 'DestinationRule' | 'Gateway'): boolean {
  return ref?.group === istioNetworking && ref.kind === kind;
}
