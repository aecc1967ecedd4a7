// The read half of the Fn API: lists apps and functions from an Fn server over HTTP, speaking API
// v2 or the 2018 v1 API, whichever the server answers. `FnHttpClient` also implements the write
// half (fnWriter.ts) on the same connection. Pure: no `vscode`.
import { httpRequest, type HttpResponse } from '../common/http';
import { redactText, redactUrl } from '../common/redact';
import { FnApiError, toV1App, toV1Route, toV2App, toV2Fn, toV2Trigger, type Json } from './fnJson';
import * as fnWriter from './fnWriter';
import type { FnApiVersion, FnApp, FnFunction, FnTrigger, Listing } from './model';

export interface ListOptions {
  /** Stop after this many items (the listing says it was truncated). */
  readonly limit?: number;
  readonly signal?: AbortSignal;
}

/** The Fn API as the rest of the extension sees it. */
export interface FnClient {
  readonly apiUrl: string;
  apiVersion(signal?: AbortSignal): Promise<FnApiVersion>;
  listApps(options?: ListOptions): Promise<Listing<FnApp>>;
  listFunctions(app: FnApp, options?: ListOptions): Promise<Listing<FnFunction>>;
}

export interface FnHttpClientOptions {
  readonly timeoutMs?: number;
  /** Page size asked of the server (Fn caps it at 100). */
  readonly pageSize?: number;
  /** Sent as `Authorization` when set; never logged. */
  readonly authorization?: string;
  /**
   * Requests in flight at most (default 8); more wait their turn. A fully expanded tree asks for
   * every app's functions at once: a few connections kept busy answer 1,000 apps sooner than
   * 1,000 connections opened together (bench/trees).
   */
  readonly maxConcurrent?: number;
}

const maxPages = 10_000;
const defaultMaxConcurrent = 8;

export class FnHttpClient implements FnClient, fnWriter.FnWriter, fnWriter.FnWriteTransport {
  private detected: Promise<FnApiVersion> | undefined;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly apiUrl: string,
    private readonly options: FnHttpClientOptions = {},
  ) {}

  apiVersion(signal?: AbortSignal): Promise<FnApiVersion> {
    if (!this.detected) {
      this.detected = this.detect(signal);
      // A failed detection (server down) must be retried on the next call.
      this.detected.catch(() => (this.detected = undefined));
    }
    return this.detected;
  }

  async listApps(options: ListOptions = {}): Promise<Listing<FnApp>> {
    const api = await this.apiVersion(options.signal);
    if (api === 'v2') {
      return this.paginate('/v2/apps', {}, 'items', options, toV2App);
    }
    return this.paginate('/v1/apps', {}, 'apps', options, toV1App);
  }

  async listFunctions(app: FnApp, options: ListOptions = {}): Promise<Listing<FnFunction>> {
    const api = await this.apiVersion(options.signal);
    if (api === 'v1') {
      return this.paginate(`/v1/apps/${encodeURIComponent(app.name)}/routes`, {}, 'routes', options, (r) => toV1Route(app, r));
    }
    if (!app.id) {
      throw new FnApiError(`app "${app.name}" has no id`);
    }
    const fns = await this.paginate('/v2/fns', { app_id: app.id }, 'items', options, (f) => toV2Fn(app, f));
    // One triggers listing per app (not per function) keeps this to two round trips for most apps.
    const triggers = await this.paginate('/v2/triggers', { app_id: app.id }, 'items', { signal: options.signal }, toV2Trigger);
    const byFn = new Map<string, FnTrigger[]>();
    for (const t of triggers.items) {
      const list = byFn.get(t.fnId) ?? [];
      list.push(t.trigger);
      byFn.set(t.fnId, list);
    }
    return {
      truncated: fns.truncated,
      items: fns.items.map((f) => (f.id && byFn.has(f.id) ? { ...f, triggers: byFn.get(f.id) ?? [] } : f)),
    };
  }

  createFunction(app: FnApp, spec: fnWriter.FnFunctionSpec, signal?: AbortSignal): Promise<FnFunction> {
    return fnWriter.createFunction(this, app, spec, signal);
  }

  updateFunctionImage(fn: FnFunction, image: string, signal?: AbortSignal): Promise<FnFunction> {
    return fnWriter.updateFunctionImage(this, fn, image, signal);
  }

  createHttpTrigger(fn: FnFunction, source: string, signal?: AbortSignal): Promise<FnTrigger> {
    return fnWriter.createHttpTrigger(this, fn, source, signal);
  }

  /** For the write half: sends `body` as JSON and returns the JSON object of a 200/201 answer. */
  async writeJson(method: 'POST' | 'PUT', path: string, body: Json, signal?: AbortSignal): Promise<Json> {
    const res = await this.send(path, {}, signal, { method, body: JSON.stringify(body) });
    if (res.status !== 200 && res.status !== 201) {
      throw this.statusError(res, path, method);
    }
    return this.parse(res, path, method);
  }

  private async detect(signal?: AbortSignal): Promise<FnApiVersion> {
    const v2 = await this.send('/v2/apps', { per_page: '1' }, signal);
    if (v2.status === 200) {
      const body = this.parse(v2, '/v2/apps');
      if (Array.isArray(body.items)) {
        return 'v2';
      }
    }
    if (v2.status !== 404 && v2.status !== 200) {
      throw this.statusError(v2, '/v2/apps');
    }
    const v1 = await this.send('/v1/apps', { per_page: '1' }, signal);
    if (v1.status === 200 && Array.isArray(this.parse(v1, '/v1/apps').apps)) {
      return 'v1';
    }
    throw new FnApiError(
      `${redactUrl(this.apiUrl)} does not look like an Fn server: GET /v2/apps answered ${v2.status}, GET /v1/apps answered ${v1.status}`,
      v1.status,
    );
  }

  private async paginate<T>(
    path: string,
    query: Record<string, string>,
    field: string,
    options: ListOptions,
    convert: (item: Json) => T,
  ): Promise<Listing<T>> {
    const items: T[] = [];
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const q: Record<string, string> = { ...query, per_page: String(this.options.pageSize ?? 100) };
      if (cursor) {
        q.cursor = cursor;
      }
      const res = await this.send(path, q, options.signal);
      if (res.status !== 200) {
        throw this.statusError(res, path);
      }
      const body = this.parse(res, path);
      const list = body[field];
      if (!Array.isArray(list)) {
        throw new FnApiError(`unexpected answer from GET ${path}: field "${field}" is not a list`);
      }
      for (const raw of list) {
        if (items.length >= limit) {
          return { items, truncated: true };
        }
        if (typeof raw === 'object' && raw !== null) {
          items.push(convert(raw as Json));
        }
      }
      const next = typeof body.next_cursor === 'string' && body.next_cursor !== '' ? body.next_cursor : undefined;
      if (!next || seen.has(next)) {
        return { items, truncated: false };
      }
      if (items.length >= limit) {
        return { items, truncated: true };
      }
      seen.add(next);
      cursor = next;
    }
    return { items, truncated: true };
  }

  /** Runs `request` once fewer than `maxConcurrent` requests are in flight; hands its slot on after. */
  private async limited<T>(request: () => Promise<T>): Promise<T> {
    if (this.inFlight >= (this.options.maxConcurrent ?? defaultMaxConcurrent)) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.inFlight++;
    }
    try {
      return await request();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.inFlight--;
      }
    }
  }

  private send(path: string, query: Record<string, string>, signal?: AbortSignal, write?: { method: string; body: string }): Promise<HttpResponse> {
    return this.limited(() => this.sendNow(path, query, signal, write));
  }

  private async sendNow(path: string, query: Record<string, string>, signal?: AbortSignal, write?: { method: string; body: string }): Promise<HttpResponse> {
    const url = new URL(this.apiUrl + path);
    for (const [k, v] of Object.entries(query)) {
      url.searchParams.set(k, v);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (write) {
      headers['content-type'] = 'application/json';
    }
    if (this.options.authorization) {
      headers.authorization = this.options.authorization;
    }
    try {
      return await httpRequest({ url: url.toString(), method: write?.method, body: write?.body, headers, signal, timeoutMs: this.options.timeoutMs });
    } catch (err) {
      if ((err as Error).name === 'AbortError') {
        throw err;
      }
      throw Object.assign(new FnApiError(`cannot reach the Fn API at ${redactUrl(this.apiUrl)}: ${(err as Error).message}`), {
        code: (err as { code?: string }).code,
      });
    }
  }

  private parse(res: HttpResponse, path: string, method = 'GET'): Json {
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch (err) {
      const start = redactText(res.body.slice(0, 80)).replace(/\s+/g, ' ');
      throw new FnApiError(`malformed JSON from ${method} ${path}: ${(err as Error).message} (answer starts with "${start}")`, res.status);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new FnApiError(`unexpected answer from ${method} ${path}: expected a JSON object`, res.status);
    }
    return body as Json;
  }

  /** A server's text for a message: masked tokens and PEM blocks, and never our own credential (a server may echo it). */
  private scrub(text: string): string {
    const credential = this.options.authorization?.replace(/^\S+\s+/, '');
    const masked = redactText(text);
    return credential && credential.length >= 4 ? masked.split(credential).join('***') : masked;
  }

  private statusError(res: HttpResponse, path: string, method = 'GET'): FnApiError {
    let detail = '';
    try {
      const body = JSON.parse(res.body) as { message?: unknown; error?: { message?: unknown } };
      const msg = body.message ?? body.error?.message;
      detail = typeof msg === 'string' ? `: ${this.scrub(msg)}` : '';
    } catch {
      detail = res.body ? `: ${this.scrub(res.body.slice(0, 200)).trim()}` : '';
    }
    const hint = res.status === 401 || res.status === 403 ? ' (the Fn server wants credentials this client does not have)' : '';
    return new FnApiError(`${method} ${path} failed with ${res.status} ${res.statusText}${detail}${hint}`, res.status);
  }
}
