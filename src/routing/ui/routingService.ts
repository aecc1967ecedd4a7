// Keeps the routing of the current namespace live: a KubeResources client for the current
// Kubernetes connection and watches (not polling) that feed the Traffic Routing view. Also holds
// the last weight change, for Undo.
import * as vscode from 'vscode';
import { UserError, describeError } from '../../common/errors';
import type { CliConnection } from '../../kube/cliConnection';
import { connectKubeResources, type KubeResources } from '../cluster/kubeResources';
import type { RoutedAppView } from '../cluster/routingView';
import type { Disposable } from '../../kube/objects/types';
import type { WeightsChange } from '../cluster/weightsUpdate';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';

export interface RoutingTarget {
  readonly resources: KubeResources;
  readonly namespace: string;
  readonly context: string;
  /** The kubeconfig files and context, for command-line tools (istioctl) Fn Mesh runs. */
  readonly cli: CliConnection;
}

export type RoutingSnapshot =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly namespace: string; readonly apps: readonly RoutedAppView[] }
  | { readonly kind: 'error'; readonly message: string };

export class RoutingService implements vscode.Disposable {
  private target: Promise<RoutingTarget> | undefined;
  private watch: Disposable | undefined;
  private generation = 0;
  private current: RoutingSnapshot = { kind: 'idle' };
  private readonly changed = new vscode.EventEmitter<RoutingSnapshot>();
  readonly onDidChange = this.changed.event;
  /** The last weight change made from VS Code, for Undo. */
  lastChange: WeightsChange | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly kube: KubeConnectionService,
  ) {
    this.subscription = kube.onDidChange(() => {
      if (this.current.kind !== 'idle') {
        this.restart();
      }
    });
  }

  get snapshot(): RoutingSnapshot {
    return this.current;
  }

  /** The client and namespace to act on; a UserError when there is no usable cluster. */
  resolve(): Promise<RoutingTarget> {
    this.target ??= (async () => {
      const state = await this.kube.state();
      if (state.kind !== 'connected') {
        throw new UserError(`no Kubernetes cluster: ${state.message}`);
      }
      return {
        resources: await connectKubeResources(state.config),
        namespace: state.namespace,
        context: state.context.name,
        cli: { files: state.files, source: state.source, context: state.context.name },
      };
    })();
    this.target.catch(() => (this.target = undefined));
    return this.target;
  }

  /** Starts watching (once); the view calls it when it first shows. */
  start(): void {
    if (this.current.kind === 'idle') {
      this.restart();
    }
  }

  restart(): void {
    this.watch?.dispose();
    this.watch = undefined;
    this.target = undefined;
    const generation = ++this.generation;
    this.set({ kind: 'loading' });
    void this.resolve().then(
      async ({ resources, namespace }) => {
        const watch = await resources.watchRouting(
          namespace,
          (apps) => {
            if (generation === this.generation) {
              this.set({ kind: 'ready', namespace, apps });
            }
          },
          { onError: (err, retryInMs) => this.log.warn(`routing watch: ${describeError(err)}; retrying in ${retryInMs} ms`) },
        );
        if (generation === this.generation) {
          this.watch = watch;
        } else {
          watch.dispose();
        }
      },
      (err: unknown) => {
        if (generation === this.generation) {
          this.set({ kind: 'error', message: describeError(err) });
        }
      },
    );
  }

  dispose(): void {
    this.generation++;
    this.watch?.dispose();
    this.subscription.dispose();
    this.changed.dispose();
  }

  private set(snapshot: RoutingSnapshot): void {
    this.current = snapshot;
    this.changed.fire(snapshot);
  }
}
