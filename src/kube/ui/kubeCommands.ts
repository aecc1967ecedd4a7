// Context and namespace pickers. The choice is Fn Mesh's own: the kubeconfig file is not changed.
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import { UserError } from '../../common/errors';
import { registerCommand } from '../../common/vscode/commands';
import { describeKube } from '../connection';
import { describeKubeError, kubeStatusCode } from '../kubeErrors';
import { listContexts } from '../kubeconfig';
import { listNamespaceNames } from '../namespaces';
import type { KubeConnectionService } from './kubeConnectionService';

const namespaceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function registerKubeCommands(log: vscode.LogOutputChannel, kube: KubeConnectionService): vscode.Disposable[] {
  return [
    registerCommand(log, commandIds.kubeSelectContext, async (name?: unknown) => {
      const chosen = typeof name === 'string' ? name : await pickContext(kube);
      if (!chosen) {
        return undefined;
      }
      const state = await kube.select({ context: chosen });
      if (state.kind === 'error') {
        throw new UserError(state.message);
      }
      return describeKube(state);
    }),
    registerCommand(log, commandIds.kubeSelectNamespace, async (name?: unknown) => {
      const chosen = typeof name === 'string' ? name : await pickNamespace(kube);
      if (!chosen) {
        return undefined;
      }
      if (!namespaceName.test(chosen)) {
        throw new UserError(`"${chosen}" is not a valid namespace name`);
      }
      return describeKube(await kube.select({ ...kube.selection(), namespace: chosen }));
    }),
  ];
}

async function pickContext(kube: KubeConnectionService): Promise<string | undefined> {
  const state = await kube.state();
  const contexts = state.kind === 'connected' ? listContexts(state.config) : [];
  if (contexts.length === 0) {
    throw new UserError(state.kind === 'error' ? state.message : 'the kubeconfig defines no contexts');
  }
  const current = state.kind === 'connected' ? state.context.name : undefined;
  const picked = await vscode.window.showQuickPick(
    contexts.map((c) => ({
      label: c.name,
      description: c.name === current ? '(current)' : c.server,
      detail: `user ${c.user} · namespace ${c.namespace}`,
    })),
    { title: 'Kubernetes context for Fn Mesh' },
  );
  return picked?.label;
}

async function pickNamespace(kube: KubeConnectionService): Promise<string | undefined> {
  const state = await kube.state();
  if (state.kind !== 'connected') {
    throw new UserError(state.message);
  }
  let names: string[];
  try {
    names = await listNamespaceNames(state.config);
  } catch (err) {
    if (kubeStatusCode(err) !== 403) {
      throw new UserError(describeKubeError(err, state.context.server));
    }
    // Without the right to list namespaces, the user can still name one.
    return vscode.window.showInputBox({
      title: 'Kubernetes namespace',
      prompt: `You may not list namespaces (${describeKubeError(err)}). Type the namespace to use.`,
      value: state.namespace,
      validateInput: (v) => (namespaceName.test(v) ? undefined : 'not a valid namespace name'),
    });
  }
  const picked = await vscode.window.showQuickPick(
    names.map((n) => ({ label: n, description: n === state.namespace ? '(current)' : undefined })),
    { title: `Namespace in ${state.context.name}` },
  );
  return picked?.label;
}
