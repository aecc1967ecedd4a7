// A small HTTP client on Node's http/https: time limit, cancellation and a response size cap.
// Used for the Fn API, function invocation and (later) traffic sampling. Pure: no `vscode`.
import * as http from 'node:http';
import * as https from 'node:https';
import { redactUrl } from './redact';

export interface HttpRequest {
  readonly method?: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Responses larger than this are cut off with an error. Default 16 MiB. */
  readonly maxBytes?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly elapsedMs: number;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const defaultMaxBytes = 16 * 1024 * 1024;

export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      reject(new HttpError(`invalid URL ${redactUrl(req.url)}`, req.url));
      return;
    }
    const lib = url.protocol === 'https:' ? https : http;
    const started = Date.now();
    const maxBytes = req.maxBytes ?? defaultMaxBytes;
    if (req.signal?.aborted) {
      reject(abortError());
      return;
    }
    const r = lib.request(
      url,
      { method: req.method ?? 'GET', headers: req.headers, signal: req.signal, timeout: req.timeoutMs ?? 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy(new HttpError(`response from ${redactUrl(req.url)} is larger than ${maxBytes} bytes`, req.url, res.statusCode));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => reject(err));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            elapsedMs: Date.now() - started,
          }),
        );
      },
    );
    r.on('timeout', () => {
      r.destroy(Object.assign(new HttpError(`no answer from ${redactUrl(req.url)} within ${req.timeoutMs ?? 15_000} ms`, req.url), { code: 'ETIMEDOUT' }));
    });
    r.on('error', (err) => reject(err));
    r.end(req.body);
  });
}

function abortError(): Error {
  const err = new Error('cancelled');
  err.name = 'AbortError';
  return err;
}
