// Options of a load run: what to send, how fast, how long; checked and clamped before anything is
// sent. Pure: no I/O.
import type { Dispatcher } from 'undici';
import { redactUrl } from '../common/redact';
import { defaultVersionHeader, type Attribution } from './attribution';
import type { ResponseSample } from './samplerStats';

export interface LoadLimits {
  /** Highest rate the caller allows (requests per second); Infinity for none. */
  readonly maxRatePerSecond: number;
  /** Most requests in flight the caller allows. */
  readonly maxConcurrency: number;
}

export interface LoadOptions {
  /** http: or https: URL of the target (for example the ingress gateway's port-forward). */
  readonly url: string;
  /** Default GET. */
  readonly method?: string;
  /** Path and query sent instead of the URL's (must start with "/"). */
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Value of the Host header (the app's host when the target is a gateway); also the TLS server name. */
  readonly host?: string;
  /** Requests per second; absent means the caller's maximum (as fast as possible when that is Infinity). */
  readonly ratePerSecond?: number;
  /** Requests in flight at once (also the number of connections). Default 1. */
  readonly concurrency?: number;
  /** Stop starting requests after this many ms (requests in flight may finish). */
  readonly durationMs?: number;
  /** Stop after sending this many requests. */
  readonly maxRequests?: number;
  /** Stops at once: requests in flight are cut off and not reported. */
  readonly signal?: AbortSignal;
  /** Time limit of one request, from sending to the end of its body. Default 10,000 ms. */
  readonly timeoutMs?: number;
  /** How responses are attributed to versions. Default: the X-Fn-Mesh-Version header only. */
  readonly attribution?: Attribution;
  readonly limits: LoadLimits;
  /** Called for every finished request. If it throws, the run stops and `runLoad` rejects with it. */
  readonly onSample: (sample: ResponseSample) => void;
}

export class LoadOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadOptionsError';
  }
}

const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface ResolvedLoadOptions {
  readonly origin: string;
  readonly dispatch: Dispatcher.DispatchOptions;
  readonly servername: string | undefined;
  readonly rate: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly attribution: Attribution;
}

/**
 * Checks options and clamps rate and concurrency to the limits.
 * @throws LoadOptionsError naming the option at fault.
 */
export function resolveLoadOptions(o: LoadOptions): ResolvedLoadOptions {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new LoadOptionsError(`target: "${redactUrl(o.url)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LoadOptionsError(`target: ${url.protocol} is not supported; use http: or https:`);
  }
  const method = (o.method ?? 'GET').toUpperCase();
  if (!token.test(method)) {
    throw new LoadOptionsError(`method: "${o.method}" is not an HTTP method`);
  }
  if (o.path !== undefined && (!o.path.startsWith('/') || /[\s]/.test(o.path))) {
    throw new LoadOptionsError(`path: "${o.path}" must start with "/" and contain no spaces`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(o.headers ?? {})) {
    if (!token.test(name) || /[\r\n\0]/.test(value)) {
      throw new LoadOptionsError(`headers: "${name}" is not a valid header name or its value has a line break`);
    }
    headers[name.toLowerCase()] = value;
  }
  if (o.host !== undefined) {
    if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(o.host)) {
      throw new LoadOptionsError(`host: "${o.host}" is not a host name`);
    }
    headers.host = o.host;
  }
  positive('limits.maxRatePerSecond', o.limits.maxRatePerSecond);
  positive('limits.maxConcurrency', o.limits.maxConcurrency);
  if (o.ratePerSecond !== undefined) {
    positive('ratePerSecond', o.ratePerSecond);
  }
  const concurrency = Math.floor(Math.min(o.concurrency ?? 1, o.limits.maxConcurrency));
  if (!(concurrency >= 1)) {
    throw new LoadOptionsError(`concurrency: ${o.concurrency} must be at least 1`);
  }
  if (o.durationMs !== undefined) {
    positive('durationMs', o.durationMs);
  }
  if (o.maxRequests !== undefined && !(Number.isInteger(o.maxRequests) && o.maxRequests >= 1)) {
    throw new LoadOptionsError(`maxRequests: ${o.maxRequests} must be a whole number >= 1`);
  }
  if (o.durationMs === undefined && o.maxRequests === undefined && o.signal === undefined) {
    throw new LoadOptionsError('a run needs a duration, a request count or a stop signal');
  }
  const timeoutMs = o.timeoutMs ?? 10_000;
  positive('timeoutMs', timeoutMs);
  return {
    origin: url.origin,
    dispatch: { path: o.path ?? `${url.pathname}${url.search}`, method: method as Dispatcher.HttpMethod, headers, ...(o.body !== undefined ? { body: o.body } : {}) },
    servername: url.protocol === 'https:' && o.host ? o.host.replace(/:\d+$/, '') : undefined,
    rate: Math.min(o.ratePerSecond ?? o.limits.maxRatePerSecond, o.limits.maxRatePerSecond),
    concurrency,
    timeoutMs,
    attribution: o.attribution ?? { header: defaultVersionHeader, pattern: undefined },
  };
}

function positive(name: string, value: number): void {
  if (!(value > 0)) {
    throw new LoadOptionsError(`${name}: ${value} must be a number > 0`);
  }
}
