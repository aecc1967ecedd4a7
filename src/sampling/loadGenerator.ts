// Sends requests to one URL at a chosen rate and concurrency over keep-alive connections, and
// reports every finished request as a `ResponseSample`. Responses are read as a stream and thrown
// away except the first 4 KiB when a body pattern must attribute them; redirects are not followed.
// The HTTP/1.1 client is undici's connection pool (its low-level dispatch API): about a third of the
// CPU per request of Node's http.request, which keeps the sampler near a dedicated load tool.
// Every failure (refused, reset, timeout, non-HTTP answer) becomes a sample, never a rejection.
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { attribute, maxPatternInputBytes } from './attribution';
import { resolveLoadOptions, type LoadOptions } from './loadOptions';
import { unknownVersion, type ResponseSample, type TransportError } from './samplerStats';

export interface LoadResult {
  readonly sent: number;
  readonly reported: number;
  readonly elapsedMs: number;
  readonly stoppedBy: 'duration' | 'count' | 'abort';
  /** Rate and concurrency after clamping to the limits (rate Infinity: unlimited). */
  readonly ratePerSecond: number;
  readonly concurrency: number;
}

/** Maps a Node socket or parser error to the kind of transport failure. */
export function classifyError(err: unknown): TransportError {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') {
    return 'other';
  }
  if (code === 'ECONNREFUSED') {
    return 'refused';
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return 'reset';
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return 'timeout';
  }
  if (code.startsWith('HPE_') || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return 'protocol';
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return 'dns';
  }
  return 'other';
}

interface InFlight {
  /** Cuts the request off (undici's abort from onConnect). */
  abort: ((err?: Error) => void) | undefined;
  readonly deadline: number;
  timedOut: boolean;
}

/**
 * Runs the load until the duration ends, the count is sent, or the signal aborts, then closes
 * every connection. Resolves when all reported requests have finished.
 * @throws LoadOptionsError (as a rejection) for invalid options, or the error `onSample` threw.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const r = resolveLoadOptions(o);
  const started = performance.now();
  const deadline = o.durationMs === undefined ? Infinity : started + o.durationMs;
  const interval = Number.isFinite(r.rate) ? 1000 / r.rate : 0;
  const stop = new AbortController();
  const inFlight = new Set<InFlight>();
  let nextAt = started;
  let sent = 0;
  let reported = 0;
  let aborted = false;
  let listenerError: { error: unknown } | undefined;

  const onAbort = (): void => {
    aborted = true;
    stop.abort();
    for (const f of inFlight) {
      f.abort?.();
    }
  };
  if (o.signal?.aborted) {
    onAbort();
  } else {
    o.signal?.addEventListener('abort', onAbort, { once: true });
  }
  const durationTimer = Number.isFinite(deadline) ? setTimeout(() => stop.abort(), o.durationMs) : undefined;
  const sweeper = setInterval(
    () => {
      const now = performance.now();
      for (const f of inFlight) {
        if (now >= f.deadline && !f.timedOut) {
          f.timedOut = true;
          f.abort?.();
        }
      }
    },
    Math.max(5, Math.min(250, r.timeoutMs / 4)),
  );

  /** Milliseconds to wait before the next request, or undefined when the run is over. */
  const take = (): number | undefined => {
    if (stop.signal.aborted || (o.maxRequests !== undefined && sent >= o.maxRequests)) {
      return undefined;
    }
    const now = performance.now();
    const at = Math.max(nextAt, now);
    if (at >= deadline) {
      return undefined;
    }
    nextAt = at + interval;
    sent++;
    return at - now;
  };

  const report = (sample: ResponseSample): void => {
    reported++;
    try {
      o.onSample(sample);
    } catch (error) {
      listenerError ??= { error };
      onAbort();
    }
  };

  const pool = new Pool(r.origin, {
    connections: r.concurrency,
    pipelining: 1,
    headersTimeout: r.timeoutMs,
    bodyTimeout: r.timeoutMs,
    connect: { timeout: r.timeoutMs, ...(r.servername ? { servername: r.servername } : {}) },
  });
  // A connection failure is also reported to the request; this keeps it from being an 'error' event.
  pool.on('connectionError', () => undefined);
  const header = r.attribution.header;
  const pattern = r.attribution.pattern;

  const one = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const at = Date.now();
      const t0 = performance.now();
      let done = false;
      let status: number | undefined;
      let headerValue: string | undefined;
      let kept: Buffer[] | undefined;
      let keptBytes = 0;
      const entry: InFlight = { abort: undefined, deadline: t0 + r.timeoutMs, timedOut: false };
      const finish = (error?: TransportError): void => {
        if (done) {
          return;
        }
        done = true;
        inFlight.delete(entry);
        if (!aborted) {
          const prefix = kept ? Buffer.concat(kept).toString('utf8') : undefined;
          const version = status === undefined ? unknownVersion : attribute(r.attribution, headerValue, prefix);
          const failure = entry.timedOut ? 'timeout' : error;
          report({ at, version, latencyMs: performance.now() - t0, ...(status !== undefined ? { status } : {}), ...(failure ? { error: failure } : {}) });
        }
        resolve();
      };
      inFlight.add(entry);
      pool.dispatch(r.dispatch, {
        onConnect: (abort) => {
          entry.abort = abort;
          if (aborted || entry.timedOut) {
            abort();
          }
        },
        onHeaders: (statusCode, raw) => {
          if (statusCode < 200) {
            return true;
          }
          status = statusCode;
          for (let i = 0; i + 1 < raw.length; i += 2) {
            if (raw[i].length === header.length && raw[i].toString('latin1').toLowerCase() === header) {
              headerValue = raw[i + 1].toString('utf8');
              break;
            }
          }
          if (headerValue === undefined && pattern) {
            kept = [];
          }
          return true;
        },
        onData: (chunk) => {
          if (kept && keptBytes < maxPatternInputBytes) {
            const part = chunk.subarray(0, maxPatternInputBytes - keptBytes);
            kept.push(Buffer.from(part));
            keptBytes += part.length;
          }
          return true;
        },
        onComplete: () => finish(),
        onError: (err) => finish(classifyError(err)),
      });
    });

  const worker = async (): Promise<void> => {
    for (let wait = take(); wait !== undefined; wait = take()) {
      if (wait >= 1) {
        try {
          await sleep(wait, undefined, { signal: stop.signal });
        } catch {
          // stopped while waiting: this slot's request is not sent
          sent--;
          return;
        }
      }
      await one();
    }
  };

  try {
    await Promise.all(Array.from({ length: r.concurrency }, () => worker()));
  } finally {
    clearInterval(sweeper);
    clearTimeout(durationTimer);
    o.signal?.removeEventListener('abort', onAbort);
    await pool.destroy().catch(() => undefined);
  }
  if (listenerError) {
    throw listenerError.error;
  }
  const stoppedBy = aborted ? 'abort' : o.maxRequests !== undefined && sent >= o.maxRequests ? 'count' : 'duration';
  return { sent, reported, elapsedMs: performance.now() - started, stoppedBy, ratePerSecond: r.rate, concurrency: r.concurrency };
}
