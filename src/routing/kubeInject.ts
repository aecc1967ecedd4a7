// `istioctl kube-inject`, for a user who picks it: find istioctl on PATH, run it on the proxies'
// Deployments, and put the injected Deployments in place of the generated ones. Pure: no `vscode`.
import { spawn } from 'node:child_process';
import { loadAll } from 'js-yaml';
import { UserError } from '../common/errors';
import { cliConnectionArgs, type CliConnection } from '../kube/cliConnection';
import type { KubeObject } from './manifests/kubeObject';
import { toYaml } from '../kube/objects/yaml';

/**
 * Runs `istioctl kube-inject -f - --kubeconfig … --context …` with `yaml` on stdin, against the
 * kubeconfig files and context of `connection` (istioctl reads the mesh configuration and the
 * injection template from that cluster); its stdout, or a UserError with its stderr.
 */
export function runKubeInject(istioctl: string, yaml: string, connection: CliConnection, timeoutMs = 60_000): Promise<string> {
  const { args, env } = cliConnectionArgs(connection);
  return new Promise((resolve, reject) => {
    // Arguments as an array, never through a shell.
    const child = spawn(istioctl, ['kube-inject', '-f', '-', ...args], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs, env: { ...process.env, ...env } });
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
