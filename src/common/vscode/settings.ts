// Reads Fn Mesh settings. In an untrusted workspace, workspace values of settings that pick
// which servers we talk to are ignored (they could point the extension at any host).
import * as vscode from 'vscode';
import type { FnSettings } from '../../fn/connection';

export interface FnMeshSettings extends FnSettings {
  readonly pollIntervalSeconds: number;
  readonly maxFunctionsPerApp: number;
}

/** A setting that chooses which servers or files we use: its workspace value counts only in a trusted workspace. */
export function restrictedString(cfg: vscode.WorkspaceConfiguration, key: string): string | undefined {
  if (vscode.workspace.isTrusted) {
    return cfg.get<string>(key);
  }
  const inspected = cfg.inspect<string>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

export function readSettings(): FnMeshSettings {
  const cfg = vscode.workspace.getConfiguration('fnMesh');
  return {
    apiUrl: restrictedString(cfg, 'fn.apiUrl'),
    invokeUrl: restrictedString(cfg, 'fn.invokeUrl'),
    requestTimeoutSeconds: cfg.get<number>('fn.requestTimeoutSeconds', 15),
    pollIntervalSeconds: cfg.get<number>('fn.pollIntervalSeconds', 30),
    maxFunctionsPerApp: cfg.get<number>('fn.maxFunctionsPerApp', 2000),
  };
}
