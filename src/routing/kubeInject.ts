// `istioctl kube-inject`, for a user who picks it: find istioctl on PATH, run it on the proxies'
// Deployments, and put the injected Deployments in place of the generated ones. Pure: no `vscode`.
import { spawn } from 'node:child_process';
import { loadAll } from 'js-yaml';
import { UserError } from '../common/errors';
import { cliConnectionArgs, type CliConnection } from '../kube/cliConnection';
import type { KubeObject } from './manifests/kubeObject';
import { toYaml } from '../kube/objects/yaml';

/** The files `istioctl manifest generate` yields, for injecting without asking a cluster. */
export interface OfflineInjectConfig {
  /** `--injectConfigFile`: the sidecar injector's template (ConfigMap istio-sidecar-injector, key `config`). */
  readonly injectConfigFile: string;
  /** `--meshConfigFile`: the mesh configuration (ConfigMap istio, key `mesh`). */
  readonly meshConfigFile: string;
  /** `--valuesFile`: the injector's values (ConfigMap istio-sidecar-injector, key `values`). */
  readonly valuesFile: string;
}

export interface KubeInjectOptions {
  /**
   * Istio revision whose injector to use; default `default`. Always passed: without it istioctl
   * looks for revision tags in the cluster and, with no cluster to ask, waits without end.
   */
  readonly revision?: string;
  /** Inject from these files instead of the cluster's ConfigMaps. */
  readonly offline?: OfflineInjectConfig;
  /** Kill istioctl after this long; default 30 000 ms. */
  readonly timeoutMs?: number;
  /**
   * The kubeconfig files and context Fn Mesh is connected with: istioctl gets the same
   * (`KUBECONFIG`, `--kubeconfig`, `--context`), never kubectl's current context.
   */
  readonly connection?: CliConnection;
}

/** The arguments of `istioctl kube-inject` reading the manifest from stdin. */
export function kubeInjectArgs(options: KubeInjectOptions = {}): string[] {
  const offline = options.offline;
  return [
    'kube-inject',
    '--revision',
    options.revision ?? 'default',
    ...(offline ? ['--injectConfigFile', offline.injectConfigFile, '--meshConfigFile', offline.meshConfigFile, '--valuesFile', offline.valuesFile] : []),
    '-f',
    '-',
  ];
}

/**
 * Runs `istioctl kube-inject` (arguments from `kubeInjectArgs`) with `yaml` on stdin; its stdout,
 * or a UserError with the end of its stderr (or the signal that stopped it at the timeout).
 */
export function runKubeInject(istioctl: string, yaml: string, options: KubeInjectOptions = {}): Promise<string> {
  const cli = options.connection ? cliConnectionArgs(options.connection) : { args: [], env: {} };
  return new Promise((resolve, reject) => {
    // Arguments as an array, never through a shell.
    const child = spawn(istioctl, [...kubeInjectArgs(options), ...cli.args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 30_000,
      env: { ...process.env, ...cli.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new UserError(`could not run ${istioctl}: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve(Buffer.concat(out).toString('utf8'));
      } else {
        const why = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' ');
        reject(new UserError(`istioctl kube-inject failed (${signal ? `killed by ${signal}` : `exit ${code}`}): ${why || 'no message'}`));
      }
    });
    child.stdin.on('error', () => undefined); // an early exit is reported by 'close'
    child.stdin.end(yaml);
  });
}

function isDeployment(o: KubeObject): boolean {
  return o.kind === 'Deployment';
}

/** The Deployments of `objects`, as YAML for kube-inject. */
export function deploymentsYaml(objects: readonly KubeObject[]): string {
  return toYaml(objects.filter(isDeployment));
}

/** `objects` with each Deployment replaced by its injected form from kube-inject's output. */
export function withInjectedDeployments(objects: readonly KubeObject[], injectedYaml: string): KubeObject[] {
  const injected = loadAll(injectedYaml).filter((d): d is KubeObject => typeof d === 'object' && d !== null && (d as KubeObject).kind === 'Deployment');
  return objects.map((o) => {
    if (!isDeployment(o)) {
      return o;
    }
    const found = injected.find((d) => d.metadata?.name === o.metadata.name);
    if (!found) {
      throw new UserError(`istioctl kube-inject returned no Deployment ${o.metadata.name}; nothing was applied`);
    }
    // kube-inject may drop the namespace; the apply needs it.
    return { ...found, metadata: { ...found.metadata, namespace: o.metadata.namespace } };
  });
}

/** How many containers kube-inject added across the Deployments (0: it changed nothing). */
export function addedContainers(before: readonly KubeObject[], after: readonly KubeObject[]): number {
  const count = (objs: readonly KubeObject[]): number =>
    objs.filter(isDeployment).reduce((n, d) => {
      const pod = (d as unknown as { spec?: { template?: { spec?: { containers?: unknown[]; initContainers?: unknown[] } } } }).spec?.template?.spec;
      return n + (pod?.containers?.length ?? 0) + (pod?.initContainers?.length ?? 0);
    }, 0);
  return count(after) - count(before);
}
