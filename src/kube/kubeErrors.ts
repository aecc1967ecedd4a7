// Turns client-node failures into one line: the API server's own Status message where there is
// one (403 from RBAC, 409 conflicts, 422 validation), and plain words for transport failures. Pure.
import { describeError } from '../common/errors';

export interface KubeStatus {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: { causes?: { field?: string; message?: string; reason?: string }[] };
}

/** The HTTP status of a client-node ApiException, if `err` is one. */
export function kubeStatusCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The Kubernetes Status object carried by an ApiException body, if any. */
export function kubeStatus(err: unknown): KubeStatus | undefined {
  const body = (err as { body?: unknown } | undefined)?.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed === 'object' && parsed !== null && (parsed as { kind?: unknown }).kind === 'Status') {
    return parsed;
  }
  return undefined;
}

export function describeKubeError(err: unknown, server?: string): string {
  const code = kubeStatusCode(err);
  const status = kubeStatus(err);
  if (code !== undefined) {
    const message = status?.message ?? `HTTP ${code}`;
    switch (code) {
      case 401:
        return `unauthorized: the API server rejected the credentials (expired or invalid token?): ${message}`;
      case 403:
        return `forbidden: ${message}`;
      default:
        return message;
    }
  }
  const text = describeError(err);
  return server ? `cannot reach the Kubernetes API server at ${server}: ${text}` : text;
}
