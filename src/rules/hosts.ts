// Host names as Istio reads them: a short name is qualified with the namespace of the rule that
// uses it ("reviews" in namespace "prod" is reviews.prod.svc.cluster.local); names with a dot
// are taken as written, except the Kubernetes forms name.namespace(.svc).

export const clusterDomain = 'cluster.local';

export interface ServiceName {
  readonly name: string;
  readonly namespace: string;
}

const qualified = new Map<string, string>();

/** The fully qualified name Istio matches for `host` written in a rule of `namespace`. */
export function qualifyHost(host: string, namespace: string): string {
  // Checks ask for the same few hosts thousands of times in a large file: remember them.
  const key = `${namespace}/${host}`;
  let fqdn = qualified.get(key);
  if (fqdn === undefined) {
    const service = serviceOfHost(host, namespace);
    fqdn = service ? `${service.name}.${service.namespace}.svc.${clusterDomain}` : host.toLowerCase();
    if (qualified.size > 10_000) {
      qualified.clear();
    }
    qualified.set(key, fqdn);
  }
  return fqdn;
}

/**
 * The Kubernetes Service a host names, or undefined for wildcards and external names.
 * `name.namespace` counts as a Service name, as Kubernetes DNS resolves it inside the cluster.
 */
export function serviceOfHost(host: string, namespace: string): ServiceName | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === '' || h.includes('*')) {
    return undefined;
  }
  const parts = h.split('.');
  if (parts.length === 1) {
    return { name: parts[0], namespace };
  }
  const suffix = parts.slice(2).join('.');
  if (parts.length === 2 || suffix === 'svc' || suffix === `svc.${clusterDomain}`) {
    return parts.length === 2 && !isNamespaceLike(parts[1]) ? undefined : { name: parts[0], namespace: parts[1] };
  }
  return undefined;
}

/** A DNS-1123 label: what a namespace name must be (rules out "example.com"-style TLDs poorly, but safely). */
function isNamespaceLike(label: string): boolean {
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(label) && !commonTlds.has(label);
}

const commonTlds = new Set(['com', 'org', 'net', 'io', 'dev', 'app', 'local', 'internal', 'cloud', 'co', 'info', 'biz']);

/** Namespace a document lives in: its own, or the one the file will be applied to. */
export function namespaceOf(namespace: string | undefined, defaultNamespace: string): string {
  return namespace && namespace !== '' ? namespace : defaultNamespace;
}

/**
 * Whether two host names (either may be a wildcard: `*` or `*.suffix`) can name the same host,
 * as Istio's host.Name.Matches compares gateway and VirtualService hosts. Case-insensitive.
 */
export function hostsOverlap(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x === '*' || y === '*' || x === y) {
    return true;
  }
  const xw = x.startsWith('*');
  const yw = y.startsWith('*');
  if (xw && yw) {
    return x.slice(1).endsWith(y.slice(1)) || y.slice(1).endsWith(x.slice(1));
  }
  return (xw && y.endsWith(x.slice(1))) || (yw && x.endsWith(y.slice(1)));
}
