// The write half of the Fn API: create a function, change its image, add an HTTP trigger. Writes
// go to API v2 only; against the 2018 API (v1) they fail with an error that says so. `FnHttpClient`
// (fnClient.ts) implements `FnWriter` with these functions. Pure: no `vscode`.
import { redactUrl } from '../common/redact';
import { FnApiError, toV2Fn, toV2Trigger, type Json } from './fnJson';
import type { FnApiVersion, FnApp, FnFunction, FnTrigger } from './model';

/** What a new function is made of (API v2). */
export interface FnFunctionSpec {
  readonly name: string;
  readonly image: string;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
}

/**
 * The write half of the Fn API v2 (register an image). Kept apart from `FnClient` so in-memory
 * read-only clients (tests) still type-check; `FnHttpClient` implements both.
 */
export interface FnWriter {
  createFunction(app: FnApp, spec: FnFunctionSpec, signal?: AbortSignal): Promise<FnFunction>;
  updateFunctionImage(fn: FnFunction, image: string, signal?: AbortSignal): Promise<FnFunction>;
  /** Adds an HTTP trigger named after the function at `source` (e.g. `/hello`). */
  createHttpTrigger(fn: FnFunction, source: string, signal?: AbortSignal): Promise<FnTrigger>;
}

/** Whether `client` can also write (the in-memory read-only clients of tests cannot). */
export function isFnWriter<T extends object>(client: T): client is T & FnWriter {
  const c = client as Partial<FnWriter>;
  return typeof c.createFunction === 'function' && typeof c.updateFunctionImage === 'function' && typeof c.createHttpTrigger === 'function';
}

/** What the write half needs of an HTTP client of one Fn server. */
export interface FnWriteTransport {
  /** Base URL of the Fn API, e.g. `http://127.0.0.1:8080` (redacted in errors). */
  readonly apiUrl: string;
  apiVersion(signal?: AbortSignal): Promise<FnApiVersion>;
  /** Sends `body` as JSON; resolves to the JSON object of a 200 or 201 answer, else rejects with `FnApiError`. */
  writeJson(method: 'POST' | 'PUT', path: string, body: Json, signal?: AbortSignal): Promise<Json>;
}

/** `POST /v2/fns`: a new function of `app` (which must have an id). Rejects with `FnApiError`. */
export async function createFunction(http: FnWriteTransport, app: FnApp, spec: FnFunctionSpec, signal?: AbortSignal): Promise<FnFunction> {
  await requireV2(http, 'create functions', signal);
  if (!app.id) {
    throw new FnApiError(`app "${app.name}" has no id`);
  }
  const body = { app_id: app.id, name: spec.name, image: spec.image, memory: spec.memoryMb, timeout: spec.timeoutSeconds };
  return toV2Fn(app, await http.writeJson('POST', '/v2/fns', body, signal));
}

/** `PUT /v2/fns/{id}` with a new image; the function keeps its triggers. Rejects with `FnApiError`. */
export async function updateFunctionImage(http: FnWriteTransport, fn: FnFunction, image: string, signal?: AbortSignal): Promise<FnFunction> {
  await requireV2(http, 'update functions', signal);
  if (!fn.id) {
    throw new FnApiError(`function "${fn.name}" has no id`);
  }
  const app = { id: fn.appId, name: fn.appName, annotations: {} };
  return { ...toV2Fn(app, await http.writeJson('PUT', `/v2/fns/${encodeURIComponent(fn.id)}`, { image }, signal)), triggers: fn.triggers };
}

/** `POST /v2/triggers`: an HTTP trigger named after the function at `source`. Rejects with `FnApiError`. */
export async function createHttpTrigger(http: FnWriteTransport, fn: FnFunction, source: string, signal?: AbortSignal): Promise<FnTrigger> {
  await requireV2(http, 'create triggers', signal);
  if (!fn.id || !fn.appId) {
    throw new FnApiError(`function "${fn.name}" has no id`);
  }
  const body = { app_id: fn.appId, fn_id: fn.id, name: fn.name, type: 'http', source };
  return toV2Trigger(await http.writeJson('POST', '/v2/triggers', body, signal)).trigger;
}

/** Writes go to API v2 only: the 2018 API's routes are not offered (said clearly instead). */
async function requireV2(http: FnWriteTransport, what: string, signal?: AbortSignal): Promise<void> {
  if ((await http.apiVersion(signal)) !== 'v2') {
    throw new FnApiError(`${redactUrl(http.apiUrl)} speaks the 2018 Fn API (v1): Fn Mesh can only ${what} through API v2 (Fn 0.3.500 or later)`);
  }
}
