// Turns any thrown value into one line a user can act on. Pure: no `vscode` here.

/** An error whose message is already written for the user. */
export class UserError extends Error {
  constructor(message: string, readonly detail?: string) {
    super(message);
    this.name = 'UserError';
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

/** One line describing `err`, with network and TLS codes spelled out. */
export function describeError(err: unknown): string {
  if (err instanceof UserError) {
    return err.message;
  }
  const code = codeOf(err) ?? codeOf(err instanceof Error ? err.cause : undefined);
  const base = err instanceof Error ? err.message : String(err);
  if (code && networkCodes[code]) {
    return `${networkCodes[code]} [${code}]`;
  }
  if (err instanceof Error && err.name === 'AbortError') {
    return 'cancelled';
  }
  return base || 'unknown error';
}

/** True for errors raised because the caller cancelled. */
export function isCancellation(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || codeOf(err) === 'ABORT_ERR');
}
