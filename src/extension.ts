// Composition root: creates the shared services, the views and the commands, and nothing else.
// Nothing here waits on the network: views load when they are opened.
import * as vscode from 'vscode';
import { commandIds } from './common/commandIds';
import { registerCommand } from './common/vscode/commands';
import type { FunctionsTreeProvider } from './fn/ui/functionsTreeProvider';
import { createFunctionsView } from './fn/ui/functionsView';
import { createDeployFeature } from './deploy/ui/deployFeature';
import { registerFnCommands } from './fn/ui/fnCommands';
import { FnConnectionService } from './fn/ui/fnConnectionService';
import { registerKubeCommands } from './kube/ui/kubeCommands';
import { KubeConnectionService } from './kube/ui/kubeConnectionService';
import { createKubeStatusBar } from './kube/ui/kubeStatusBar';
import { createRoutingFeature } from './routing/ui/routingFeature';
import type { RoutingService } from './routing/ui/routingService';
import { createRolloutFeature } from './rollout/ui/rolloutFeature';
import type { RolloutController } from './rollout/ui/rolloutController';
import type { RuleDiagnostics } from './rules/ui/ruleDiagnostics';
import { createRulesFeature } from './rules/ui/rulesFeature';
import { createSamplingFeature } from './sampling/ui/samplingFeature';
import type { SamplingController } from './sampling/ui/samplingController';

/** What activate() returns: used by the extension-host tests. */
export interface FnMeshApi {
  readonly functionsTree: FunctionsTreeProvider;
  readonly fnConnection: FnConnectionService;
  readonly kube: KubeConnectionService;
  readonly routing: RoutingService;
  readonly rules: RuleDiagnostics;
  readonly sampling: SamplingController;
  readonly rollouts: RolloutController;
}

export function activate(context: vscode.ExtensionContext): FnMeshApi {
  const log = vscode.window.createOutputChannel('Fn Mesh', { log: true });
  const responses = vscode.window.createOutputChannel('Fn Mesh: Responses');
  const kube = new KubeConnectionService(log, context.workspaceState);
  const connection = new FnConnectionService(log, kube, undefined, undefined, context.secrets);
  const functions = createFunctionsView(connection);
  const routing = createRoutingFeature(context, log, kube, connection);
  const rules = createRulesFeature(context, log, routing.routing, routing.documents, kube);
  const sampling = createSamplingFeature(context, log, routing.routing, kube);
  const rollout = createRolloutFeature(context, log, routing.routing, sampling.controller);

  context.subscriptions.push(
    log,
    responses,
    connection,
    ...functions.disposables,
    registerCommand(log, commandIds.showLog, () => log.show()),
    registerCommand(log, commandIds.fnRefresh, () => functions.provider.refresh()),
    ...registerFnCommands({ log, responses, connection, secrets: context.secrets }),
    kube,
    createKubeStatusBar(kube.onDidChange),
    ...registerKubeCommands(log, kube),
    ...routing.disposables,
    ...rules.disposables,
    ...createDeployFeature(context, log, connection, routing.routing),
    ...sampling.disposables,
    ...rollout.disposables,
  );
  // Reads kubeconfig in the background (no network): the status bar fills in when it is done.
  void kube.state();
  return { functionsTree: functions.provider, fnConnection: connection, kube, routing: routing.routing, rules: rules.diagnostics, sampling: sampling.controller, rollouts: rollout.rollouts };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
