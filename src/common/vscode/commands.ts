// The one way commands are registered: failures become a clear message with "Show Log", are
// logged, and never escape as unhandled rejections. Activation registers every command; the
// features loaded later (their own bundles) put their handlers behind those registrations through
// `registerInto` (see lazyFeatures.ts).
import * as vscode from 'vscode';
import { commandIds, type CommandId } from '../commandIds';
import { describeError, isCancellation, UserError } from '../errors';
import { manageTrustAction, manageTrustCommand, UntrustedWorkspaceError } from './workspaceTrust';

export type CommandHandler = (...args: unknown[]) => unknown;

/** Where registerCommand puts a wrapped handler instead of VS Code's registry; the disposable removes it. */
export type CommandSink = (id: CommandId, handler: (...args: unknown[]) => Promise<unknown>) => vscode.Disposable;

let sink: CommandSink | undefined;

/** Runs `register`, sending every command it registers to `target` rather than to VS Code. */
export function registerInto<T>(target: CommandSink, register: () => T): T {
  const previous = sink;
  sink = target;
  try {
    return register();
  } finally {
    sink = previous;
  }
}

export function registerCommand(log: vscode.LogOutputChannel, id: CommandId, handler: CommandHandler): vscode.Disposable {
  const wrapped = async (...args: unknown[]): Promise<unknown> => {
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
  };
  return sink ? sink(id, wrapped) : vscode.commands.registerCommand(id, wrapped);
}
