// Decides which Fn server the extension talks to and builds its client. Pure: no `vscode`.
import { UserError, describeError } from '../common/errors';
import { bearer, splitUrlCredentials } from './credentials';
import { resolveFnEndpoint, normaliseUrl, type FnEndpoint } from './endpoint';
import { FnHttpClient, type FnClient } from './fnClient';

export interface FnSettings {
  readonly apiUrl?: string;
  readonly invokeUrl?: string;
  readonly requestTimeoutSeconds: number;
}

export type FnConnectionState =
  | {
      readonly kind: 'connected';
      readonly endpoint: FnEndpoint;
      readonly client: FnClient;
      /** Base URL of invocations, without user:password (those are in `invokeAuthorization`). */
      readonly invokeBase?: string;
      /** `Authorization` for invocations at `invokeBase`, when its URL carried user:password. */
      readonly invokeAuthorization?: string;
      /** Where pods in the cluster reach the Fn lb, when Fn was found in the cluster. */
      readonly inClusterInvokeUrl?: string;
      /** Releases what the connection holds open (port-forwards). */
      readonly close?: () => Promise<void>;
    }
  | { readonly kind: 'none'; readonly looked: readonly string[] }
  | {
      readonly kind: 'invalid';
      readonly message: string;
      /** What failed, as a view label; absent for a misconfigured endpoint. */
      readonly failed?: 'cluster discovery';
    };

/** An Fn server reached some other way (found in the cluster), tried after the fn CLI's sources. */
export interface DiscoveredFn {
  readonly apiUrl: string;
  readonly invokeUrl?: string;
  readonly inClusterInvokeUrl?: string;
  readonly origin: string;
  close(): Promise<void>;
}

/** How long looking for Fn in the cluster may take, unless the caller says (ms). */
export const defaultDiscoveryTimeoutMs = 20_000;

export interface ConnectOptions {
  /** Fn found some other way (in the cluster), tried after the fn CLI's sources. */
  readonly discover?: () => Promise<DiscoveredFn | undefined>;
  /** Time limit of `discover` in ms (default `defaultDiscoveryTimeoutMs`). */
  readonly discoveryTimeoutMs?: number;
  /** The token stored for an Fn API origin (VS Code's secret storage); wins over every other credential. */
  readonly storedToken?: (apiUrl: string) => Promise<string | undefined>;
}

/**
 * The Fn server to talk to: the fn CLI's sources (see endpoint.ts), else `discover` (Fn found in
 * the cluster), bounded by `discoveryTimeoutMs`; never rejects. A discovery that answers after the
 * time limit has its tunnels closed.
 */
export async function connectFn(
  settings: FnSettings,
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
  options: ConnectOptions = {},
): Promise<FnConnectionState> {
  const { discover, discoveryTimeoutMs = defaultDiscoveryTimeoutMs } = options;
  let invokeBase: string | undefined;
  let invokeAuthorization: string | undefined;
  if (settings.invokeUrl?.trim()) {
    const n = normaliseUrl(settings.invokeUrl);
    if ('error' in n) {
      return { kind: 'invalid', message: `Setting fnMesh.fn.invokeUrl: ${n.error}` };
    }
    ({ url: invokeBase, authorization: invokeAuthorization } = splitUrlCredentials(n.url));
  }
  const timeoutMs = settings.requestTimeoutSeconds * 1000;
  const authorization = async (endpoint: FnEndpoint): Promise<string | undefined> => {
    const stored = await options.storedToken?.(endpoint.apiUrl);
    return stored ? bearer(stored) : endpoint.authorization;
  };
  const resolution = await resolveFnEndpoint({ settingUrl: settings.apiUrl, env, homeDir });
  if (resolution.kind === 'resolved') {
    const endpoint = withAuthorization(resolution.endpoint, await authorization(resolution.endpoint));
    const client = new FnHttpClient(endpoint.apiUrl, { timeoutMs, authorization: endpoint.authorization });
    return { kind: 'connected', endpoint, client, invokeBase, invokeAuthorization };
  }
  if (resolution.kind === 'invalid' || !discover) {
    return resolution;
  }
  let found: DiscoveredFn | undefined;
  try {
    found = await withTimeout(discover(), discoveryTimeoutMs, (late) => void late?.close());
  } catch (err) {
    return { kind: 'invalid', failed: 'cluster discovery', message: `no Fn endpoint configured, and looking for Fn in the cluster failed: ${describeError(err)}` };
  }
  if (!found) {
    return { kind: 'none', looked: [...resolution.looked, 'Fn services in the Kubernetes cluster'] };
  }
  const discovered: FnEndpoint = { apiUrl: found.apiUrl, source: 'cluster', origin: found.origin, registry: env.FN_REGISTRY || undefined };
  const endpoint = withAuthorization(discovered, await authorization(discovered));
  return {
    kind: 'connected',
    endpoint,
    client: new FnHttpClient(found.apiUrl, { timeoutMs, authorization: endpoint.authorization }),
    invokeBase: invokeBase ?? found.invokeUrl,
    invokeAuthorization,
    inClusterInvokeUrl: found.inClusterInvokeUrl,
    close: () => found.close(),
  };
}

function withAuthorization(endpoint: FnEndpoint, authorization: string | undefined): FnEndpoint {
  return authorization ? { ...endpoint, authorization } : endpoint;
}

/** `work`'s value, or a UserError after `ms`; a value that comes later goes to `onLate`. */
async function withTimeout<T>(work: Promise<T>, ms: number, onLate: (value: T) => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new UserError(`no answer within ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  work.then(
    (value) => timedOut && onLate(value),
    () => undefined,
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One line saying where the endpoint came from, for the view description and the log. */
export function describeConnection(state: FnConnectionState): string {
  switch (state.kind) {
    case 'connected':
      return `${splitUrlCredentials(state.endpoint.apiUrl).url} (from ${state.endpoint.origin})`;
    case 'none':
      return `no Fn endpoint configured (looked at: ${state.looked.join(', ')})`;
    case 'invalid':
      return state.message;
  }
}
