// Keeps the routing of the current namespace live: a KubeResources client for the current
// Kubernetes connection and watches (not polling) that feed the Traffic Routing view. Also holds
// the last weight change, for Undo.
import * as vscode from 'vscode';
import { UserError, describeError } from '../../common/errors';
import { connectKubeResources, type KubeResources } from '../cluster/kubeResources';
import { followRouting, type RoutingState } from '../cluster/liveRouting';
import type { Disposable } from '../../kube/objects/types';
import type { WeightsChange } from '../cluster/weightsUpdate';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';

export interface RoutingTarget {
  readonly resources: KubeResources;
  readonly namespace: string;
  readonly context: string;
}

export type RoutingSnapshot = RoutingState;

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
      return { resources: await connectKubeResources(state.config), namespace: state.namespace, context: state.context.name };
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
    const publish = (snapshot: RoutingSnapshot): void => {
      if (generation === this.generation) {
        this.set(snapshot);
      }
    };
    const onError = (err: unknown, retryInMs: number): void => this.log.warn(`routing watch: ${describeError(err)}; retrying in ${retryInMs} ms`);
    void followRouting(() => this.resolve(), publish, { onError }).then((watch) => {
      if (generation === this.generation) {
        this.watch = watch;
      } else {
        watch?.dispose();
      }
    });
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
