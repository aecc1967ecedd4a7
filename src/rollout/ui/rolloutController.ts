// Runs rollouts from the editor: one RolloutDriver per app, its weights written by the routing
// feature's guarded update (as Adjust Weights does) and its steps sampled by the sampling
// controller; progress in a notification, the report in the Sampling panel, the state saved in
// workspaceState after every change so that a reloaded window can resume or roll back.
import * as vscode from 'vscode';
import { UserError, describeError } from '../../common/errors';
import type { RoutedAppView } from '../../routing/cluster/routingView';
import type { RoutingService } from '../../routing/ui/routingService';
import { findApp } from '../../sampling/ui/routeWeights';
import type { SamplingController } from '../../sampling/ui/samplingController';
import { RolloutDriver } from '../rolloutDriver';
import type { RolloutPlan, WeightMap } from '../rolloutPlan';
import { rolloutStateKey } from './rolloutStateKey';
import { createRollout, describeWeights, deserializeRollout, isFinal, serializeRollout, stepHealth, type RolloutState } from '../rolloutState';

const stateKey = rolloutStateKey;

interface Saved {
  readonly namespace: string;
  readonly app: string;
  readonly state: string;
}

interface Active {
  readonly namespace: string;
  readonly app: string;
  readonly driver: RolloutDriver;
}

const toMap = (w: WeightMap): Map<string, number> => new Map(Object.entries(w));

/** The route's weights as the view shows them: where a rollout starts and rolls back to. */
export const weightsOf = (view: RoutedAppView): WeightMap => Object.fromEntries(view.versions.map((v) => [v.version, v.weight]));

export class RolloutController {
  private active: Active | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly routing: RoutingService,
    private readonly sampling: SamplingController,
    private readonly memento: vscode.Memento,
  ) {}

  get current(): RolloutState | undefined {
    return this.active?.driver.state;
  }

  /** Starts rolling out `plan` on `view` from its current weights; resolves when the rollout stops. */
  async start(view: RoutedAppView, plan: RolloutPlan): Promise<RolloutState> {
    if (this.active && !isFinal(this.active.driver.state.status)) {
      throw new UserError(`a rollout of ${this.active.app} is in progress: promote, abort or roll it back first`);
    }
    const start = weightsOf(view);
    let state: RolloutState;
    try {
      state = createRollout(plan, start, Date.now());
    } catch (err) {
      throw new UserError(describeError(err));
    }
    return this.drive(view.namespace, view.appName, state);
  }

  /** A saved rollout that did not finish (the window closed), if any. */
  saved(): { readonly namespace: string; readonly app: string; readonly state: RolloutState } | undefined {
    const saved = this.memento.get<Saved>(stateKey);
    if (!saved) {
      return undefined;
    }
    try {
      const state = deserializeRollout(saved.state, Date.now());
      return isFinal(state.status) ? undefined : { namespace: saved.namespace, app: saved.app, state };
    } catch (err) {
      this.log.warn(`ignoring the saved rollout: ${describeError(err)}`);
      return undefined;
    }
  }

  /** Resumes the running, paused or saved rollout. */
  async resume(): Promise<RolloutState> {
    if (this.active && !isFinal(this.active.driver.state.status)) {
      return this.withProgress(this.active, this.active.driver.run());
    }
    const saved = this.saved();
    if (!saved) {
      throw new UserError('there is no rollout to resume');
    }
    return this.drive(saved.namespace, saved.app, saved.state);
  }

  /** Returns a saved (interrupted) rollout to its starting weights without running it. */
  async rollBackSaved(): Promise<RolloutState> {
    const saved = this.saved();
    if (!saved) {
      throw new UserError('there is no saved rollout to roll back');
    }
    const active = this.attach(saved.namespace, saved.app, saved.state);
    return active.driver.rollBack();
  }

  pause(): Promise<RolloutState> {
    return this.need().driver.pause();
  }

  promoteNow(): Promise<RolloutState> {
    return this.need().driver.promoteNow();
  }

  abort(): Promise<RolloutState> {
    return this.need().driver.abort();
  }

  private need(): Active {
    if (!this.active || isFinal(this.active.driver.state.status)) {
      throw new UserError('no rollout is in progress');
    }
    return this.active;
  }

  private drive(namespace: string, app: string, state: RolloutState): Promise<RolloutState> {
    const active = this.attach(namespace, app, state);
    return this.withProgress(active, active.driver.run());
  }

  private attach(namespace: string, app: string, state: RolloutState): Active {
    const viewNow = async (): Promise<RoutedAppView> => {
      const view = findApp(this.routing, namespace, app) ?? (await this.waitForApp(namespace, app));
      return view;
    };
    const driver = new RolloutDriver(state, {
      setWeights: async (weights, guard) => {
        const { resources } = await this.routing.resolve();
        await resources.updateWeights(namespace, app, toMap(weights), { expected: toMap(guard.expected) });
      },
      sample: async (durationMs, signal) => stepHealth(await this.sampling.sampleWindow(await viewNow(), durationMs, signal), state.plan.newVersion),
      save: async (s) => {
        await this.memento.update(stateKey, { namespace, app, state: serializeRollout(s) } satisfies Saved);
      },
    });
    driver.onChange((s) => this.report(app, s));
    const active = { namespace, app, driver };
    this.active = active;
    this.report(app, state);
    return active;
  }

  /** The app's view from the routing watch, waiting up to 15 s for it to load. */
  private waitForApp(namespace: string, app: string): Promise<RoutedAppView> {
    this.routing.start();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new UserError(`${namespace}/${app} is not in the Traffic Routing view: is the cluster reachable?`));
      }, 15_000);
      const sub = this.routing.onDidChange(() => {
        const view = findApp(this.routing, namespace, app);
        if (view) {
          clearTimeout(timer);
          sub.dispose();
          resolve(view);
        }
      });
    });
  }

  private report(app: string, s: RolloutState): void {
    const line = `--- rollout ${app} → ${s.plan.newVersion} [${s.status}] ${s.message} (weights ${describeWeights(s.appliedWeights)})`;
    this.sampling.output.appendLine(line);
    this.log.info(line);
  }

  private withProgress(active: Active, done: Promise<RolloutState>): Promise<RolloutState> {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Fn Mesh: rolling out ${active.driver.state.plan.newVersion} of ${active.app}`, cancellable: true },
      async (progress, token) => {
        const off = active.driver.onChange((s) => progress.report({ message: s.message }));
        const cancel = token.onCancellationRequested(() => void active.driver.abort());
        try {
          await done;
        } finally {
          off();
          cancel.dispose();
        }
      },
    );
    return done.then((s) => {
      const text = `Fn Mesh: rollout of ${s.plan.newVersion} on ${active.app}: ${s.status}. ${s.message}`;
      if (s.status === 'promoted') {
        void vscode.window.showInformationMessage(text);
      } else if (s.status !== 'paused') {
        void vscode.window.showWarningMessage(text);
      }
      return s;
    });
  }
}
