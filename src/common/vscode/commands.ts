// The one way commands are registered: failures become a clear message with "Show Log", are
// logged, and never escape as unhandled rejections.
import * as vscode from 'vscode';
import { commandIds, type CommandId } from '../commandIds';
import { describeError, isCancellation, UserError } from '../errors';
import { manageTrustAction, manageTrustCommand, UntrustedWorkspaceError } from './workspaceTrust';

export type CommandHandler = (...args: unknown[]) => unknown;

export function registerCommand(log: vscode.LogOutputChannel, id: CommandId, handler: CommandHandler): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      if (isCancellation(err)) {
        log.info(`${id}: cancelled`);
        return undefined;
      }
      const message = describeError(err);
      log.error(`${id} failed: ${message}${err instanceof UserError && err.detail ? `\n${err.detail}` : ''}`);
      // A refusal in Restricted Mode offers the way out: the Workspace Trust editor.
      const actions = err instanceof UntrustedWorkspaceError ? [manageTrustAction, 'Show Log'] : ['Show Log'];
      void vscode.window.showErrorMessage(`Fn Mesh: ${message}`, ...actions).then((choice) => {
        if (choice === 'Show Log') {
          void vscode.commands.executeCommand(commandIds.showLog);
        } else if (choice === manageTrustAction) {
          void vscode.commands.executeCommand(manageTrustCommand);
        }
      });
      return undefined;
    }
  });
}
