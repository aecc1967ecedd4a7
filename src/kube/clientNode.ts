// Loads @kubernetes/client-node on first use. It is ESM-only and heavy, so the extension pays for
// it only when a Kubernetes feature runs, never at activation. Pure: no `vscode`.
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export type ClientNode = typeof K8s;

let loading: Promise<ClientNode> | undefined;

export function clientNode(): Promise<ClientNode> {
  loading ??= import('@kubernetes/client-node');
  return loading;
}
