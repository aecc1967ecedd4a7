// Holds the current Fn connection and re-resolves it when settings, trust or (for an Fn server
// found in the cluster) the Kubernetes connection change.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { describeError } from '../../common/errors';
import { readSettings } from './fnSettings';
import { connectFnInCluster } from '../cluster/fnInCluster';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';
import { tokenKey, tokenKeyPrefix } from '../credentials';
import { connectFn, describeConnection, type DiscoveredFn, type FnConnectionState } from '../connection';

export class FnConnectionService implements vscode.Disposable {
  private current: Promise<FnConnectionState> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly kube: KubeConnectionService,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
    private readonly homeDir: string = os.homedir(),
    /** Where *Set Fn API Token…* keeps tokens (keyed by the endpoint's origin). */
    private readonly secrets?: vscode.SecretStorage,
  ) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fnMesh.fn')) {
          this.reset();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
      kube.onDidChange(() => void this.resetIfFromCluster()),
      ...(secrets ? [secrets.onDidChange((e) => e.key.startsWith(tokenKeyPrefix) && this.reset())] : []),
    ];
  }

  /** The connection, resolved once and cached until `reset()`. Never rejects. */
  state(): Promise<FnConnectionState> {
    if (!this.current) {
      this.current = connectFn(readSettings(), this.env, this.homeDir, {
        discover: () => this.discover(),
        storedToken: async (apiUrl) => this.secrets?.get(tokenKey(apiUrl)),
      }).then(
        (state) => {
          this.log.info(`Fn endpoint: ${describeConnection(state)}`);
          return state;
        },
        (err: unknown) => ({ kind: 'invalid', message: `cannot resolve the Fn endpoint: ${describeError(err)}` }),
      );
    }
    return this.current;
  }

  reset(): void {
    const previous = this.current;
    this.current = undefined;
    void previous?.then((state) => (state.kind === 'connected' ? state.close?.() : undefined));
    this.changed.fire();
  }

  dispose(): void {
    this.reset();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private async discover(): Promise<DiscoveredFn | undefined> {
    const kube = await this.kube.state();
    if (kube.kind !== 'connected') {
      return undefined;
    }
    this.log.info(`no Fn endpoint configured: looking for Fn services in context ${kube.context.name}`);
    const found = await connectFnInCluster(kube.config, kube.context.name, kube.namespace, { warn: (m) => this.log.warn(m) });
    for (const tunnel of found?.tunnels ?? []) {
      this.log.info(`port-forward ${tunnel}`);
    }
    return found;
  }

  private async resetIfFromCluster(): Promise<void> {
    const state = await this.current;
    if (state === undefined || (state.kind === 'connected' && state.endpoint.source === 'cluster') || state.kind === 'none') {
      this.reset();
    }
  }
}
