// Holds the Kubernetes connection: reloads when the kubeconfig files or the settings change,
// remembers the context and namespace chosen in the extension, and reports changes.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { FilesWatcher } from '../../common/fileWatch';
import { restrictedString } from '../../common/vscode/settings';
import { connectKube, describeKube, type KubeSelection, type KubeState } from '../connection';
import { kubeconfigFiles } from '../kubeconfig';

const selectionKey = 'fnMesh.kube.selection';

export class KubeConnectionService implements vscode.Disposable {
  private current: Promise<KubeState> | undefined;
  private readonly changed = new vscode.EventEmitter<KubeState>();
  readonly onDidChange = this.changed.event;
  private readonly watcher = new FilesWatcher(() => {
    this.log.info('kubeconfig changed on disk: reconnecting');
    this.reset();
  });
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly memento: vscode.Memento,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
    private readonly homeDir: string = os.homedir(),
  ) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fnMesh.kubeconfig')) {
          this.reset();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
    ];
  }

  /** The connection, loaded once and cached until something changes. Never rejects. */
  state(): Promise<KubeState> {
    if (!this.current) {
      const inputs = { explicitPath: this.kubeconfigSetting(), env: this.env, homeDir: this.homeDir };
      // Watch every file kubectl would read, also ones that do not exist yet.
      this.watcher.watch(kubeconfigFiles(inputs).files);
      const loading = connectKube(inputs, this.selection());
      this.current = loading;
      void loading.then((state) => {
        this.log.info(`Kubernetes: ${describeKube(state)}`);
        if (this.current === loading) {
          this.changed.fire(state);
        }
      });
    }
    return this.current;
  }

  selection(): KubeSelection {
    return this.memento.get<KubeSelection>(selectionKey) ?? {};
  }

  async select(selection: KubeSelection): Promise<KubeState> {
    await this.memento.update(selectionKey, selection);
    this.current = undefined;
    return this.state();
  }

  /** Forgets the cached connection and loads it again (listeners hear about the result). */
  reset(): void {
    this.current = undefined;
    void this.state();
  }

  dispose(): void {
    this.watcher.close();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private kubeconfigSetting(): string | undefined {
    return restrictedString(vscode.workspace.getConfiguration('fnMesh'), 'kubeconfig');
  }
}
