// Namespace listing for the namespace picker. Pure.
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { clientNode } from './clientNode';

export async function listNamespaceNames(config: KubeConfig): Promise<string[]> {
  const k8s = await clientNode();
  const core = config.makeApiClient(k8s.CoreV1Api);
  const list = await core.listNamespace();
  return list.items.map((ns) => ns.metadata?.name ?? '').filter((n) => n !== '').sort();
}
