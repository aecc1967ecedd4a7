// Credentials for the Fn API, kept apart from the URL so that no URL shown or logged carries them.
// Sources, first wins: a token stored with *Set Fn API Token…* for the endpoint's origin; the
// user:password of the URL (sent as HTTP Basic, as a browser or curl would); the fn CLI's
// `FN_TOKEN`; the `token` of the current fn context. Tokens go as `Authorization: Bearer`, the
// scheme of Fn's auth extensions. Pure: no `vscode`.

export interface SplitUrl {
  /** The URL without user:password. */
  readonly url: string;
  /** `Basic …` from the URL's user:password, if it had any. */
  readonly authorization?: string;
}

/** Takes user:password out of `raw` (an absolute URL); a URL that does not parse is returned as is. */
export function splitUrlCredentials(raw: string): SplitUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: raw };
  }
  if (!url.username && !url.password) {
    return { url: raw };
  }
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  const clean = raw.endsWith('/') ? url.toString() : url.toString().replace(/\/$/, '');
  return { url: clean, authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
}

/** `Bearer <token>`; an error naming the problem for a token that cannot be a header value. */
export function bearer(token: string): string {
  const t = token.trim();
  if (t === '' || [...t].some((c) => c.trim() === '' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw new Error('an Fn API token must be one word without spaces or control characters');
  }
  return `Bearer ${t}`;
}

export const tokenKeyPrefix = 'fnMesh.fn.token:';

/** The key under which the token of the Fn API at `apiUrl` is stored: its origin (`https://fn.example:8443`). */
export function tokenKey(apiUrl: string): string {
  return `${tokenKeyPrefix}${new URL(apiUrl).origin}`;
}

/** For the fn CLI run as a child process: FN_API_URL with user:password put back, or FN_TOKEN. */
export function fnCliCredentials(apiUrl: string, authorization: string | undefined): { apiUrl: string; token?: string } {
  if (authorization?.startsWith('Bearer ')) {
    return { apiUrl, token: authorization.slice('Bearer '.length) };
  }
  if (authorization?.startsWith('Basic ')) {
    const pair = Buffer.from(authorization.slice('Basic '.length), 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    const url = new URL(apiUrl);
    url.username = encodeURIComponent(pair.slice(0, colon));
    url.password = encodeURIComponent(pair.slice(colon + 1));
    return { apiUrl: url.toString().replace(/\/$/, '') };
  }
  return { apiUrl };
}
