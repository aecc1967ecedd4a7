// Composition root: creates the shared services, the views and the commands, and nothing else.
// Nothing here waits on the network: views load when they are opened. What activation creates is
// what must exist from the start (the two views, the status bar, the services behind them); every
// other feature is a bundle of its own (see esbuild.mjs) that loads on first use: its commands are
// registered now as stubs (LazyCommands), its code is evaluated at the first call.
import * as vscode from 'vscode';
import { commandIds, type CommandId } from './common/commandIds';
import { registerCommand } from './common/vscode/commands';
import { LazyCommands, once } from './common/vscode/lazyFeatures';
import type * as FnBundle from './fn/ui/fnBundle';
import type * as KubeBundle from './kube/ui/kubeBundle';
import type * as RoutingBundle from './routing/ui/routingBundle';
import type * as DeployBundle from './deploy/ui/deployBundle';
import type * as RulesBundle from './rules/ui/rulesBundle';
import type * as SamplingBundle from './sampling/ui/samplingBundle';
import type * as RolloutBundle from './rollout/ui/rolloutBundle';
import { trackFunctionFolders } from './deploy/ui/functionFolders';
import type { FunctionsTreeProvider } from './fn/ui/functionsTreeProvider';
import { createFunctionsView } from './fn/ui/functionsView';
import { FnConnectionService } from './fn/ui/fnConnectionService';
import { KubeConnectionService } from './kube/ui/kubeConnectionService';
import { createKubeStatusBar } from './kube/ui/kubeStatusBar';
import type { RoutingService } from './routing/ui/routingService';
import { createRoutingView } from './routing/ui/routingView';
import type { RolloutController } from './rollout/ui/rolloutController';
import { rolloutStateKey } from './rollout/ui/rolloutStateKey';
import type { RuleDiagnostics } from './rules/ui/ruleDiagnostics';
import { isYamlDocument, yamlFilesExclude, yamlFilesGlob } from './rules/ui/yamlFiles';
import type { SamplingController } from './sampling/ui/samplingController';

/** What activate() returns: used by the extension-host tests. The rule, sampling and rollout parts load when read. */
export interface FnMeshApi {
  readonly functionsTree: FunctionsTreeProvider;
  readonly fnConnection: FnConnectionService;
  readonly kube: KubeConnectionService;
  readonly routing: RoutingService;
  readonly rules: RuleDiagnostics;
  readonly sampling: SamplingController;
  readonly rollouts: RolloutController;
}

/** The commands each lazily loaded feature registers (the host test checks that all are registered at activation). */
const featureCommands = {
  fn: [commandIds.fnConfigure, commandIds.fnSetToken, commandIds.fnShowEndpoint, commandIds.fnCopyInvokeUrl, commandIds.fnInvoke],
  kube: [commandIds.kubeSelectContext, commandIds.kubeSelectNamespace],
  routing: [
    commandIds.routingRouteTraffic,
    commandIds.routingRefresh,
    commandIds.routingAdjustWeights,
    commandIds.routingUndoWeights,
    commandIds.routingRemove,
    commandIds.routingPinHeader,
    commandIds.routingInjectFault,
    commandIds.routingMirror,
    commandIds.routingTimeoutRetries,
    commandIds.routingOutlierDetection,
    commandIds.routingClearOptions,
    commandIds.routingExposeOnGateway,
  ],
  deploy: [commandIds.fnDeploy, commandIds.fnNewVersion, commandIds.fnRegisterImage],
  rules: [commandIds.rulesMigrate, commandIds.rulesApplyFile, commandIds.rulesAnalyzeWithIstioctl],
  sampling: [commandIds.samplingStart, commandIds.samplingStop, commandIds.samplingShowChart, commandIds.samplingStatusActions],
  rollout: [commandIds.rolloutStart, commandIds.rolloutPromote, commandIds.rolloutPause, commandIds.rolloutResume, commandIds.rolloutAbort, commandIds.rolloutExport],
} satisfies Record<string, readonly CommandId[]>;

export function activate(context: vscode.ExtensionContext): FnMeshApi {
  const log = vscode.window.createOutputChannel('Fn Mesh', { log: true });
  const responses = vscode.window.createOutputChannel('Fn Mesh: Responses');
  const kube = new KubeConnectionService(log, context.workspaceState);
  const connection = new FnConnectionService(log, kube, undefined, undefined, context.secrets);
  const functions = createFunctionsView(connection);
  const routing = createRoutingView(log, kube);
  const commands = new LazyCommands(log);
  const keep = (disposables: readonly vscode.Disposable[]): void => void context.subscriptions.push(...disposables);

  // The `require`s below name each feature's bundle entry; esbuild turns them into requires of
  // the feature's own file in dist/ (evaluated here, on first use, not at activation).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fnFeature = once(() => {
    const m = require('./fn/ui/fnBundle') as typeof FnBundle;
    keep(m.registerInto(commands.sink, () => m.registerFnCommands({ log, responses, connection, secrets: context.secrets })));
  });
  const kubeFeature = once(() => {
    const m = require('./kube/ui/kubeBundle') as typeof KubeBundle;
    keep(m.registerInto(commands.sink, () => m.registerKubeCommands(log, kube)));
  });
  const routingFeature = once(() => {
    const m = require('./routing/ui/routingBundle') as typeof RoutingBundle;
    keep(m.registerInto(commands.sink, () => m.registerRoutingFeatureCommands({ log, routing: routing.routing, documents: routing.documents, fn: connection, memento: context.workspaceState })));
  });
  const deployFeature = once(() => {
    const m = require('./deploy/ui/deployBundle') as typeof DeployBundle;
    keep(m.registerInto(commands.sink, () => m.registerDeployCommands({ log, connection, routing: routing.routing, memento: context.workspaceState })));
  });
  const rulesFeature = once(() => {
    const m = require('./rules/ui/rulesBundle') as typeof RulesBundle;
    const rules = m.registerInto(commands.sink, () => m.createRulesFeature(context, log, routing.routing, routing.documents, kube));
    keep(rules.disposables);
    return rules.diagnostics;
  });
  const samplingFeature = once(() => {
    const m = require('./sampling/ui/samplingBundle') as typeof SamplingBundle;
    const sampling = m.registerInto(commands.sink, () => m.createSamplingFeature(context, log, routing.routing, kube));
    keep(sampling.disposables);
    return sampling.controller;
  });
  const rolloutFeature = once(() => {
    const m = require('./rollout/ui/rolloutBundle') as typeof RolloutBundle;
    const rollout = m.registerInto(commands.sink, () => m.createRolloutFeature(context, log, routing.routing, samplingFeature()));
    keep(rollout.disposables);
    return rollout.rollouts;
  });
  /* eslint-enable @typescript-eslint/no-require-imports */

  commands.add(featureCommands.fn, fnFeature);
  commands.add(featureCommands.kube, kubeFeature);
  commands.add(featureCommands.routing, routingFeature);
  commands.add(featureCommands.deploy, deployFeature);
  commands.add(featureCommands.rules, rulesFeature);
  commands.add(featureCommands.sampling, samplingFeature);
  commands.add(featureCommands.rollout, rolloutFeature);

  context.subscriptions.push(
    log,
    responses,
    connection,
    ...functions.disposables,
    registerCommand(log, commandIds.showLog, () => log.show()),
    registerCommand(log, commandIds.fnRefresh, () => functions.provider.refresh()),
    kube,
    createKubeStatusBar(kube.onDidChange),
    ...routing.disposables,
    trackFunctionFolders(log),
    commands,
  );
  // A rollout a previous window left unfinished: the feature asks what to do with it.
  if (context.workspaceState.get(rolloutStateKey) !== undefined) {
    rolloutFeature();
  }
  // Work nobody waits for runs just after activation: reading kubeconfig (no network; the status
  // bar fills in when it is done) and looking for the first YAML file.
  const afterActivation = setImmediate(() => {
    void kube.state();
    startRulesWhenYaml(context, log, rulesFeature);
  });
  context.subscriptions.push({ dispose: () => clearImmediate(afterActivation) });
  return {
    functionsTree: functions.provider,
    fnConnection: connection,
    kube,
    routing: routing.routing,
    get rules() {
      return rulesFeature();
    },
    get sampling() {
      return samplingFeature();
    },
    get rollouts() {
      return rolloutFeature();
    },
  };
}

/**
 * The rule features (diagnostics, quick fixes, schemas) start with the first YAML file: one open
 * now, one opened later, or one in the workspace (what their workspace scan would read).
 */
function startRulesWhenYaml(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, start: () => unknown): void {
  if (vscode.workspace.textDocuments.some(isYamlDocument)) {
    start();
    return;
  }
  let started = false;
  const startOnce = (): void => {
    if (started) {
      return;
    }
    started = true;
    opened.dispose();
    try {
      start();
    } catch (err) {
      log.error(`rule checks did not start: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const opened = vscode.workspace.onDidOpenTextDocument((doc) => isYamlDocument(doc) && startOnce());
  context.subscriptions.push(opened);
  void vscode.workspace.findFiles(yamlFilesGlob, yamlFilesExclude, 1).then(
    (files) => files.length > 0 && startOnce(),
    () => undefined,
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
