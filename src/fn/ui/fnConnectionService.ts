// Holds the current Fn connection and re-resolves it when settings or trust change.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { readSettings } from '../../common/vscode/settings';
import { connectFn, describeConnection, type FnConnectionState } from '../connection';

export class FnConnectionService implements vscode.Disposable {
  private current: Promise<FnConnectionState> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
    private readonly homeDir: string = os.homedir(),
  ) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fnMesh.fn')) {
          this.reset();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
    ];
  }

  /** The connection, resolved once and cached until `reset()`. Never rejects. */
  state(): Promise<FnConnectionState> {
    if (!this.current) {
      this.current = connectFn(readSettings(), this.env, this.homeDir).then(
        (state) => {
          this.log.info(`Fn endpoint: ${describeConnection(state)}`);
          return state;
        },
        (err: unknown) => ({ kind: 'invalid', message: `cannot resolve the Fn endpoint: ${String(err)}` }),
      );
    }
    return this.current;
  }

  reset(): void {
    this.current = undefined;
    this.changed.fire();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
