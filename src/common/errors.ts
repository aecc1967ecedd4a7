// Turns any thrown value into one line a user can act on. Pure: no `vscode` here.

/** Marks a UserError whichever copy of this module made it (see UserError's `instanceof`). */
const userErrorBrand = Symbol.for('fnMesh.UserError');

/** An error whose message is already written for the user. */
export class UserError extends Error {
  readonly [userErrorBrand] = true;

  constructor(message: string, readonly detail?: string) {
    super(message);
    this.name = 'UserError';
  }

  /**
   * `x instanceof UserError` holds for a UserError made by another copy of this module too: each
   * lazily loaded bundle (see esbuild.mjs) has its own copy, and an error thrown in one is caught
   * and shown by another. Subclasses keep the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== UserError) {
      return Function.prototype[Symbol.hasInstance].call(this, value);
    }
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[userErrorBrand] === true;
  }
}

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running and is the port right?)',
  ECONNRESET: 'the server closed the connection',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name could not be resolved right now',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPROTO: 'TLS/SSL protocol error (is this an https URL for a plain http server?)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain contains an untrusted self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate could not be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate issuer is not trusted',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};

function codeOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = err.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

const statusWords: Record<number, string> = { 400: 'bad request', 401: 'unauthorized', 403: 'forbidden', 404: 'not found', 409: 'conflict', 422: 'invalid', 429: 'too many requests' };

/**
 * An HTTP client's error that carries the status and the response body (client-node's
 * ApiException: numeric `code`, `body` as text or JSON): `forbidden: <the body's message>`. The
 * body's `message` is where both the Kubernetes API server (a Status) and Fn put the reason.
 * Undefined for anything else.
 */
export function describeHttpStatusError(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err) || !('body' in err)) {
    return undefined;
  }
  const code = err.code;
  if (typeof code !== 'number' || code < 100 || code > 599) {
    return undefined;
  }
  let body: unknown = err.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // plain text: used as it is below
    }
  }
  const fromJson = typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string' ? body.message : undefined;
  const text = fromJson ?? (typeof body === 'string' ? body : '');
  const words = statusWords[code] ?? `HTTP ${code}`;
  return oneLine(text ? `${words}: ${text}` : words);
}

/** `text` on one line (line breaks and runs of spaces become one space), at most `max` characters. */
export function oneLine(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One line describing `err`, with network and TLS codes spelled out. */
export function describeError(err: unknown): string {
  if (err instanceof UserError) {
    return err.message;
  }
  const http = describeHttpStatusError(err);
  if (http !== undefined) {
    return http;
  }
  const code = codeOf(err) ?? codeOf(err instanceof Error ? err.cause : undefined);
  const base = err instanceof Error ? err.message : String(err);
  if (code && networkCodes[code]) {
    return `${networkCodes[code]} [${code}]`;
  }
  if (err instanceof Error && err.name === 'AbortError') {
    return 'cancelled';
  }
  return oneLine(base) || 'unknown error';
}

/** True for errors raised because the caller cancelled. */
export function isCancellation(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || codeOf(err) === 'ABORT_ERR');
}
