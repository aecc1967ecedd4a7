// Function folders in the workspace (a folder with func.yaml): finding the one a command acts
// on, and the context key `fnMesh.functionFolders` that shows Deploy on exactly those folders.
import * as vscode from 'vscode';
import { UserError, describeError } from '../../common/errors';
import { funcYamlName } from '../funcYaml';

export const funcYaml = 'func.yaml';
const exclude = '**/node_modules/**';

export async function readFuncYaml(folder: vscode.Uri): Promise<{ uri: vscode.Uri; text: string }> {
  const uri = vscode.Uri.joinPath(folder, funcYaml);
  try {
    return { uri, text: Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8') };
  } catch {
    throw new UserError(`${vscode.workspace.asRelativePath(folder)} is not a function folder: it has no ${funcYaml}`);
  }
}

async function allFunctionFolders(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles(`**/${funcYaml}`, exclude);
  return files.map((f) => vscode.Uri.joinPath(f, '..')).sort((a, b) => a.path.localeCompare(b.path));
}

/** The folder of a func.yaml whose `name:` is `fnName`, if the workspace has one. */
export async function folderOfFunction(fnName: string): Promise<vscode.Uri | undefined> {
  for (const folder of await allFunctionFolders()) {
    try {
      if (funcYamlName((await readFuncYaml(folder)).text) === fnName) {
        return folder;
      }
    } catch {
      // an unreadable or invalid func.yaml is not the one we look for
    }
  }
  return undefined;
}

/**
 * The function folder a command acts on: the Explorer folder or func.yaml it was invoked on, the
 * folder of the active editor's func.yaml, or one the user picks.
 */
export async function functionFolderArgument(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) {
    return arg.path.endsWith(`/${funcYaml}`) ? vscode.Uri.joinPath(arg, '..') : arg;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.path.endsWith(`/${funcYaml}`)) {
    return vscode.Uri.joinPath(active, '..');
  }
  const folders = await allFunctionFolders();
  if (folders.length === 0) {
    throw new UserError(`no function folder (a folder with ${funcYaml}) in this workspace`);
  }
  const picked = await vscode.window.showQuickPick(
    folders.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Function folder' },
  );
  return picked?.uri;
}

/** Keeps the `fnMesh.functionFolders` context key (paths of folders with func.yaml) current. */
export function trackFunctionFolders(log: vscode.LogOutputChannel): vscode.Disposable {
  const update = () =>
    void allFunctionFolders().then(
      (folders) => vscode.commands.executeCommand('setContext', 'fnMesh.functionFolders', folders.map((f) => f.path)),
      (err: unknown) => log.warn(`cannot list function folders: ${describeError(err)}`),
    );
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${funcYaml}`, false, true, false);
  update();
  return vscode.Disposable.from(watcher, watcher.onDidCreate(update), watcher.onDidDelete(update), vscode.workspace.onDidChangeWorkspaceFolders(update));
}
