// The real KubeClient, on client-node's generic KubernetesObjectApi (URL paths found by API
// discovery, so any kind works: core, Istio CRDs, Gateway API). Bodies go out and come back as the
// server's own JSON: client-node's typed models would drop fields they do not know, rename a few
// (`_exec`) and turn timestamps into Dates, none of which server-side apply or a diff can afford.
// Pure: no `vscode`.
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { Cluster, KubeConfig, KubernetesListObject, KubernetesObject, RequestContext, ResponseContext, V1APIResource } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { clientNode, type ClientNode } from '../clientNode';
import { kubeStatusCode } from '../kubeErrors';
import { fieldManager, type ApplyOptions, type DeleteOptions, type KubeClient, type WatchListener } from './kubeClient';
import type { Disposable, JsonPatchOperation, LiveObject, ObjectRef, ObjectToWrite, ResourceType } from './types';

/** Reconnect delays of a failed watch: doubling from 1 s, at most 30 s. */
export const watchBackoff = { firstMs: 1000, maxMs: 30_000 } as const;

export function backoffDelay(attempt: number): number {
  return Math.min(watchBackoff.maxMs, watchBackoff.firstMs * 2 ** Math.max(0, attempt));
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Action = 'read' | 'list' | 'patch' | 'delete';

interface SendOptions {
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly contentType?: string;
}

interface ResourceList {
  readonly resources?: readonly { readonly kind: string; readonly name: string; readonly namespaced: boolean }[];
}

interface PlainApi {
  /** The group version's resources, asked for now; later look-ups of its kinds' paths use this answer. */
  resourceList(groupVersion: string): Promise<ResourceList>;
  send(method: Method, spec: ResourceType & { metadata: { name?: string; namespace?: string } }, action: Action, options?: SendOptions): Promise<unknown>;
  sendPath(method: Method, path: string): Promise<unknown>;
  listPath(type: ResourceType, namespace: string): Promise<string>;
}

/**
 * Resources of the stable core and apps APIs (`v1`, `apps/v1`), whose paths never change: Kubernetes
 * API conventions keep a GA group version's resource names (Kubernetes deprecation policy, rule 1).
 * Their paths are built without a discovery request, which saves a round trip per watch on a
 * remote cluster.
 */
const builtInResources: ReadonlyMap<string, { readonly name: string; readonly namespaced: boolean }> = new Map([
  ['v1 Pod', { name: 'pods', namespaced: true }],
  ['v1 Service', { name: 'services', namespaced: true }],
  ['v1 ConfigMap', { name: 'configmaps', namespaced: true }],
  ['v1 Secret', { name: 'secrets', namespaced: true }],
  ['v1 Namespace', { name: 'namespaces', namespaced: false }],
  ['apps/v1 Deployment', { name: 'deployments', namespaced: true }],
  ['apps/v1 ReplicaSet', { name: 'replicasets', namespaced: true }],
]);

/** A KubernetesObjectApi that sends and returns plain JSON (see the header). */
function makePlainApi(k8s: ClientNode, config: KubeConfig): PlainApi {
  const compress = !isLoopbackServer(config.getCurrentCluster()?.server);
  class PlainObjectApi extends k8s.KubernetesObjectApi {
    protected override async processResponse<T extends KubernetesObject>(response: ResponseContext): Promise<T> {
      const text = await response.body.text();
      let data: unknown = text;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text for the error message
      }
      if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) {
        return data as T;
      }
      throw new k8s.ApiException(response.httpStatusCode, `HTTP ${response.httpStatusCode}`, data, response.headers);
    }

    /**
     * One discovery request per group version, shared: client-node's own cache fills only when its
     * request returns, so the five watches of the routing view, starting together, each asked for
     * the same lists that API discovery had just read.
     */
    private readonly resourceLists = new Map<string, Promise<ResourceList>>();

    resourceList(groupVersion: string): Promise<ResourceList> {
      const path = groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
      const answer = this.sendPath('GET', path) as Promise<ResourceList>;
      this.resourceLists.set(groupVersion, answer);
      answer.catch(() => {
        if (this.resourceLists.get(groupVersion) === answer) {
          this.resourceLists.delete(groupVersion);
        }
      });
      return answer;
    }

    /**
     * What client-node's specUriPath asks: the resource of a kind. Kinds every Kubernetes serves
     * under a fixed path (`builtInResources`) need no request; the others come from the shared
     * discovery answer (asked again when the kind is not in it).
     */
    protected override async resource(apiVersion: string, kind: string): Promise<V1APIResource | undefined> {
      const builtIn = builtInResources.get(`${apiVersion} ${kind}`);
      if (builtIn) {
        return { kind, name: builtIn.name, namespaced: builtIn.namespaced, singularName: kind.toLowerCase(), verbs: [] };
      }
      try {
        const find = (list: ResourceList) => list.resources?.find((r) => r.kind === kind) as V1APIResource | undefined;
        const cached = this.resourceLists.get(apiVersion);
        return (cached && find(await cached.catch((): ResourceList => ({})))) || find(await this.resourceList(apiVersion));
      } catch (err) {
        if (err instanceof Error && !err.message.startsWith('Failed to fetch resource metadata')) {
          err.message = `Failed to fetch resource metadata for ${apiVersion}/${kind}: ${err.message}`;
        }
        throw err;
      }
    }

    private request(method: Method, path: string, options: SendOptions = {}): Promise<unknown> {
      const ctx: RequestContext = this.configuration.baseServer.makeRequestContext(path, k8s.HttpMethod[method]);
      ctx.setHeaderParam('Accept', 'application/json');
      if (!compress) {
        ctx.setHeaderParam('Accept-Encoding', 'identity');
      }
      for (const [name, value] of Object.entries(options.query ?? {})) {
        if (value !== undefined) {
          ctx.setQueryParam(name, value);
        }
      }
      if (options.body !== undefined) {
        ctx.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
        ctx.setBody(JSON.stringify(options.body));
      }
      return this.requestPromise(ctx);
    }

    async send(method: Method, spec: ResourceType & { metadata: { name?: string; namespace?: string } }, action: Action, options?: SendOptions): Promise<unknown> {
      // specUriPath fills in missing fields of its argument: give it a copy.
      const path = await this.specUriPath({ apiVersion: spec.apiVersion, kind: spec.kind, metadata: { ...spec.metadata } }, action);
      return this.request(method, path, options);
    }

    sendPath(method: Method, path: string): Promise<unknown> {
      return this.request(method, path);
    }

    listPath(type: ResourceType, namespace: string): Promise<string> {
      return this.specUriPath({ apiVersion: type.apiVersion, kind: type.kind, metadata: { namespace } }, 'list');
    }
  }
  // Not PlainObjectApi.makeApiClient: that one constructs the base class. Every call names its namespace.
  return withPooledAgents(config).makeApiClient(PlainObjectApi);
}

/**
 * Whether `server` is on this machine. Responses from such a server are asked for uncompressed:
 * gzip of a large list costs CPU on both ends (on a two-core machine, the API server's gzip of
 * 1,000 pods and the client's gunzip took longer than sending the bytes) and saves no network.
 */
export function isLoopbackServer(server: string | undefined): boolean {
  let host: string;
  try {
    host = new URL(server ?? '').hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * `config` whose HTTPS agents keep their connections: client-node makes a new agent, hence a new
 * TLS handshake, for every request. Agents are reused while the cluster and TLS material are the
 * same (a rotated client certificate gets a new one); proxies keep client-node's own agents.
 * Each agent's connections share one TLS context: without it Node parses the CA, certificate and
 * key again for every new connection (a few milliseconds each, and a watch per kind connects).
 */
function withPooledAgents(config: KubeConfig): KubeConfig {
  const agents = new Map<string, https.Agent>();
  const pooled = Object.create(config) as KubeConfig;
  // client-node's own (private) agent factory, called by every request it sends.
  const hooks = pooled as unknown as { createAgent(cluster: Cluster | null, options: https.AgentOptions): unknown };
  const createAgent = hooks.createAgent.bind(pooled);
  hooks.createAgent = (cluster, options) => {
    if (!cluster?.server.startsWith('https:') || cluster.proxyUrl) {
      return createAgent(cluster, options);
    }
    const key = JSON.stringify([cluster.server, options.ca, options.cert, options.key, options.pfx, options.rejectUnauthorized, options.servername]);
    let agent = agents.get(key);
    if (!agent) {
      if (agents.size >= 8) {
        for (const old of agents.values()) {
          old.destroy();
        }
        agents.clear();
      }
      const secureContext = tls.createSecureContext({ ca: options.ca, cert: options.cert, key: options.key, pfx: options.pfx, passphrase: options.passphrase });
      agent = new https.Agent({ ...options, keepAlive: true, secureContext });
      agents.set(key, agent);
    }
    return agent;
  };
  return pooled;
}

function refSpec(ref: ObjectRef): ResourceType & { metadata: { name: string; namespace?: string } } {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } };
}

export interface KubeClientOptions {
  /** Default `fn-mesh`. Only tests play another tool under another name. */
  readonly fieldManager?: string;
}

export async function createKubeClient(config: KubeConfig, options: KubeClientOptions = {}): Promise<KubeClient> {
  const k8s = await clientNode();
  const manager = options.fieldManager ?? fieldManager;
  const api = makePlainApi(k8s, config);

  const list = async (type: ResourceType, namespace: string, labelSelector?: string): Promise<KubernetesListObject<KubernetesObject>> => {
    const items: KubernetesObject[] = [];
    let page: KubernetesListObject<KubernetesObject>;
    let continueToken: string | undefined;
    do {
      page = (await api.send('GET', { ...type, metadata: { namespace } }, 'list', {
        query: { labelSelector, limit: '500', continue: continueToken },
      })) as KubernetesListObject<KubernetesObject>;
      // List items carry no apiVersion/kind: put them back so every object is self-describing
      // (in place: the page was parsed for this call alone, and a copy of 1,000 pods costs).
      for (const item of page.items) {
        item.apiVersion = type.apiVersion;
        item.kind = type.kind;
        items.push(item);
      }
      continueToken = (page.metadata as { continue?: string } | undefined)?.continue || undefined;
    } while (continueToken);
    return { ...page, items };
  };

  return {
    async servedKinds(groupVersion) {
      try {
        const resources = await api.resourceList(groupVersion);
        // Subresources (`virtualservices/status`) repeat the kind: keep the resources themselves.
        return new Set((resources.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => r.kind));
      } catch (err) {
        if (kubeStatusCode(err) === 404) {
          return undefined;
        }
        throw err;
      }
    },

    async get(ref) {
      try {
        return (await api.send('GET', refSpec(ref), 'read')) as LiveObject;
      } catch (err) {
        if (kubeStatusCode(err) === 404) {
          return undefined;
        }
        throw err;
      }
    },

    async list(type, namespace, labelSelector) {
      return (await list(type, namespace, labelSelector)).items as unknown as LiveObject[];
    },

    async apply(obj: ObjectToWrite, options: ApplyOptions = {}) {
      return (await api.send('PATCH', obj, 'patch', {
        query: { fieldManager: manager, force: options.force ? 'true' : 'false', dryRun: options.dryRun ? 'All' : undefined },
        body: obj,
        contentType: 'application/apply-patch+yaml', // JSON is YAML
      })) as LiveObject;
    },

    async jsonPatch(ref, operations: readonly JsonPatchOperation[]) {
      return (await api.send('PATCH', refSpec(ref), 'patch', { query: { fieldManager: manager }, body: operations, contentType: 'application/json-patch+json' })) as LiveObject;
    },

    async mergePatch(ref, patch) {
      return (await api.send('PATCH', refSpec(ref), 'patch', { query: { fieldManager: manager }, body: patch, contentType: 'application/merge-patch+json' })) as LiveObject;
    },

    async delete(ref, options: DeleteOptions = {}) {
      try {
        const body = {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: 'Background',
          preconditions: { resourceVersion: options.resourceVersion, uid: options.uid },
        };
        await api.send('DELETE', refSpec(ref), 'delete', { body });
        return true;
      } catch (err) {
        if (kubeStatusCode(err) === 404) {
          return false;
        }
        throw err;
      }
    },

    watch(type, namespace, labelSelector, listener) {
      return startWatch(k8s, config, { path: () => api.listPath(type, namespace), list: () => list(type, namespace, labelSelector) }, namespace, labelSelector, listener);
    },
  };
}

interface WatchSource {
  path(): Promise<string>;
  list(): Promise<KubernetesListObject<KubernetesObject>>;
}

/**
 * client-node's informer (list, then watch from the list's resourceVersion, relist on 410 Gone)
 * stops on any error; this restarts it after a doubling delay, reset by every successful list.
 */
function startWatch(k8s: ClientNode, config: KubeConfig, source: WatchSource, namespace: string, labelSelector: string | undefined, listener: WatchListener): Disposable {
  let disposed = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let emitScheduled = false;
  let informer: ReturnType<typeof k8s.makeInformer<KubernetesObject>> | undefined;

  // One callback per burst: a list adds every item one by one.
  const emit = (): void => {
    if (emitScheduled || disposed) {
      return;
    }
    emitScheduled = true;
    setImmediate(() => {
      emitScheduled = false;
      if (!disposed && informer) {
        listener.onChange(informer.list(namespace) as unknown as LiveObject[]);
      }
    });
  };

  const retry = (err: unknown): void => {
    if (disposed || retryTimer) {
      return;
    }
    const delay = backoffDelay(failures++);
    listener.onError?.(err, delay);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void run();
    }, delay);
  };

  const run = async (): Promise<void> => {
    try {
      if (!informer) {
        const path = await source.path();
        informer = k8s.makeInformer<KubernetesObject>(
          config,
          path,
          async () => {
            const listed = await source.list();
            failures = 0;
            emit(); // also when the list is empty: the listener learns it is in sync
            return listed;
          },
          labelSelector,
        );
        for (const verb of [k8s.ADD, k8s.UPDATE, k8s.DELETE] as const) {
          informer.on(verb, emit);
        }
        informer.on(k8s.ERROR, (err: unknown) => retry(err));
      }
      if (!disposed) {
        await informer.start();
        if (disposed) {
          // Disposed while connecting: the informer's stop() found no request to abort then, and
          // the watch that has connected since would keep its connection (and the process) alive.
          await informer.stop();
        }
      }
    } catch (err) {
      retry(err);
    }
  };

  void run();
  return {
    dispose() {
      disposed = true;
      if (retryTimer) {
        clearTimeout(retryTimer);
      }
      void informer?.stop();
    },
  };
}
