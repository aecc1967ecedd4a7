// Validation of the two values a proxy is built from: the Fn lb base URL and the invocation path.
// Both end up inside an nginx configuration, so anything beyond a plain URL alphabet is refused
// (never escaped or interpolated). Pure: no `vscode`.
import { UserError } from '../common/errors';

/** The Fn lb as a proxy sees it. */
export interface UpstreamTarget {
  readonly scheme: 'http' | 'https';
  /** Host name, IPv4 address or bracketed IPv6 address, lower case. */
  readonly host: string;
  readonly port: number;
  /** `host` or `host:port` when the port is not the scheme's default: the `Host` header to send. */
  readonly authority: string;
  /** Path prefix of the lb (`''` or e.g. `/fn`), without trailing slash. */
  readonly basePath: string;
}

/** Unreserved URL characters plus the delimiters a base URL needs; no `%`, `@`, `?`, `#`, quotes. */
const baseUrlCharacters = /^[A-Za-z0-9\-._~:/[\]]+$/;
const dnsName = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const ipv6 = /^\[[0-9a-f:.]+\]$/;
/** A path segment: unreserved characters only, so it needs no escaping anywhere. */
const pathSegment = /^[A-Za-z0-9\-._~]+$/;

/** Why `path` is not a safe absolute path (`/seg/seg`), or undefined when it is. */
export function pathProblem(path: string, what = 'path'): string | undefined {
  if (!path.startsWith('/')) {
    return `${what} ${JSON.stringify(path)} must start with "/"`;
  }
  for (const segment of path.slice(1).split('/')) {
    if (!pathSegment.test(segment) || segment === '.' || segment === '..') {
      return (
        `${what} ${JSON.stringify(path)} has the segment ${JSON.stringify(segment)}: only letters, digits, ` +
        '"-", ".", "_" and "~" are accepted in path segments (no empty, "." or ".." segments)'
      );
    }
  }
  return undefined;
}

export function assertSafePath(path: string, what = 'path'): void {
  const problem = pathProblem(path, what);
  if (problem) {
    throw new UserError(problem);
  }
}

/** Parses and checks the Fn lb base URL (`http://fn-lb.fn.svc.cluster.local:90`). */
export function parseUpstreamBaseUrl(baseUrl: string): UpstreamTarget {
  const refuse = (why: string): never => {
    throw new UserError(`Fn lb URL ${JSON.stringify(baseUrl)} cannot be used: ${why}`);
  };
  // Checked before URL parsing: the WHATWG parser silently drops tabs and newlines.
  if (!baseUrlCharacters.test(baseUrl)) {
    refuse('only letters, digits and "-._~:/[]" are accepted (no credentials, query, fragment or escapes)');
  }
  // Also before parsing: the parser resolves `.` and `..` segments instead of reporting them.
  if (baseUrl.split('/').some((segment) => segment === '.' || segment === '..')) {
    refuse('"." and ".." path segments are not accepted');
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return refuse('it is not a URL (expected e.g. http://fn-lb.fn.svc.cluster.local:90)');
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') {
    refuse('the scheme must be http or https');
  }
  const host = url.hostname;
  if (!(dnsName.test(host) || ipv4.test(host) || ipv6.test(host))) {
    refuse(`${JSON.stringify(host)} is not a host name or IP address`);
  }
  const basePath = url.pathname.replace(/\/+$/, '');
  if (basePath !== '') {
    const problem = pathProblem(basePath, 'its path');
    if (problem) {
      refuse(problem);
    }
  }
  const defaultPort = scheme === 'https' ? 443 : 80;
  const port = url.port === '' ? defaultPort : Number(url.port);
  if (port < 1) {
    refuse('port 0 cannot be connected to');
  }
  return {
    scheme: scheme === 'https' ? 'https' : 'http',
    host,
    port,
    authority: port === defaultPort ? host : `${host}:${port}`,
    basePath,
  };
}
