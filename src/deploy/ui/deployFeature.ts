// Wires the deploy feature: Deploy Function, New Version of This Function, Register Image, and
// the context key that shows Deploy on function folders in the Explorer.
import type * as vscode from 'vscode';
import type { RoutingService } from '../../routing/ui/routingService';
import { registerDeployCommands } from './deployCommands';
import type { FnConnectionService } from '../../fn/ui/fnConnectionService';
import { trackFunctionFolders } from './functionFolders';

export function createDeployFeature(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  connection: FnConnectionService,
  routing: RoutingService,
): vscode.Disposable[] {
  return [trackFunctionFolders(log), ...registerDeployCommands({ log, connection, routing, memento: context.workspaceState })];
}
