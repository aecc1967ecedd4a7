// Keeps the routing of the current namespace live: a KubeResources client for the current
// Kubernetes connection and watches (not polling) that feed the Traffic Routing view. Also holds
// the weight changes made from VS Code, for Undo.
//
// The target (client, namespace, context) always follows the connection the status bar shows:
// it is looked up on every `resolve()` and its client is kept only for the same loaded kubeconfig
// and context, whether or not the view has ever been shown.
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { UserError, describeError } from '../../common/errors';
import type { CliConnection } from '../../kube/cliConnection';
import type { KubeResources } from '../cluster/kubeResources';
import { connectKubeResourcesLazily } from '../cluster/kubeResourcesLoader';
import { followRouting, type RoutingState } from '../cluster/liveRouting';
import type { Disposable } from '../../kube/objects/types';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';
import { siteOf, type ChangeSite } from '../routingSite';
import { WeightHistory } from '../weightHistory';

export interface RoutingTarget {
  readonly resources: KubeResources;
  readonly namespace: string;
  readonly context: string;
  /** Cluster and namespace, to bind a change to where it was made (Undo). */
  readonly site: ChangeSite;
  /** The kubeconfig files and context, for command-line tools (istioctl) Fn Mesh runs. */
  readonly cli: CliConnection;
}

export type RoutingSnapshot = RoutingState;

export class RoutingService implements vscode.Disposable {
  /** The client of one loaded kubeconfig (a new KubeConfig object comes with every reload or switch). */
  private client: { readonly config: KubeConfig; readonly resources: Promise<KubeResources> } | undefined;
  private watch: Disposable | undefined;
  private generation = 0;
  private current: RoutingSnapshot = { kind: 'idle' };
  private readonly changed = new vscode.EventEmitter<RoutingSnapshot>();
  readonly onDidChange = this.changed.event;
  /** The weight changes made from VS Code, each bound to its app, namespace and cluster. */
  readonly history = new WeightHistory();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly kube: KubeConnectionService,
  ) {
    this.subscription = kube.onDidChange(() => {
      this.client = undefined; // whether or not the view is shown
      if (this.current.kind !== 'idle') {
        this.restart();
      }
    });
  }

  get snapshot(): RoutingSnapshot {
    return this.current;
  }

  /**
   * The client, namespace and context to act on: those of the connection now (the status bar's).
   * A command calls it once at its start and uses the result throughout. A UserError when there
   * is no usable cluster.
   */
  async resolve(): Promise<RoutingTarget> {
    const state = await this.kube.state();
    if (state.kind !== 'connected') {
      throw new UserError(`no Kubernetes cluster: ${state.message}`);
    }
    let client = this.client;
    if (client?.config !== state.config) {
      const resources = connectKubeResourcesLazily(state.config);
      client = { config: state.config, resources };
      this.client = client;
      resources.catch(() => {
        if (this.client?.resources === resources) {
          this.client = undefined; // try again next time
        }
      });
    }
    const context = state.context.name;
    return {
      resources: await client.resources,
      namespace: state.namespace,
      context,
      site: siteOf(context, state.context.server, state.namespace),
      cli: { files: state.files, source: state.source, context },
    };
  }

  /** Starts watching (once); the view calls it when it first shows. */
  start(): void {
    if (this.current.kind === 'idle') {
      this.restart();
    }
  }

  /**
   * The routing as the watches see it once they have listed: starts them if the view never did,
   * and waits (at most `timeoutMs`, default 30 s) while they load. Resolves to the last state, which
   * may be `error` (the reason) or still `loading` after the timeout; never rejects.
   */
  settled(timeoutMs = 30_000): Promise<RoutingSnapshot> {
    this.start();
    if (this.current.kind !== 'loading') {
      return Promise.resolve(this.current);
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(this.current);
      };
      const timer = setTimeout(done, timeoutMs);
      const subscription = this.changed.event((snapshot) => {
        if (snapshot.kind !== 'loading') {
          done();
        }
      });
    });
  }

  restart(): void {
    this.watch?.dispose();
    this.watch = undefined;
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
