// Commands of the Traffic Routing view: adjust weights (input or presets), undo a change (the
// notification's own, the right-clicked app's last, or the last one where Fn Mesh is connected),
// remove an app's routing; and the registration of Route Traffic.
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import { UserError } from '../../common/errors';
import { registerCommand } from '../../common/vscode/commands';
import type { RoutedAppView } from '../cluster/routingView';
import { describeRef } from '../../kube/objects/types';
import type { RoutingNode } from '../routingTree';
import type { WeightsChange } from '../cluster/weightsUpdate';
import { isNothingToUndo, isUndoGone, type UndoRequest } from '../weightHistory';
import { weightsFromInput } from '../routePlan';
import { formatWeights, parseWeights, type Weights } from '../weights';
import { weightPresets } from '../weightPresets';
import { routeTraffic, type RouteTrafficDeps } from './routeTrafficCommand';
import type { RoutingService, RoutingTarget } from './routingService';

function viewOf(node: unknown): RoutedAppView {
  const n = node as RoutingNode | undefined;
  if (n?.kind === 'routedApp') {
    return n.view;
  }
  if (n?.kind === 'version') {
    return n.app;
  }
  throw new UserError('pick a routed app in the Traffic Routing view');
}

const currentWeights = (view: RoutedAppView): Weights => new Map(view.versions.map((v) => [v.version, v.weight]));

/** Presets and free input; returns the new weights, or undefined when cancelled. */
async function askNewWeights(view: RoutedAppView, focus: string | undefined): Promise<Weights | undefined> {
  const versions = view.versions.map((v) => v.version);
  const presets: { label: string; description?: string; weights?: Weights }[] = [
    { label: 'Enter weights…', description: formatWeights(currentWeights(view)) },
    ...weightPresets(currentWeights(view), focus),
  ];
  const picked = await vscode.window.showQuickPick(
    presets.map((p) => ({ ...p, description: p.description ?? (p.weights ? formatWeights(p.weights) : undefined) })),
    { title: `Weights of ${view.appName}` },
  );
  if (!picked) {
    return undefined;
  }
  if (picked.weights) {
    return picked.weights;
  }
  const text = await vscode.window.showInputBox({
    title: `Weights of ${view.appName}`,
    value: formatWeights(currentWeights(view)),
    validateInput: (t) => {
      const parsed = parseWeights(t, versions);
      return parsed.ok ? undefined : parsed.problem.message;
    },
  });
  return text === undefined ? undefined : weightsFromInput(text, versions);
}

/**
 * Refuses a view node that does not belong to where Fn Mesh is connected now: one shown for
 * another namespace, or for another cluster while the view has not caught up with a switch.
 */
function assertShownHere(routing: RoutingService, view: RoutedAppView, target: RoutingTarget): void {
  const shown = routing.snapshot;
  const stale = view.namespace !== target.namespace || (shown.kind === 'ready' && shown.site.clusterKey !== target.site.clusterKey);
  if (stale) {
    throw new UserError(
      `${view.appName} is shown for namespace ${view.namespace}${shown.kind === 'ready' ? ` of context ${shown.site.context}` : ''}, ` +
        `but Fn Mesh is now connected to namespace ${target.namespace} of context ${target.context}: refresh the Traffic Routing view. Nothing was written.`,
    );
  }
}

/** Undo's argument: the change of a notification, a right-clicked app or version, or nothing (the last change here). */
function undoRequestOf(arg: unknown): UndoRequest {
  if (typeof arg === 'object' && arg !== null && 'ref' in arg && 'previous' in arg && 'applied' in arg) {
    return { kind: 'change', change: arg as WeightsChange };
  }
  const n = arg as RoutingNode | undefined;
  if (n?.kind === 'routedApp' || n?.kind === 'version') {
    const view = viewOf(n);
    return { kind: 'app', app: view.appName, namespace: view.namespace };
  }
  return { kind: 'latest' };
}

export function registerRoutingCommands(deps: RouteTrafficDeps): vscode.Disposable[] {
  const { log, routing } = deps;
  return [
    registerCommand(log, commandIds.routingRouteTraffic, (node?: unknown, options?: unknown) => routeTraffic(deps, node, options ?? {})),
    registerCommand(log, commandIds.routingRefresh, () => routing.restart()),
    registerCommand(log, commandIds.routingAdjustWeights, async (node?: unknown, input?: unknown) => {
      const view = viewOf(node);
      // Where the command acts, fixed at its start (a switch while the picker is open changes nothing).
      const target = await routing.resolve();
      assertShownHere(routing, view, target);
      const versions = view.versions.map((v) => v.version);
      const focus = (node as RoutingNode | undefined)?.kind === 'version' ? (node as Extract<RoutingNode, { kind: 'version' }>).version.version : undefined;
      const weights = typeof input === 'string' ? weightsFromInput(input, versions) : await askNewWeights(view, focus);
      if (!weights) {
        return undefined;
      }
      // Guarded by what the view showed: if the cluster has changed since, nothing is written.
      const change = await target.resources.updateWeights(target.namespace, view.appName, weights, { expected: currentWeights(view) });
      routing.history.record(change, target.site);
      const message = change.unchanged ? `${view.appName} already has ${formatWeights(weights)}` : `${view.appName}: ${formatWeights(change.previous)} → ${formatWeights(change.applied)}`;
      log.info(`weights of ${describeRef(change.ref)} (context ${target.context}): ${message}`);
      void vscode.window.showInformationMessage(`Fn Mesh: ${message} (${target.namespace}, context ${target.context})`, ...(change.unchanged ? [] : ['Undo'])).then((choice) => {
        if (choice === 'Undo') {
          // Bound to this change: not whatever was changed last.
          void vscode.commands.executeCommand(commandIds.routingUndoWeights, change);
        }
      });
      return change;
    }),
    registerCommand(log, commandIds.routingUndoWeights, async (arg?: unknown) => {
      const target = await routing.resolve();
      let entry;
      try {
        entry = routing.history.pick(undoRequestOf(arg), target.site);
      } catch (err) {
        if (isNothingToUndo(err)) {
          void vscode.window.showInformationMessage(`Fn Mesh: ${err.message}`);
          return undefined;
        }
        throw err;
      }
      const last = entry.change;
      const undone = await target.resources.undoWeights(last).catch((err: unknown) => {
        if (isUndoGone(err)) {
          routing.history.forget(entry); // else the next Undo would land on it and be refused again
        }
        throw err;
      });
      routing.history.forget(entry);
      log.info(`undo on ${describeRef(last.ref)} (context ${target.context}): ${formatWeights(last.applied)} → ${formatWeights(undone.applied)}`);
      void vscode.window.showInformationMessage(`Fn Mesh: weights of ${entry.app} back to ${formatWeights(undone.applied)} (${target.namespace}, context ${target.context})`);
      return undone;
    }),
    registerCommand(log, commandIds.routingRemove, async (node?: unknown, confirmed?: unknown) => {
      const view = viewOf(node);
      const target = await routing.resolve();
      assertShownHere(routing, view, target);
      const { resources } = target;
      const plan = await resources.planRemoval(target.namespace, view.appName);
      if (plan.objects.length === 0) {
        throw new UserError(`Fn Mesh created nothing for ${view.appName} in ${target.namespace} (context ${target.context})`);
      }
      if (confirmed !== true) {
        const choice = await vscode.window.showWarningMessage(
          `Remove the routing of ${view.appName}? ${plan.objects.length} objects are deleted from namespace ${target.namespace} (context ${target.context}).`,
          { modal: true, detail: plan.objects.map(describeRef).join('\n') },
          'Remove',
        );
        if (choice !== 'Remove') {
          return undefined;
        }
      }
      const outcome = await resources.removeRouting(plan);
      log.info(outcome.summary);
      if (!outcome.ok) {
        throw new UserError(outcome.summary);
      }
      void vscode.window.showInformationMessage(`Fn Mesh: ${outcome.summary}`);
      return outcome;
    }),
  ];
}
