// Invokes a function over HTTP and formats the exchange for an output channel. Pure: no `vscode`.
import { httpRequest, type HttpResponse } from '../common/http';
import { redactHeaders, redactUrl } from '../common/redact';

export interface InvokeRequest {
  readonly url: string;
  readonly body: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Sent as `Authorization`; never shown (see formatInvocation). */
  readonly authorization?: string;
}

/** JSON bodies go as application/json, anything else as text/plain. */
export function contentTypeFor(body: string): string {
  if (body.trim() === '') {
    return 'text/plain';
  }
  try {
    JSON.parse(body);
    return 'application/json';
  } catch {
    return 'text/plain';
  }
}

export function invokeFunction(req: InvokeRequest): Promise<HttpResponse> {
  return httpRequest({
    method: 'POST',
    url: req.url,
    body: req.body,
    headers: { 'content-type': contentTypeFor(req.body), accept: '*/*', ...(req.authorization ? { authorization: req.authorization } : {}) },
    timeoutMs: req.timeoutMs,
    signal: req.signal,
    maxBytes: 4 * 1024 * 1024,
  });
}

const maxShownBody = 64 * 1024;

/** The lines an output channel shows for one invocation. Secrets in headers are masked. */
export function formatInvocation(url: string, res: HttpResponse): string[] {
  const lines = [`POST ${redactUrl(url)}`, `${res.status} ${res.statusText} (${res.elapsedMs} ms)`];
  for (const [name, value] of Object.entries(redactHeaders(res.headers))) {
    lines.push(`${name}: ${value}`);
  }
  lines.push('');
  const body = res.body.length > maxShownBody ? `${res.body.slice(0, maxShownBody)}\n… (${res.body.length - maxShownBody} more characters)` : res.body;
  lines.push(body);
  return lines;
}
