// Reads settings that pick which servers or files Fn Mesh talks to. In an untrusted workspace,
// workspace values of such settings are ignored (they could point the extension at any host).
// Knows no domain: each domain's ui/ reads its own settings through this.
import * as vscode from 'vscode';

/** A setting that chooses which servers or files we use: its workspace value counts only in a trusted workspace. */
export function restrictedString(cfg: vscode.WorkspaceConfiguration, key: string): string | undefined {
  if (vscode.workspace.isTrusted) {
    return cfg.get<string>(key);
  }
  const inspected = cfg.inspect<string>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}
