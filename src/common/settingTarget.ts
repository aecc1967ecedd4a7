// Where a command that changes a setting should write it: the most specific scope that already
// has a value, so the new value is the one that takes effect (a global value under a workspace
// value would change nothing). Pure: no `vscode`.

/** What VS Code's `WorkspaceConfiguration.inspect` reports for one setting. */
export interface InspectedSetting {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

export type SettingScope = 'global' | 'workspace' | 'workspaceFolder';

/** The scope to write: the folder's if it sets the value, else the workspace's, else global (user). */
export function settingScopeToWrite(inspected: InspectedSetting | undefined): SettingScope {
  if (inspected?.workspaceFolderValue !== undefined) {
    return 'workspaceFolder';
  }
  return inspected?.workspaceValue !== undefined ? 'workspace' : 'global';
}
