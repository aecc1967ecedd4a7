// Composition root: creates the shared services, the views and the commands, and nothing else.
// Nothing here waits on the network: views load when they are opened.
import * as vscode from 'vscode';
import { commandIds } from './common/commandIds';
import { registerCommand } from './common/vscode/commands';
import type { FunctionsTreeProvider } from './explorer/ui/functionsTreeProvider';
import { createFunctionsView } from './explorer/ui/functionsView';
import { registerFnCommands } from './fn/ui/fnCommands';
import { FnConnectionService } from './fn/ui/fnConnectionService';

/** What activate() returns: used by the extension-host tests. */
export interface FnMeshApi {
  readonly functionsTree: FunctionsTreeProvider;
  readonly fnConnection: FnConnectionService;
}

export function activate(context: vscode.ExtensionContext): FnMeshApi {
  const log = vscode.window.createOutputChannel('Fn Mesh', { log: true });
  const responses = vscode.window.createOutputChannel('Fn Mesh: Responses');
  const connection = new FnConnectionService(log);
  const functions = createFunctionsView(connection);

  context.subscriptions.push(
    log,
    responses,
    connection,
    ...functions.disposables,
    registerCommand(log, commandIds.showLog, () => log.show()),
    registerCommand(log, commandIds.fnRefresh, () => functions.provider.refresh()),
    ...registerFnCommands({ log, responses, connection }),
  );
  return { functionsTree: functions.provider, fnConnection: connection };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
