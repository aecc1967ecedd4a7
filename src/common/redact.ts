// Keeps secrets (tokens, passwords, certificates) out of logs and output. Pure.

const secretHeader = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token)$/i;
const secretParam = /token|secret|password|passwd|signature|key/i;

/** Removes user:password and secret-looking query parameters from a URL for display. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (url.username || url.password) {
    url.username = '***';
    url.password = '';
  }
  for (const name of [...url.searchParams.keys()]) {
    if (secretParam.test(name)) {
      url.searchParams.set(name, '***');
    }
  }
  return url.toString();
}

/** Copies headers, replacing the values of credential-bearing ones. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) {
      continue;
    }
    out[name] = secretHeader.test(name) ? '***' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Masks PEM blocks and bearer tokens that may appear inside free text (error bodies, YAML). */
export function redactText(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '<redacted PEM>')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 ***');
}
