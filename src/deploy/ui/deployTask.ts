// Runs `fn --verbose deploy --app <app>` as a VS Code task in the function's folder, with the
// resolved Fn endpoint and registry in its environment, and resolves with the exit code.
import * as vscode from 'vscode';
import type { FnEndpoint } from '../../fn/endpoint';
import { deployArgs, deployEnv } from '../fnCli';

export const deployTaskType = 'fn-mesh-deploy';

export interface DeployRun {
  /** Undefined when the task ended without a process exit code (e.g. terminated). */
  readonly exitCode: number | undefined;
  readonly app: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

let runs = 0;

/**
 * `fnPath` is the fn CLI found on the extension host's PATH: running it by absolute path means
 * the task runs the same binary that was checked, whatever PATH the task's shell ends up with.
 */
export async function runDeployTask(folder: vscode.Uri, appName: string, endpoint: FnEndpoint, fnPath: string): Promise<DeployRun> {
  const args = deployArgs(appName);
  const cwd = folder.fsPath;
  // A per-run id in the definition tells this run's end apart from any other task's.
  const definition = { type: deployTaskType, folder: cwd, app: appName, run: `${process.pid}-${++runs}` };
  const scope = vscode.workspace.getWorkspaceFolder(folder) ?? vscode.TaskScope.Workspace;
  const name = `deploy ${folder.path.split('/').pop() ?? cwd} to ${appName}`;
  const task = new vscode.Task(definition, scope, name, 'Fn Mesh', new vscode.ShellExecution(fnPath, args, { cwd, env: deployEnv(endpoint) }));
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };

  // Subscribe before starting: a quick process could end before executeTask resolves.
  const ended = new Promise<number | undefined>((resolve) => {
    const isThisRun = (t: vscode.Task) => (t.definition as { run?: string }).run === definition.run;
    let exitCode: number | undefined;
    const subscriptions = [
      vscode.tasks.onDidEndTaskProcess((e) => {
        if (isThisRun(e.execution.task)) {
          exitCode = e.exitCode;
        }
      }),
      // onDidEndTask fires after onDidEndTaskProcess, also when the task never started a process.
      vscode.tasks.onDidEndTask((e) => {
        if (isThisRun(e.execution.task)) {
          vscode.Disposable.from(...subscriptions).dispose();
          resolve(exitCode);
        }
      }),
    ];
  });
  await vscode.tasks.executeTask(task);
  return { exitCode: await ended, app: appName, command: fnPath, args, cwd };
}
