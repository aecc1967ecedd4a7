// Reads the `fnMesh.fn.*` settings. Server URLs go through `restrictedString`, so an untrusted
// workspace cannot point the extension at another Fn server.
import * as vscode from 'vscode';
import { restrictedString } from '../../common/vscode/settings';
import type { FnSettings } from '../connection';

export interface FnMeshSettings extends FnSettings {
  readonly pollIntervalSeconds: number;
  readonly maxFunctionsPerApp: number;
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
