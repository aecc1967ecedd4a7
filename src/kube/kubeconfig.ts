// Reads kubeconfig the way kubectl does: an explicit file (like --kubeconfig) or the KUBECONFIG
// list (missing entries skipped; for clusters, users and contexts the first file to name one wins;
// the first current-context wins), else ~/.kube/config. Like kubectl, an empty file is an empty
// config and only the selected context, its cluster and user must be complete. Pure: no `vscode`.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import * as yaml from 'js-yaml';
import { UserError } from '../common/errors';
import { clientNode } from './clientNode';

export interface KubeconfigInputs {
  /** Like kubectl's --kubeconfig: only this file, and it must exist. */
  readonly explicitPath?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
}

export interface LoadedKubeconfig {
  readonly config: KubeConfig;
  /** The files that were read, in precedence order. */
  readonly files: readonly string[];
  readonly source: 'setting' | 'KUBECONFIG' | 'default';
}

/** The files kubectl would read, in order, and where the list came from. */
export function kubeconfigFiles(inputs: KubeconfigInputs): { files: string[]; source: LoadedKubeconfig['source'] } {
  if (inputs.explicitPath?.trim()) {
    return { files: [expandHome(inputs.explicitPath.trim(), inputs.homeDir)], source: 'setting' };
  }
  const list = inputs.env.KUBECONFIG;
  if (list) {
    const files = [...new Set(list.split(path.delimiter).filter((f) => f.trim() !== '').map((f) => expandHome(f, inputs.homeDir)))];
    return { files, source: 'KUBECONFIG' };
  }
  return { files: [path.join(inputs.homeDir, '.kube', 'config')], source: 'default' };
}

function expandHome(file: string, homeDir: string): string {
  return file === '~' || file.startsWith(`~${path.sep}`) ? path.join(homeDir, file.slice(1)) : path.resolve(file);
}

async function readOne(file: string, mustExist: boolean): Promise<KubeConfig | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT' && !mustExist) {
      return undefined;
    }
    throw new UserError(`cannot read kubeconfig ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    const mark = (err as { mark?: { line: number; column: number } }).mark;
    const where = mark ? `${file}:${mark.line + 1}:${mark.column + 1}` : file;
    const reason = (err as { reason?: string }).reason ?? (err as Error).message;
    throw new UserError(`invalid kubeconfig ${where}: ${reason}`);
  }
  const k8s = await clientNode();
  const kc = new k8s.KubeConfig();
  if (doc === undefined || doc === null) {
    return kc; // kubectl: an empty file is an empty config
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UserError(`invalid kubeconfig ${file}: expected a mapping (apiVersion, clusters, users, contexts), found ${Array.isArray(doc) ? 'a list' : typeof doc}`);
  }
  kc.loadFromOptions(lenientEntries(doc, k8s));
  kc.makePathsAbsolute(path.dirname(file));
  return kc;
}

interface RawKubeconfig {
  readonly clusters?: unknown;
  readonly users?: unknown;
  readonly contexts?: unknown;
  readonly 'current-context'?: unknown;
}

/**
 * The entries of one file, checked like kubectl checks them: an entry must have a name, the rest
 * is checked only when its context is selected (see `selectContext`). client-node's own loader
 * refuses the whole file for one incomplete entry, so incomplete clusters and contexts are kept
 * here with an empty `server` / `cluster`.
 */
function lenientEntries(doc: RawKubeconfig, k8s: Awaited<ReturnType<typeof clientNode>>): { clusters: Cluster[]; users: User[]; contexts: Context[]; currentContext: string } {
  const filter = { onInvalidEntry: 'filter' } as const; // client-node's ActionOnInvalid.FILTER (not exported)
  const named = (list: unknown): { name: string; body: Record<string, unknown> }[] =>
    (Array.isArray(list) ? (list as unknown[]) : []).flatMap((e) => {
      const entry = (e ?? {}) as { name?: unknown; cluster?: unknown; context?: unknown };
      return typeof entry.name === 'string' && entry.name !== '' ? [{ name: entry.name, body: (entry.cluster ?? entry.context ?? {}) as Record<string, unknown> }] : [];
    });
  const probe = new k8s.KubeConfig();
  probe.loadFromString(yaml.dump({ clusters: doc.clusters ?? [], users: doc.users ?? [], contexts: doc.contexts ?? [] }), filter);
  const clusters = named(doc.clusters).map(({ name }) => probe.getCluster(name) ?? { name, server: '', skipTLSVerify: false });
  const contexts = named(doc.contexts).map(({ name, body }) => probe.getContextObject(name) ?? { name, cluster: '', user: typeof body.user === 'string' ? body.user : '' });
  return { clusters, users: probe.getUsers(), contexts, currentContext: typeof doc['current-context'] === 'string' ? doc['current-context'] : '' };
}

function firstWins<T extends { name: string }>(into: Map<string, T>, items: readonly T[]): void {
  for (const item of items) {
    if (!into.has(item.name)) {
      into.set(item.name, item);
    }
  }
}

export async function loadKubeconfig(inputs: KubeconfigInputs): Promise<LoadedKubeconfig> {
  const { files, source } = kubeconfigFiles(inputs);
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  const read: string[] = [];
  for (const file of files) {
    const kc = await readOne(file, source === 'setting');
    if (!kc) {
      continue;
    }
    read.push(file);
    firstWins(clusters, kc.getClusters());
    firstWins(users, kc.getUsers());
    firstWins(contexts, kc.getContexts());
    currentContext ||= kc.getCurrentContext() ?? '';
  }
  if (read.length === 0) {
    throw new UserError(
      source === 'default'
        ? `no kubeconfig found: ${files[0]} does not exist and KUBECONFIG is not set`
        : `none of the kubeconfig files in KUBECONFIG exists: ${files.join(', ')}`,
    );
  }
  const k8s = await clientNode();
  const config = new k8s.KubeConfig();
  config.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext });
  return { config, files: read, source };
}

export interface ContextSummary {
  readonly name: string;
  readonly cluster: string;
  readonly server?: string;
  readonly user: string;
  readonly namespace: string;
}

export function listContexts(config: KubeConfig): ContextSummary[] {
  return config.getContexts().map((c) => ({
    name: c.name,
    cluster: c.cluster,
    server: config.getCluster(c.cluster)?.server,
    user: c.user,
    namespace: c.namespace || 'default',
  }));
}

/**
 * Selects `name` (or the kubeconfig's current context) and checks that its cluster and user exist,
 * so a broken context fails here with a clear message rather than on the first request.
 */
export function selectContext(config: KubeConfig, name?: string): ContextSummary {
  const wanted = name || config.getCurrentContext();
  if (!wanted) {
    throw new UserError('the kubeconfig has no current-context; pick a context');
  }
  const ctx = config.getContextObject(wanted);
  if (!ctx) {
    const known = config.getContexts().map((c) => c.name);
    throw new UserError(`context "${wanted}" is not in the kubeconfig (known: ${known.join(', ') || 'none'})`);
  }
  if (!ctx.cluster) {
    throw new UserError(`context "${wanted}" names no cluster`);
  }
  const cluster = config.getCluster(ctx.cluster);
  if (!cluster) {
    throw new UserError(`context "${wanted}" refers to cluster "${ctx.cluster}", which the kubeconfig does not define`);
  }
  if (!cluster.server) {
    throw new UserError(`context "${wanted}" uses cluster "${ctx.cluster}", which has no server`);
  }
  if (ctx.user && !config.getUser(ctx.user)) {
    throw new UserError(`context "${wanted}" refers to user "${ctx.user}", which the kubeconfig does not define`);
  }
  config.setCurrentContext(wanted);
  return { name: wanted, cluster: ctx.cluster, server: cluster.server, user: ctx.user, namespace: ctx.namespace || 'default' };
}
