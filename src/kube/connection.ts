// The Kubernetes connection the extension uses: kubeconfig, context and namespace. Pure.
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { describeError } from '../common/errors';
import { loadKubeconfig, selectContext, type ContextSummary, type KubeconfigInputs, type LoadedKubeconfig } from './kubeconfig';

export type KubeState =
  | {
      readonly kind: 'connected';
      readonly config: KubeConfig;
      readonly context: ContextSummary;
      readonly namespace: string;
      readonly files: readonly string[];
      readonly source: LoadedKubeconfig['source'];
    }
  | { readonly kind: 'error'; readonly message: string; readonly files: readonly string[] };

export interface KubeSelection {
  /** A context chosen in the extension; the kubeconfig's current-context otherwise. */
  readonly context?: string;
  /** A namespace chosen in the extension; the context's namespace otherwise. */
  readonly namespace?: string;
}

/** Loads kubeconfig and selects the context. Never throws. */
export async function connectKube(inputs: KubeconfigInputs, selection: KubeSelection): Promise<KubeState> {
  let loaded: LoadedKubeconfig;
  try {
    loaded = await loadKubeconfig(inputs);
  } catch (err) {
    return { kind: 'error', message: describeError(err), files: [] };
  }
  try {
    const context = selectContext(loaded.config, selection.context);
    return {
      kind: 'connected',
      config: loaded.config,
      context,
      namespace: selection.namespace || context.namespace,
      files: loaded.files,
      source: loaded.source,
    };
  } catch (err) {
    return { kind: 'error', message: describeError(err), files: loaded.files };
  }
}

export function describeKube(state: KubeState): string {
  return state.kind === 'connected'
    ? `${state.context.name} · ${state.namespace} (${state.context.server ?? 'no server'})`
    : `Kubernetes: ${state.message}`;
}
