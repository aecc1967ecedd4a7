// Workspace Trust for commands that run a program on the workspace's files: in an untrusted
// workspace (Restricted Mode) they refuse, saying why and how to trust it. Knows no domain.
import * as vscode from 'vscode';
import { UserError } from '../errors';

/** VS Code's command that opens the Workspace Trust editor. */
export const manageTrustCommand = 'workbench.trust.manage';
/** The button of a refusal that runs `manageTrustCommand`. */
export const manageTrustAction = 'Manage Workspace Trust';

/** A refusal because the workspace is not trusted; `registerCommand` offers `manageTrustAction`. */
export class UntrustedWorkspaceError extends UserError {}

/**
 * Throws `UntrustedWorkspaceError` unless the workspace is trusted. `action` is the command's
 * title, `runs` what it would run, e.g. `requireTrust('Deploy Function', 'the fn CLI')`.
 */
export function requireTrust(action: string, runs: string): void {
  if (!vscode.workspace.isTrusted) {
    throw new UntrustedWorkspaceError(
      `this workspace is not trusted (Restricted Mode): ${action} runs ${runs} on its files, so it is off here. ` +
        `To use it, trust the workspace: ${manageTrustAction} (or Restricted Mode in the status bar), then Trust.`,
    );
  }
}
