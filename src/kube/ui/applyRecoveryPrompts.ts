// The VS Code side of ApplyWithRecovery: runs the apply with progress, and after a failure shows
// each step as an error with its actions (Retry, Roll Back, Continue Rollback) until the user
// dismisses it or nothing is left to do. Every command that applies objects goes through here.
import * as vscode from 'vscode';
import { describeError, UserError } from '../../common/errors';
import type { ApplyOutcome } from '../objects/applyObjects';
import type { ApplyWithRecovery, RecoveryAction, RecoveryStep } from '../objects/applyWithRecovery';

/**
 * Applies through `session`. Resolves with the first attempt's outcome once it is known (a
 * failure part-way keeps offering recovery after that); throws a UserError when the first
 * dry-run refused (nothing was written).
 */
export async function applyWithPrompts(log: vscode.LogOutputChannel, what: string, session: ApplyWithRecovery): Promise<ApplyOutcome | undefined> {
  const first = await progress(`${what}: dry-run, then apply…`, () => session.apply());
  log.info(`${what}: ${first.message}`);
  if (first.severity === 'info') {
    void vscode.window.showInformationMessage(`Fn Mesh: ${first.message}`);
    return first.outcome;
  }
  if (first.actions.length === 0) {
    throw new UserError(first.message);
  }
  void offerRecovery(log, what, session, first);
  return first.outcome;
}

function progress<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
}

const titles: Record<RecoveryAction, string> = { Retry: 'retrying', 'Roll Back': 'rolling back', 'Continue Rollback': 'continuing the rollback' };

async function run(session: ApplyWithRecovery, action: RecoveryAction, previous: RecoveryStep): Promise<RecoveryStep> {
  try {
    return await (action === 'Retry' ? session.retry() : session.rollBack());
  } catch (err) {
    // A request that failed outright: the same ways on stay open.
    return { severity: 'error', message: `${titles[action]} failed: ${describeError(err)}`, actions: previous.actions };
  }
}

/** Shows `step` and runs what the user picks, as long as there is something to pick. */
async function offerRecovery(log: vscode.LogOutputChannel, what: string, session: ApplyWithRecovery, step: RecoveryStep): Promise<void> {
  for (let current = step; ; ) {
    const show = current.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    const choice = await show(`Fn Mesh: ${what}: ${current.message}`, ...current.actions, 'Show Log');
    if (choice === 'Show Log') {
      log.show();
      continue;
    }
    const action = current.actions.find((a) => a === choice);
    if (!action) {
      return;
    }
    const previous = current;
    current = await progress(`${what}: ${titles[action]}…`, () => run(session, action, previous));
    if (current.severity === 'error') {
      log.error(`${what}: ${action}: ${current.message}`);
    } else {
      log.info(`${what}: ${action}: ${current.message}`);
    }
    if (current.actions.length === 0 && current.severity === 'info') {
      void vscode.window.showInformationMessage(`Fn Mesh: ${what}: ${current.message}`);
      return;
    }
  }
}
