// Creates the Functions view: tree, description showing the endpoint source, and polling while visible.
import * as vscode from 'vscode';
import { Poller } from '../../common/poller';
import { readSettings } from './fnSettings';
import type { FnConnectionService } from './fnConnectionService';
import { FunctionsTreeProvider } from './functionsTreeProvider';

export const functionsViewId = 'fnMesh.functions';

export function createFunctionsView(connection: FnConnectionService): { provider: FunctionsTreeProvider; disposables: vscode.Disposable[] } {
  const provider = new FunctionsTreeProvider(connection);
  const view = vscode.window.createTreeView(functionsViewId, { treeDataProvider: provider, showCollapseAll: true });
  const poller = new Poller(() => provider.reload());
  poller.setInterval(readSettings().pollIntervalSeconds);
  poller.setActive(view.visible);
  return {
    provider,
    disposables: [
      provider,
      view,
      poller,
      provider.onDidDescribe((line) => (view.description = line)),
      view.onDidChangeVisibility((e) => poller.setActive(e.visible)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fnMesh.fn.pollIntervalSeconds')) {
          poller.setInterval(readSettings().pollIntervalSeconds);
        }
      }),
    ],
  };
}
