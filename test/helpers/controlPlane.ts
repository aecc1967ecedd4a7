// Integration tests against the real local kube-apiserver (scripts/controlplane.sh). Reads the
// admin KUBECONFIG (and FN_MESH_KUBECONFIG_LIMITED, the user without rights) from the environment,
// gives each suite its own namespace and deletes it afterwards.
import * as os from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { loadKubeconfig } from '../../src/kube/kubeconfig';
import type { KubeClient } from '../../src/kube/objects/kubeClient';
import { createKubeClient } from '../../src/kube/objects/objectApiClient';

const howToStart = 'start the control plane and export its environment: scripts/controlplane.sh start && eval "$(scripts/controlplane.sh env)" (scripts/test-all.sh does both)';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: ${howToStart}`);
  }
  return value;
}

export async function kubeconfigFrom(file: string): Promise<KubeConfig> {
  return (await loadKubeconfig({ explicitPath: file, env: {}, homeDir: os.homedir() })).config;
}

/** The admin kubeconfig of the local control plane. */
export function adminKubeconfig(): Promise<KubeConfig> {
  return kubeconfigFrom(requiredEnv('KUBECONFIG').split(':')[0] ?? '');
}

/** The user `fn-mesh-limited`, who may do nothing until a test grants it a Role. */
export function limitedKubeconfig(): Promise<KubeConfig> {
  return kubeconfigFrom(requiredEnv('FN_MESH_KUBECONFIG_LIMITED'));
}

export const limitedUser = 'fn-mesh-limited';

export interface TestNamespace {
  readonly name: string;
  readonly config: KubeConfig;
  /** Fn Mesh's client (field manager `fn-mesh`), as admin. */
  readonly client: KubeClient;
  /** Another tool writing the same objects (field manager `other-tool`), as admin. */
  readonly other: KubeClient;
}

/**
 * Registers before/after hooks in the current `describe`: a fresh namespace `fnm-<prefix>-<random>`
 * and clients, deleted after the suite. Call the returned function inside tests.
 */
export function useTestNamespace(prefix: string): () => TestNamespace {
  let current: TestNamespace | undefined;
  before(async function () {
    this.timeout(30_000);
    const config = await adminKubeconfig();
    const client = await createKubeClient(config);
    const other = await createKubeClient(config, { fieldManager: 'other-tool' });
    const name = `fnm-${prefix}-${Math.random().toString(36).slice(2, 8)}`;
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, namespace: '' } });
    current = { name, config, client, other };
  });
  after(async function () {
    this.timeout(30_000);
    if (current) {
      // Gone once the namespace controller (kube-controller-manager) has emptied it.
      await current.client.delete({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name: current.name });
    }
  });
  return () => {
    if (!current) {
      throw new Error('the test namespace is not ready (before hook failed?)');
    }
    return current;
  };
}

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** Gives the limited user `rules` in `namespace` (a Role and RoleBinding named `name`; re-granting replaces them). */
export async function grantLimitedUser(admin: KubeClient, namespace: string, name: string, rules: readonly PolicyRule[]): Promise<void> {
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: limitedUser }],
  };
  await admin.apply(role);
  await admin.apply(binding);
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
