// Roll Out Version…, Promote Now, Pause, Resume, Abort, Export Rollout Plan…, and the question a
// reloaded window asks about a rollout that did not finish.
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import { UserError } from '../../common/errors';
import { registerCommand } from '../../common/vscode/commands';
import type { RoutingService } from '../../routing/ui/routingService';
import { pickRoutedApp } from '../../sampling/ui/pickRoutedApp';
import type { RolloutPlan, WeightMap } from '../rolloutPlan';
import { describeWeights } from '../rolloutState';
import { exportRolloutPlan } from './exportRolloutPlan';
import { weightsOf, type RolloutController } from './rolloutController';
import { askExportTarget, askRolloutPlan, type ExportInput, type PlanInput } from './rolloutPrompts';

export interface RolloutCommandDeps {
  readonly log: vscode.LogOutputChannel;
  readonly routing: RoutingService;
  readonly rollouts: RolloutController;
}

export function registerRolloutCommands({ log, routing, rollouts }: RolloutCommandDeps): vscode.Disposable[] {
  return [
    registerCommand(log, commandIds.rolloutStart, async (node?: unknown, input?: unknown) => {
      const view = await pickRoutedApp(routing, node, 'Roll out a version of which app?');
      if (!view) {
        return undefined;
      }
      const plan = await askRolloutPlan(view, input as PlanInput | undefined);
      // Asked interactively: the plan as understood is confirmed before any weight is written.
      if (input === undefined && !(await confirmPlan(view.appName, view.namespace, weightsOf(view), plan))) {
        return undefined;
      }
      return rollouts.start(view, plan);
    }),
    registerCommand(log, commandIds.rolloutPromote, () => rollouts.promoteNow()),
    registerCommand(log, commandIds.rolloutPause, () => rollouts.pause()),
    registerCommand(log, commandIds.rolloutResume, () => rollouts.resume()),
    registerCommand(log, commandIds.rolloutAbort, () => rollouts.abort()),
    registerCommand(log, commandIds.rolloutExport, async (node?: unknown, input?: unknown) => {
      const view = await pickRoutedApp(routing, node, 'Export the rollout plan of which app?');
      if (!view) {
        return undefined;
      }
      const kind = await askExportTarget(input as ExportInput | undefined);
      const plan = await askRolloutPlan(view, input as PlanInput | undefined);
      const outcome = await exportRolloutPlan(routing, view, plan, kind);
      await vscode.window.showTextDocument(outcome.uri, { preview: false });
      const file = vscode.workspace.asRelativePath(outcome.uri);
      const check = outcome.check;
      if (!check) {
        void vscode.window.showWarningMessage(`Fn Mesh: wrote ${file}; not checked by a server (no cluster connected)`);
      } else if (check.kind === 'unchecked') {
        void vscode.window.showWarningMessage(`Fn Mesh: wrote ${file}; ${check.message}`);
      } else if (!check.outcome.ok) {
        throw new UserError(`wrote ${file}, but the API server refuses it: ${check.outcome.summary}`);
      } else {
        void vscode.window.showInformationMessage(`Fn Mesh: wrote ${file}; the API server accepts it (server-side dry-run)`);
      }
      return outcome;
    }),
  ];
}

/** The plan in words, with Start; false when dismissed. */
async function confirmPlan(app: string, namespace: string, start: WeightMap, plan: RolloutPlan): Promise<boolean> {
  const g = plan.gates;
  const choice = await vscode.window.showInformationMessage(
    `Roll out ${plan.newVersion} of ${app} (${namespace}): ${plan.steps.map((s) => `${s}%`).join(' → ')}?`,
    {
      modal: true,
      detail:
        `Now: ${describeWeights(start)}. Each step writes the weights, samples for ${plan.pauseSeconds} s and needs at least ${g.minSamples} responses of ${plan.newVersion}, ` +
        `an error rate of at most ${(g.maxErrorRate * 100).toFixed(1)}% and a p95 of at most ${g.maxP95Ms} ms; otherwise the weights go back to where they are now.`,
    },
    'Start',
  );
  return choice === 'Start';
}

/** On activation: a rollout the last window did not finish asks to be resumed or rolled back (not awaited). */
export function askAboutInterruptedRollout(log: vscode.LogOutputChannel, rollouts: RolloutController): void {
  const saved = rollouts.saved();
  if (!saved) {
    return;
  }
  void vscode.window
    .showWarningMessage(
      `Fn Mesh: the rollout of ${saved.state.plan.newVersion} on ${saved.namespace}/${saved.app} did not finish (${describeWeights(saved.state.appliedWeights)}).`,
      'Resume',
      'Roll Back',
    )
    .then(async (choice) => {
      try {
        if (choice === 'Resume') {
          await rollouts.resume();
        } else if (choice === 'Roll Back') {
          const s = await rollouts.rollBackSaved();
          void vscode.window.showInformationMessage(`Fn Mesh: ${s.message}`);
        }
      } catch (err) {
        log.error(`rollout: ${(err as Error).message}`);
        void vscode.window.showErrorMessage(`Fn Mesh: ${(err as Error).message}`);
      }
    });
}
