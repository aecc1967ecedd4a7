// How Fn Mesh runs the fn CLI: finding it on PATH, and the arguments and environment of
// `fn deploy`. Pure apart from checking files.
import { fnCliCredentials } from '../fn/credentials';
import type { FnEndpoint } from '../fn/endpoint';

export const fnCliInstallDocs = 'https://github.com/fnproject/cli#install';

export function deployArgs(appName: string): string[] {
  return ['--verbose', 'deploy', '--app', appName];
}

/**
 * The variables the fn CLI reads for the server, its credentials (FN_TOKEN, or user:password in
 * FN_API_URL as the user gave them) and the registry; its flags would be logged.
 */
export function deployEnv(endpoint: FnEndpoint): Record<string, string> {
  const credentials = fnCliCredentials(endpoint.apiUrl, endpoint.authorization);
  const env: Record<string, string> = { FN_API_URL: credentials.apiUrl };
  if (credentials.token) {
    env.FN_TOKEN = credentials.token;
  }
  if (endpoint.registry) {
    env.FN_REGISTRY = endpoint.registry;
  }
  return env;
}
