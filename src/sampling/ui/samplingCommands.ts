// Start Sampling…, Stop Sampling, Show Sampling Chart and the status bar item's menu.
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import { registerCommand } from '../../common/vscode/commands';
import type { RoutingService } from '../../routing/ui/routingService';
import { pickRoutedApp } from './pickRoutedApp';
import type { SamplingChartPanel } from './samplingChartPanel';
import type { SamplingController, StartOutcome } from './samplingController';

/** The routing feature's command that binds an app to a Gateway (invoked by id: it may be absent). */
export const exposeOnGatewayCommand = 'fnMesh.routing.exposeOnGateway';

export interface SamplingCommandDeps {
  readonly log: vscode.LogOutputChannel;
  readonly routing: RoutingService;
  readonly controller: SamplingController;
  readonly chart: SamplingChartPanel;
}

/** Says why the app cannot be sampled through a gateway and offers the ways out; never samples around the mesh. */
async function offerExposure(app: string, reason: string): Promise<void> {
  const canExpose = (await vscode.commands.getCommands(true)).includes(exposeOnGatewayCommand);
  const actions = [...(canExpose ? ['Expose on Gateway…'] : []), 'Set Target URL…'];
  const choice = await vscode.window.showWarningMessage(
    `Fn Mesh: ${app} is not exposed on an Istio Gateway, so sampling it would bypass the weights. ${reason}`,
    ...actions,
  );
  if (choice === 'Expose on Gateway…') {
    await vscode.commands.executeCommand(exposeOnGatewayCommand, app);
  } else if (choice === 'Set Target URL…') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'fnMesh.sampling.targetUrl');
  }
}

export function registerSamplingCommands(deps: SamplingCommandDeps): vscode.Disposable[] {
  const { log, routing, controller, chart } = deps;
  return [
    controller.onDidSnapshot((e) => chart.post(e.app, e.snapshot, e.verdict)),
    controller.onDidEnd((app) => chart.ended(app)),
    registerCommand(log, commandIds.samplingStart, async (node?: unknown): Promise<StartOutcome | undefined> => {
      const view = await pickRoutedApp(routing, node, 'Start sampling which app?');
      if (!view) {
        return undefined;
      }
      const outcome = await controller.start(view);
      if (outcome.kind === 'notExposed') {
        log.warn(`sampling ${view.appName}: ${outcome.reason}`);
        void offerExposure(view.appName, outcome.reason);
        return outcome;
      }
      log.info(`sampling ${view.namespace}/${view.appName}: ${outcome.info.target}`);
      controller.show();
      chart.show();
      return outcome;
    }),
    registerCommand(log, commandIds.samplingStop, () => controller.stop()),
    registerCommand(log, commandIds.samplingShowChart, () => {
      controller.show();
      chart.show();
    }),
    registerCommand(log, commandIds.samplingStatusActions, async () => {
      const choice = await vscode.window.showQuickPick(['Show Sampling Panel', 'Show Sampling Chart', 'Stop Sampling'], { title: 'Fn Mesh: Sampling' });
      if (choice === 'Show Sampling Panel') {
        controller.show();
      } else if (choice === 'Show Sampling Chart') {
        chart.show();
      } else if (choice === 'Stop Sampling') {
        await controller.stop();
      }
    }),
  ];
}
