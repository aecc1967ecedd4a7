// The reliability tests stop and start parts of the real local stack under a running client:
// kube-apiserver (etcd keeps the data) and istiod, through the same scripts scripts/test-all.sh uses,
// with the ports and state of the environment it exported.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..', '..');

async function script(name: string, ...args: string[]): Promise<void> {
  try {
    await run('bash', [path.join(root, 'scripts', name), ...args], { cwd: root, env: process.env, timeout: 180_000 });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`scripts/${name} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}`);
  }
}

/** Stops kube-apiserver only (scripts/controlplane.sh stop-apiserver); etcd, certificates and tokens stay. */
export const stopApiServer = (): Promise<void> => script('controlplane.sh', 'stop-apiserver');
/** Starts kube-apiserver again on the kept state and waits until it is ready. */
export const startApiServer = (): Promise<void> => script('controlplane.sh', 'start-apiserver');
/** Stops istiod (its webhooks, failurePolicy Fail, then refuse every Istio write). */
export const stopIstiod = (): Promise<void> => script('istio.sh', 'stop');
/** Starts istiod again and waits until its webhooks answer. */
export const startIstiod = (): Promise<void> => script('istio.sh', 'start');

/** Registers an after hook that starts whatever a failed test left stopped. */
export function restoreStackAfter(): void {
  after(async function () {
    this.timeout(240_000);
    await startApiServer();
  });
}
