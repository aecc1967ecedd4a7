// Decides which Fn server the extension talks to and builds its client. Pure: no `vscode`.
import { resolveFnEndpoint, normaliseUrl, type FnEndpoint } from './endpoint';
import { FnHttpClient, type FnClient } from './fnClient';

export interface FnSettings {
  readonly apiUrl?: string;
  readonly invokeUrl?: string;
  readonly requestTimeoutSeconds: number;
}

export type FnConnectionState =
  | { readonly kind: 'connected'; readonly endpoint: FnEndpoint; readonly client: FnClient; readonly invokeBase?: string }
  | { readonly kind: 'none'; readonly looked: readonly string[] }
  | { readonly kind: 'invalid'; readonly message: string };

export async function connectFn(
  settings: FnSettings,
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): Promise<FnConnectionState> {
  const resolution = await resolveFnEndpoint({ settingUrl: settings.apiUrl, env, homeDir });
  if (resolution.kind !== 'resolved') {
    return resolution;
  }
  let invokeBase: string | undefined;
  if (settings.invokeUrl?.trim()) {
    const n = normaliseUrl(settings.invokeUrl);
    if ('error' in n) {
      return { kind: 'invalid', message: `Setting fnMesh.fn.invokeUrl: ${n.error}` };
    }
    invokeBase = n.url;
  }
  const client = new FnHttpClient(resolution.endpoint.apiUrl, { timeoutMs: settings.requestTimeoutSeconds * 1000 });
  return { kind: 'connected', endpoint: resolution.endpoint, client, invokeBase };
}

/** One line saying where the endpoint came from, for the view description and the log. */
export function describeConnection(state: FnConnectionState): string {
  switch (state.kind) {
    case 'connected':
      return `${state.endpoint.apiUrl} (from ${state.endpoint.origin})`;
    case 'none':
      return `no Fn endpoint configured (looked at: ${state.looked.join(', ')})`;
    case 'invalid':
      return state.message;
  }
}
