// Finds the Fn API URL the way the fn CLI does: an explicit setting (like the CLI's flag),
// then FN_API_URL, then the current context in ~/.fn. Pure apart from reading files.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { redactUrl } from '../common/redact';
import { bearer, splitUrlCredentials } from './credentials';

export type EndpointSource = 'setting' | 'env' | 'fnContext' | 'cluster';

export interface FnEndpoint {
  /** Normalised base URL without a trailing slash. */
  readonly apiUrl: string;
  readonly source: EndpointSource;
  /** Human-readable origin, e.g. `FN_API_URL` or `fn context "prod" (~/.fn/contexts/prod.yaml)`. */
  readonly origin: string;
  /** Image registry from FN_REGISTRY or the fn context, if any. */
  readonly registry?: string;
  /**
   * The `Authorization` header value: from the URL's user:password (taken out of `apiUrl`),
   * FN_TOKEN or the fn context's `token` (see credentials.ts). Never shown or logged.
   */
  readonly authorization?: string;
}

export type EndpointResolution =
  | { readonly kind: 'resolved'; readonly endpoint: FnEndpoint }
  | { readonly kind: 'none'; readonly looked: readonly string[] }
  | { readonly kind: 'invalid'; readonly message: string };

export interface EndpointInputs {
  readonly settingUrl?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** Injected for tests; defaults to reading the file as UTF-8. */
  readonly readFile?: (file: string) => Promise<string>;
}

/** Returns the URL normalised, or an explanation of what is wrong with it. */
export function normaliseUrl(raw: string): { url: string } | { error: string } {
  let parsed: URL;
  // Error messages quote the URL without its user:password.
  const shown = redactUrl(raw).replace(/\/\/[^/@\s]*@/, '//***@');
  try {
    parsed = new URL(raw.trim());
  } catch {
    return { error: `"${shown}" is not a URL (expected something like http://localhost:8080)` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { error: `"${shown}" must start with http:// or https://` };
  }
  parsed.hash = '';
  parsed.search = '';
  return { url: parsed.toString().replace(/\/+$/, '') };
}

const contextName = /^[A-Za-z0-9_.-]+$/;

interface FnContext {
  name: string;
  file: string;
  apiUrl?: string;
  registry?: string;
  token?: string;
}

async function readYamlMap(file: string, read: (f: string) => Promise<string>): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await read(file);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') {
      return undefined;
    }
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: file, json: true });
  } catch (err) {
    const mark = (err as { mark?: { line: number; column: number } }).mark;
    const where = mark ? `${file}:${mark.line + 1}:${mark.column + 1}` : file;
    throw new Error(`${where}: invalid YAML: ${(err as { reason?: string }).reason ?? (err as Error).message}`);
  }
  if (doc === undefined || doc === null) {
    return {};
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error(`${file}: expected a YAML mapping`);
  }
  return doc as Record<string, unknown>;
}

function stringField(map: Record<string, unknown>, key: string, file: string): string | undefined {
  const value = map[key];
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new Error(`${file}: field "${key}" must be a string`);
  }
  return value;
}

/** Reads the fn CLI's current context, or undefined when there is no fn configuration. */
export async function readCurrentFnContext(homeDir: string, read: (f: string) => Promise<string>): Promise<FnContext | undefined> {
  const configFile = path.join(homeDir, '.fn', 'config.yaml');
  const config = await readYamlMap(configFile, read);
  if (!config) {
    return undefined;
  }
  const name = stringField(config, 'current-context', configFile);
  if (!name) {
    return undefined;
  }
  if (!contextName.test(name)) {
    throw new Error(`${configFile}: field "current-context" has an invalid context name "${name}"`);
  }
  const file = path.join(homeDir, '.fn', 'contexts', `${name}.yaml`);
  const ctx = await readYamlMap(file, read);
  if (!ctx) {
    throw new Error(`${configFile}: current context "${name}" has no file ${file}`);
  }
  return { name, file, apiUrl: stringField(ctx, 'api-url', file), registry: stringField(ctx, 'registry', file), token: stringField(ctx, 'token', file) };
}

/** The endpoint for `url` (normalised) with user:password moved out of it, else `token` as Bearer. */
function withCredentials(endpoint: Omit<FnEndpoint, 'authorization'>, token: string | undefined): FnEndpoint {
  const split = splitUrlCredentials(endpoint.apiUrl);
  let authorization = split.authorization;
  if (!authorization && token?.trim()) {
    try {
      authorization = bearer(token);
    } catch {
      authorization = undefined; // a malformed token is not sent; the server's 401 says the rest
    }
  }
  return authorization ? { ...endpoint, apiUrl: split.url, authorization } : { ...endpoint, apiUrl: split.url };
}

/** Applies the fn CLI's precedence. Never throws: problems come back as `invalid`. */
export async function resolveFnEndpoint(inputs: EndpointInputs): Promise<EndpointResolution> {
  const read = inputs.readFile ?? ((f: string) => fs.readFile(f, 'utf8'));
  const envRegistry = inputs.env.FN_REGISTRY || undefined;
  const looked = ['setting fnMesh.fn.apiUrl', 'FN_API_URL'];

  const fromSetting = inputs.settingUrl?.trim();
  if (fromSetting) {
    const n = normaliseUrl(fromSetting);
    return 'error' in n
      ? { kind: 'invalid', message: `Setting fnMesh.fn.apiUrl: ${n.error}` }
      : { kind: 'resolved', endpoint: withCredentials({ apiUrl: n.url, source: 'setting', origin: 'setting fnMesh.fn.apiUrl', registry: envRegistry }, inputs.env.FN_TOKEN) };
  }
  const fromEnv = inputs.env.FN_API_URL?.trim();
  if (fromEnv) {
    const n = normaliseUrl(fromEnv);
    return 'error' in n
      ? { kind: 'invalid', message: `Environment variable FN_API_URL: ${n.error}` }
      : { kind: 'resolved', endpoint: withCredentials({ apiUrl: n.url, source: 'env', origin: 'FN_API_URL', registry: envRegistry }, inputs.env.FN_TOKEN) };
  }
  let ctx: FnContext | undefined;
  try {
    ctx = await readCurrentFnContext(inputs.homeDir, read);
  } catch (err) {
    return { kind: 'invalid', message: `fn CLI configuration: ${(err as Error).message}` };
  }
  looked.push('fn CLI context (~/.fn/config.yaml)');
  if (!ctx?.apiUrl) {
    return { kind: 'none', looked };
  }
  const n = normaliseUrl(ctx.apiUrl);
  if ('error' in n) {
    return { kind: 'invalid', message: `${ctx.file}: field "api-url": ${n.error}` };
  }
  return {
    kind: 'resolved',
    endpoint: withCredentials({ apiUrl: n.url, source: 'fnContext', origin: `fn context "${ctx.name}" (${ctx.file})`, registry: envRegistry ?? ctx.registry }, inputs.env.FN_TOKEN || ctx.token),
  };
}
