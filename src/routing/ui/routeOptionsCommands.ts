// Route option commands of the Traffic Routing view (right-click a routed app): pin requests by
// header, inject a fault, mirror, timeout and retries, outlier detection, clear options. Each asks
// its values (or takes them as an argument), reads the app's objects from the cluster, merges the
// change keeping the current weights, shows the YAML (and a diff on request), and applies after a
// server-side dry-run, guarded by the resourceVersion read.
import * as vscode from 'vscode';
import { commandIds, type CommandId } from '../../common/commandIds';
import { UserError } from '../../common/errors';
import { registerCommand } from '../../common/vscode/commands';
import type { ApplyOutcome } from '../../kube/objects/applyObjects';
import { ApplyWithRecovery } from '../../kube/objects/applyWithRecovery';
import { previewOf } from '../../kube/objects/preview';
import { applyWithPrompts } from '../../kube/ui/applyRecoveryPrompts';
import type { RoutedAppView } from '../cluster/routingView';
import { describeRef, refOf } from '../../kube/objects/types';
import type { HeaderPin, MirrorOptions, OutlierDetectionOptions, RouteOptions } from '../manifests/routeOptions';
import { readOutlierDetection, readRouteOptions } from '../routeOptionsRead';
import { assertSomethingToClear, optionKinds, planRouteOptions, type LiveRouting, type OptionKind, type RouteOptionsChange, type RouteOptionsPlan } from '../routeOptionsPlan';
import type { RoutingNode } from '../routingTree';
import { toYaml } from '../../kube/objects/yaml';
import { askClear, askFault, askMirror, askOutlier, askPin, askTimeouts } from './routeOptionsPrompts';
import type { RoutingService, RoutingTarget } from './routingService';
import type { YamlDocuments } from './yamlDocuments';

export interface RouteOptionsDeps {
  readonly log: vscode.LogOutputChannel;
  readonly routing: RoutingService;
  readonly documents: YamlDocuments;
}

/** What a command is given instead of asking: the values, and `action` instead of the confirmation. */
type Given = Record<string, unknown> & { readonly action?: 'apply' | 'preview' };

/** The app's objects and options now, for the questions and the plan. */
interface Current {
  readonly view: RoutedAppView;
  readonly target: RoutingTarget;
  readonly live: LiveRouting;
  readonly route: RouteOptions;
  readonly outlier?: OutlierDetectionOptions;
}

/** Turns the argument or the answers into a change; undefined when the user cancels. */
type Ask = (current: Current, given: Given | undefined) => Promise<RouteOptionsChange | undefined>;

function viewOf(node: unknown): RoutedAppView {
  const n = node as RoutingNode | undefined;
  const view = n?.kind === 'routedApp' ? n.view : n?.kind === 'version' ? n.app : undefined;
  if (!view) {
    throw new UserError('pick a routed app in the Traffic Routing view');
  }
  return view;
}

async function readCurrent(routing: RoutingService, node: unknown): Promise<Current> {
  const view = viewOf(node);
  if (view.route.kind !== 'VirtualService') {
    throw new UserError(`${view.appName} is routed with a ${view.route.kind}: route options need Istio (a VirtualService)`);
  }
  const target = await routing.resolve();
  const virtualService = await target.resources.get(view.route);
  if (!virtualService) {
    throw new UserError(`${describeRef(view.route)} no longer exists: route the app's traffic again`);
  }
  const destinationRule = await target.resources.get({ ...view.route, kind: 'DestinationRule' });
  const live = { virtualService, ...(destinationRule ? { destinationRule } : {}) };
  const outlier = readOutlierDetection(destinationRule);
  return { view, target, live, route: readRouteOptions(virtualService), ...(outlier ? { outlier } : {}) };
}

const versionsOf = (c: Current): string[] => c.view.versions.map((v) => v.version);

/** The argument without `action`, as the payload of a change; the plan checks every value. */
function payload(given: Given): Record<string, unknown> {
  return Object.fromEntries(Object.entries(given).filter(([key]) => key !== 'action'));
}

const asks: Record<'pin' | 'fault' | 'mirror' | 'timeouts' | 'outlier' | 'clear', Ask> = {
  pin: (c, g) => (g ? Promise.resolve({ kind: 'pin', pin: payload(g) as unknown as HeaderPin }) : askPin(c.view.appName, versionsOf(c))),
  fault: (c, g) => (g ? Promise.resolve({ kind: 'fault', fault: payload(g) }) : askFault(c.view.appName, c.route)),
  mirror: (c, g) => (g ? Promise.resolve({ kind: 'mirror', mirror: payload(g) as unknown as MirrorOptions }) : askMirror(c.view.appName, versionsOf(c), c.route)),
  timeouts: (c, g) => (g ? Promise.resolve({ kind: 'timeouts', ...payload(g) }) : askTimeouts(c.view.appName, c.route)),
  outlier: (c, g) => (g ? Promise.resolve({ kind: 'outlier', outlier: payload(g) }) : askOutlier(c.view.appName, c.outlier)),
  clear: async (c, g) => {
    const change: RouteOptionsChange | undefined = g ? { kind: 'clear', what: (g.what as OptionKind[] | undefined) ?? [...optionKinds] } : await askClear(c.view.appName, c.route, c.outlier);
    if (change?.kind === 'clear') {
      assertSomethingToClear(c.route, c.outlier, change.what ?? optionKinds);
    }
    return change;
  },
};

/** What the route-option previews were opened for. */
const optionsOrigin = (app: string): string => `a route-option command on ${app} (Pin Requests by Header…, Inject Fault…, Mirror Traffic…, Set Timeout and Retries…, Set Outlier Detection… or Clear Route Options…)`;

async function showDiff(deps: RouteOptionsDeps, target: RoutingTarget, plan: RouteOptionsPlan): Promise<void> {
  const diffs = await target.resources.diff(plan.objects);
  const failed = diffs.filter((d) => d.change === 'error');
  if (failed.length > 0) {
    void vscode.window.showWarningMessage(`The server's dry-run refused: ${failed.map((d) => d.error).join('; ')}`);
  }
  const live = deps.documents.put(`options-live-${plan.app.appName}`, diffs.map((d) => d.live).join('---\n'), optionsOrigin(plan.app.appName));
  const proposed = deps.documents.put(`options-proposed-${plan.app.appName}`, diffs.map((d) => d.proposed).join('---\n'), optionsOrigin(plan.app.appName));
  await vscode.commands.executeCommand('vscode.diff', live, proposed, `${plan.app.appName} options: cluster ↔ after apply`);
}

/** Shows the YAML, then asks Apply (with Show Diff as often as wanted). */
async function confirm(deps: RouteOptionsDeps, current: Current, plan: RouteOptionsPlan): Promise<boolean> {
  const uri = deps.documents.put(`options-${plan.app.appName}`, toYaml(plan.objects), optionsOrigin(plan.app.appName));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true, preserveFocus: true });
  for (;;) {
    const choice = await vscode.window.showInformationMessage(
      `Apply the route options of ${plan.app.appName} to ${plan.objects.map((o) => o.kind).join(' and ')} in ${current.target.namespace}? Weights stay ${plan.app.versions.map((v) => `${v.version} ${v.weight}%`).join(', ')}.`,
      { modal: true, detail: plan.summary.length > 0 ? `In force after the change:\n${plan.summary.join('\n')}` : 'No route options after the change.' },
      'Apply',
      'Show Diff',
    );
    if (choice !== 'Show Diff') {
      return choice === 'Apply';
    }
    await showDiff(deps, current.target, plan);
  }
}

async function applyOptions(deps: RouteOptionsDeps, current: Current, plan: RouteOptionsPlan): Promise<ApplyOutcome | undefined> {
  const { target, live } = current;
  const reads = [live.virtualService, ...(live.destinationRule ? [live.destinationRule] : [])].map((obj) => ({ ref: refOf(obj), live: obj }));
  deps.log.info(`route options of ${plan.app.appName} after the change: ${plan.summary.join('; ') || 'none'}`);
  // A 409 in the dry-run means the objects changed since they were read: nothing was written.
  return applyWithPrompts(deps.log, `Route options of ${plan.app.appName}`, new ApplyWithRecovery(target.resources.client, plan.objects, previewOf(reads)));
}

async function run(deps: RouteOptionsDeps, ask: Ask, node: unknown, arg: unknown): Promise<ApplyOutcome | RouteOptionsPlan | undefined> {
  const given = typeof arg === 'object' && arg !== null ? (arg as Given) : undefined;
  const current = await readCurrent(deps.routing, node);
  const change = await ask(current, given);
  if (!change) {
    return undefined;
  }
  const plan = planRouteOptions(current.live, change);
  const action = given?.action ?? ((await confirm(deps, current, plan)) ? 'apply' : undefined);
  if (action === 'preview') {
    return plan;
  }
  return action === 'apply' ? applyOptions(deps, current, plan) : undefined;
}

export function registerRouteOptionsCommands(deps: RouteOptionsDeps): vscode.Disposable[] {
  const commands: [CommandId, Ask][] = [
    [commandIds.routingPinHeader, asks.pin],
    [commandIds.routingInjectFault, asks.fault],
    [commandIds.routingMirror, asks.mirror],
    [commandIds.routingTimeoutRetries, asks.timeouts],
    [commandIds.routingOutlierDetection, asks.outlier],
    [commandIds.routingClearOptions, asks.clear],
  ];
  return commands.map(([id, ask]) => registerCommand(deps.log, id, (node?: unknown, arg?: unknown) => run(deps, ask, node, arg)));
}
