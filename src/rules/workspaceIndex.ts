// Every Kubernetes object of the workspace's rule files, plus (when connected) the cluster's,
// so cross-file checks are pure functions of (document, index). Files replace cluster objects
// of the same kind, namespace and name: the file is what the user is about to apply.
// A file can be private (a preview, see indexPolicy.ts): it is checked with the workspace's
// objects and its own, but other files never see its objects.
import type { ClusterFacts, NamespaceFact, ServiceFact, WorkloadFact } from './clusterFacts';
import { visibleIn } from './exportTo';
import { workloadOfObject } from './fileWorkloads';
import { namespaceOf, qualifyHost } from './hosts';
import type { Json, ResourceRef } from './resources';
import { asRecord, asStringMap, istioNetworking, resourceRef } from './resources';
import type { YamlDocument, YamlFile } from './yamlDocuments';

export interface IndexedResource {
  readonly ref: ResourceRef;
  /** Effective namespace (the document's, or the index's default). */
  readonly namespace: string;
  readonly value: Json;
  /** The file and document it comes from; undefined for cluster objects. */
  readonly uri?: string;
  readonly doc?: YamlDocument;
}

/** An indexed resource that lives in a workspace file (the ones checks report on). */
export interface FileResource extends IndexedResource {
  readonly uri: string;
  readonly doc: YamlDocument;
}

export interface SetFileOptions {
  /** A private file's objects are seen only when checking that file (default: false). */
  readonly private?: boolean;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, YamlFile>();
  private readonly privateFiles = new Map<string, YamlFile>();
  private readonly views = new Map<string, WorkspaceIndex>();
  private cluster: ClusterFacts | undefined;
  private cache: Tables | undefined;

  /** `defaultNamespace`: where documents without metadata.namespace will be applied. */
  constructor(readonly defaultNamespace = 'default') {}

  setFile(uri: string, file: YamlFile, options: SetFileOptions = {}): void {
    this.files.delete(uri);
    this.privateFiles.delete(uri);
    this.views.delete(uri);
    if (options.private) {
      this.privateFiles.set(uri, file);
    } else {
      this.files.set(uri, file);
      this.changed();
    }
  }

  deleteFile(uri: string): void {
    this.views.delete(uri);
    if (this.privateFiles.delete(uri)) {
      return;
    }
    this.files.delete(uri);
    this.changed();
  }

  /**
   * The index to check file `uri` with: this one, or for a private file, the workspace's files
   * plus that one (built once per change).
   */
  viewFor(uri: string): WorkspaceIndex {
    const file = this.privateFiles.get(uri);
    if (!file) {
      return this;
    }
    let view = this.views.get(uri);
    if (!view) {
      view = new WorkspaceIndex(this.defaultNamespace);
      for (const [other, shared] of this.files) {
        view.setFile(other, shared);
      }
      view.setFile(uri, file);
      view.setCluster(this.cluster);
      this.views.set(uri, view);
    }
    return view;
  }

  /** Whether `uri` is indexed as a private file. */
  isPrivate(uri: string): boolean {
    return this.privateFiles.has(uri);
  }

  private changed(): void {
    this.cache = undefined;
    this.views.clear();
  }

  /** Cluster facts while connected; undefined when not. */
  setCluster(facts: ClusterFacts | undefined): void {
    this.cluster = facts;
    this.changed();
  }

  get clusterFacts(): ClusterFacts | undefined {
    return this.cluster;
  }

  file(uri: string): YamlFile | undefined {
    return this.files.get(uri) ?? this.privateFiles.get(uri);
  }

  /** Resources of one file, in document order. */
  resourcesOf(uri: string): readonly FileResource[] {
    return this.tables().byUri.get(uri) ?? [];
  }

  /** Every resource, workspace files first. */
  resources(): readonly IndexedResource[] {
    return this.tables().all;
  }

  /** Istio resources of `kind` whose (qualified) host covers `fqdn`. */
  istioForHost(kind: 'VirtualService' | 'DestinationRule', fqdn: string): readonly IndexedResource[] {
    const t = this.tables();
    const exact = (kind === 'VirtualService' ? t.virtualServicesByHost : t.destinationRulesByHost).get(fqdn) ?? [];
    const wild = (kind === 'VirtualService' ? t.wildcardVirtualServices : t.wildcardDestinationRules).filter(([pattern]) => hostMatches(pattern, fqdn));
    return [...exact, ...wild.map(([, r]) => r)];
  }

  /** Istio Gateways named `name`, in any namespace. */
  gatewaysNamed(name: string): readonly IndexedResource[] {
    return this.tables().gatewaysByName.get(name) ?? [];
  }

  /** Services from workspace files and the cluster. */
  service(name: string, namespace: string): ServiceFact | undefined {
    return this.tables().services.get(`${namespace}/${name}`);
  }

  /** Whether Fn Mesh knows the Services of a namespace: connected, or the workspace defines some there. */
  knowsServicesIn(namespace: string): boolean {
    return this.cluster !== undefined || this.tables().serviceNamespaces.has(namespace);
  }

  /** Whether a ServiceEntry (workspace or cluster) visible in namespace `from` (exportTo) declares `fqdn`. */
  serviceEntryProvides(fqdn: string, from?: string): boolean {
    return this.tables().serviceEntryHosts.some(([h, entry]) => (h === fqdn || hostMatches(h, fqdn)) && (from === undefined || visibleIn(entry, from)));
  }

  /**
   * Workloads of the cluster (while connected) and of the files, which replace the cluster's of
   * the same kind, namespace and name: pods that applying the files will create count.
   */
  workloads(): readonly WorkloadFact[] {
    return this.tables().workloads;
  }

  namespaceFact(name: string): NamespaceFact | undefined {
    return this.cluster?.namespaces.find((n) => n.name === name);
  }

  private tables(): Tables {
    this.cache ??= buildTables(this.files, this.cluster, this.defaultNamespace);
    return this.cache;
  }
}

interface Tables {
  readonly all: IndexedResource[];
  readonly byUri: Map<string, FileResource[]>;
  readonly virtualServicesByHost: Map<string, IndexedResource[]>;
  readonly destinationRulesByHost: Map<string, IndexedResource[]>;
  readonly wildcardVirtualServices: [string, IndexedResource][];
  readonly wildcardDestinationRules: [string, IndexedResource][];
  readonly gatewaysByName: Map<string, IndexedResource[]>;
  readonly services: Map<string, ServiceFact>;
  readonly serviceNamespaces: Set<string>;
  readonly serviceEntryHosts: [string, IndexedResource][];
  readonly workloads: WorkloadFact[];
}

function buildTables(files: ReadonlyMap<string, YamlFile>, cluster: ClusterFacts | undefined, defaultNamespace: string): Tables {
  const t: Tables = {
    all: [],
    byUri: new Map(),
    virtualServicesByHost: new Map(),
    destinationRulesByHost: new Map(),
    wildcardVirtualServices: [],
    wildcardDestinationRules: [],
    gatewaysByName: new Map(),
    services: new Map(),
    serviceNamespaces: new Set(),
    serviceEntryHosts: [],
    workloads: [],
  };
  const seen = new Set<string>();
  const add = (resource: IndexedResource): void => {
    const identity = `${resource.ref.group}/${resource.ref.kind}/${resource.namespace}/${resource.ref.name ?? ''}`;
    if (resource.uri === undefined && seen.has(identity)) {
      return; // a workspace file defines the same object: it wins
    }
    seen.add(identity);
    t.all.push(resource);
    indexResource(t, resource);
  };
  for (const [uri, file] of files) {
    const list: FileResource[] = [];
    for (const doc of file.documents) {
      const ref = resourceRef(doc.value);
      if (ref) {
        const resource: FileResource = { ref, namespace: namespaceOf(ref.namespace, defaultNamespace), value: asRecord(doc.value), uri, doc };
        list.push(resource);
        add(resource);
      }
    }
    t.byUri.set(uri, list);
  }
  for (const value of cluster?.resources ?? []) {
    const ref = resourceRef(value);
    if (ref) {
      add({ ref, namespace: namespaceOf(ref.namespace, defaultNamespace), value: asRecord(value) });
    }
  }
  const fileWorkloads = new Set(t.workloads.map((w) => `${w.kind}/${w.namespace}/${w.name}`));
  t.workloads.push(...(cluster?.workloads ?? []).filter((w) => !fileWorkloads.has(`${w.kind}/${w.namespace}/${w.name}`)));
  for (const service of cluster?.services ?? []) {
    if (!t.services.has(`${service.namespace}/${service.name}`)) {
      t.services.set(`${service.namespace}/${service.name}`, service);
    }
  }
  return t;
}

function indexResource(t: Tables, r: IndexedResource): void {
  const spec = asRecord(r.value.spec);
  if (r.ref.group === istioNetworking && (r.ref.kind === 'VirtualService' || r.ref.kind === 'DestinationRule')) {
    const hosts = r.ref.kind === 'VirtualService' ? (Array.isArray(spec.hosts) ? spec.hosts : []) : [spec.host];
    for (const host of hosts) {
      if (typeof host !== 'string' || host === '') {
        continue;
      }
      const fqdn = qualifyHost(host, r.namespace);
      if (fqdn.includes('*')) {
        (r.ref.kind === 'VirtualService' ? t.wildcardVirtualServices : t.wildcardDestinationRules).push([fqdn, r]);
      } else {
        push(r.ref.kind === 'VirtualService' ? t.virtualServicesByHost : t.destinationRulesByHost, fqdn, r);
      }
    }
  } else if (r.ref.group === istioNetworking && r.ref.kind === 'ServiceEntry') {
    for (const host of Array.isArray(spec.hosts) ? spec.hosts : []) {
      if (typeof host === 'string') {
        t.serviceEntryHosts.push([qualifyHost(host, r.namespace), r]);
      }
    }
  } else if (r.ref.group === istioNetworking && r.ref.kind === 'Gateway' && r.ref.name) {
    push(t.gatewaysByName, r.ref.name, r);
  } else if (r.uri !== undefined && (r.ref.group === 'apps' || r.ref.kind === 'Pod')) {
    const workload = workloadOfObject(r.ref, r.namespace, r.value);
    if (workload) {
      t.workloads.push(workload);
    }
  } else if (r.ref.group === '' && r.ref.kind === 'Service' && r.ref.name) {
    t.services.set(`${r.namespace}/${r.ref.name}`, { name: r.ref.name, namespace: r.namespace, selector: asStringMap(spec.selector) });
    t.serviceNamespaces.add(r.namespace);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

/** Istio host wildcards: `*` alone, or a leading `*.` / `*` prefix. */
export function hostMatches(pattern: string, fqdn: string): boolean {
  return pattern === '*' || (pattern.startsWith('*') && fqdn.endsWith(pattern.slice(1)));
}

