// Export Rollout Plan…: the plan for a controller that runs it in the cluster, a Flagger Canary in
// fn-mesh/<app>-canary.yaml or an Argo Rollouts Rollout in fn-mesh/<app>-rollout.yaml of the
// workspace, checked by the API server with a server-side dry-run when a cluster is connected and
// serves the kind (the controller's CRD must be installed there).
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { UserError, describeError } from '../../common/errors';
import type { ObjectToWrite } from '../../kube/objects/types';
import type { RoutedAppView } from '../../routing/cluster/routingView';
import type { RoutingService } from '../../routing/ui/routingService';
import { checkExport, exportObject, exportTargets, type ExportCheck, type ExportTargetKind } from './exportTargets';
import type { RolloutPlan } from '../rolloutPlan';

export interface ExportOutcome {
  readonly target: ExportTargetKind;
  readonly uri: vscode.Uri;
  /** The Canary or Rollout written. */
  readonly object: Record<string, unknown>;
  /** Undefined when no cluster was connected. */
  readonly check: ExportCheck | undefined;
}

function header(kind: ExportTargetKind, view: RoutedAppView, plan: RolloutPlan, object: Record<string, unknown>): string {
  const info = exportTargets[kind];
  const lines = [`# ${info.label} for ${view.namespace}/${view.appName}, exported by Fn Mesh: ${plan.newVersion} at ${plan.steps.join(' → ')}%.`];
  if (kind === 'argo') {
    const istio = (object.spec as { strategy: { canary: { trafficRouting: { istio: { destinationRule: { name: string; stableSubsetName: string; canarySubsetName: string } } } } } }).strategy.canary.trafficRouting.istio;
    const { name, stableSubsetName, canarySubsetName } = istio.destinationRule;
    lines.push(
      `# Argo Rollouts adds its rollouts-pod-template-hash label to subsets ${stableSubsetName} (stable) and ${canarySubsetName} (canary) of`,
      `# DestinationRule ${name}; those subsets also select on the "version" label, so check that they will`,
      `# match the Rollout's pods before applying. Health gates need an AnalysisTemplate (not exported).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the plan's object for `kind` on `view` and checks it; the file is written even when the server refuses it. */
export async function exportRolloutPlan(routing: RoutingService, view: RoutedAppView, plan: RolloutPlan, kind: ExportTargetKind = 'flagger'): Promise<ExportOutcome> {
  const info = exportTargets[kind];
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new UserError(`open a folder first: the ${info.objectKind} is written to fn-mesh/ in the workspace`);
  }
  let target: Awaited<ReturnType<RoutingService['resolve']>> | undefined;
  try {
    target = await routing.resolve();
  } catch {
    target = undefined;
  }
  const route = target ? await target.resources.get(view.route).catch(() => undefined) : undefined;
  let object: Record<string, unknown>;
  try {
    object = exportObject(kind, view, plan, route);
  } catch (err) {
    throw new UserError(`the plan cannot be exported to ${info.controller}: ${describeError(err)}`);
  }
  const uri = vscode.Uri.joinPath(folder.uri, 'fn-mesh', info.fileName(view.appName));
  await vscode.workspace.fs.writeFile(uri, Buffer.from(header(kind, view, plan, object) + stringify(object), 'utf8'));
  let check: ExportCheck | undefined;
  if (target) {
    try {
      check = await checkExport(target.resources, object as unknown as ObjectToWrite);
    } catch (err) {
      check = { kind: 'unchecked', message: `not checked: ${describeError(err)}` };
    }
  }
  return { target: kind, uri, object, check };
}
