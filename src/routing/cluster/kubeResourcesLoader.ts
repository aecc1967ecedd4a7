// Connects to the cluster through kubeResourcesBundle.ts, which the first call loads: activation
// evaluates none of the cluster access code (in the bundle it is dist/kubeResources.js). Pure: no
// `vscode`.
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeResources } from './kubeResources';
import type * as ResourcesBundle from './kubeResourcesBundle';

/** connectKubeResources, loaded on first use. */
export async function connectKubeResourcesLazily(config: KubeConfig): Promise<KubeResources> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = require('./kubeResourcesBundle') as typeof ResourcesBundle;
  return bundle.connectKubeResources(config);
}
