// Feeds the cluster-aware rule checks: while Kubernetes is connected and the workspace has a rule
// file, watches the cluster facts of the current context and namespace and hands them to the
// diagnostics; clears them on disconnect or when the context or namespace changes. Users who never
// open a rule file cause no cluster traffic from here.
import * as vscode from 'vscode';
import { describeError } from '../../common/errors';
import type { KubeState } from '../../kube/connection';
import { watchClusterFacts } from '../cluster/clusterFactsWatch';
import { createKubeClient } from '../../kube/objects/objectApiClient';
import type { Disposable } from '../../kube/objects/types';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';
import type { RuleDiagnostics } from './ruleDiagnostics';

export class ClusterFactsFeed implements vscode.Disposable {
  private watch: Disposable | undefined;
  /** Which cluster and namespace the facts come from; undefined while there are none. */
  private target: string | undefined;
  /** Bumped by every restart and stop: late results of an older one are dropped. */
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly kube: KubeConnectionService,
    private readonly diagnostics: RuleDiagnostics,
  ) {
    this.subscriptions = [kube.onDidChange((state) => this.follow(state)), diagnostics.onDidFindRuleFiles(() => void this.kube.state().then((s) => this.follow(s)))];
    if (diagnostics.hasRuleFiles) {
      void kube.state().then((s) => this.follow(s));
    }
  }

  /** Whether facts are being watched (for tests and the log). */
  get active(): boolean {
    return this.watch !== undefined;
  }

  dispose(): void {
    this.generation++;
    this.watch?.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private follow(state: KubeState): void {
    if (state.kind !== 'connected') {
      this.stop();
      return;
    }
    if (!this.diagnostics.hasRuleFiles) {
      return;
    }
    const target = `${state.context.name} · ${state.namespace} (${state.context.server ?? 'no server'})`;
    if (target !== this.target) {
      this.stop(); // facts of another cluster or namespace would mislead the checks
    }
    // The same target again (e.g. the kubeconfig file was rewritten): restart the watch on the new
    // configuration but keep the facts until the new ones arrive.
    this.watch?.dispose();
    this.watch = undefined;
    this.target = target;
    const generation = ++this.generation;
    createKubeClient(state.config).then(
      (client) => {
        if (generation !== this.generation) {
          return;
        }
        this.log.info(`rule checks: watching cluster facts of ${target}`);
        this.watch = watchClusterFacts(
          client,
          state.namespace,
          (facts) => {
            if (generation === this.generation) {
              this.diagnostics.setClusterFacts(facts, state.namespace);
            }
          },
          { log: this.log },
        );
      },
      (err: unknown) => this.log.warn(`rule checks: no cluster facts: ${describeError(err)}`),
    );
  }

  private stop(): void {
    this.generation++;
    this.watch?.dispose();
    this.watch = undefined;
    if (this.target !== undefined) {
      this.target = undefined;
      this.diagnostics.setClusterFacts(undefined);
    }
  }
}
