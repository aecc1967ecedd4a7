// Shows the current Kubernetes context and namespace in the status bar; a click picks a context.
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import type { KubeState } from '../connection';

export function createKubeStatusBar(onDidChange: vscode.Event<KubeState>): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('fnMesh.kube', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Fn Mesh: Kubernetes context';
  item.command = commandIds.kubeSelectContext;
  const subscription = onDidChange((state) => {
    if (state.kind === 'connected') {
      item.text = `$(cloud) ${state.context.name} · ${state.namespace}`;
      item.tooltip = [
        `Kubernetes context ${state.context.name}`,
        `namespace: ${state.namespace}`,
        `server: ${state.context.server ?? '?'}`,
        `user: ${state.context.user}`,
        `kubeconfig: ${state.files.join(', ')}`,
      ].join('\n');
      item.backgroundColor = undefined;
    } else {
      item.text = '$(cloud) no cluster';
      item.tooltip = `Kubernetes: ${state.message}`;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    item.show();
  });
  return vscode.Disposable.from(item, subscription);
}
