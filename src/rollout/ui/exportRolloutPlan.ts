// Export Rollout Plan…: the plan as a Flagger Canary (Istio provider) in fn-mesh/<app>-canary.yaml
// of the workspace, checked by the API server with a server-side dry-run when a cluster is
// connected (the Canary CRD must be installed there).
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { UserError, describeError } from '../../common/errors';
import type { ApplyOutcome } from '../../kube/objects/applyObjects';
import type { ObjectToWrite } from '../../kube/objects/types';
import type { RoutedAppView } from '../../routing/cluster/routingView';
import { proxyPort } from '../../routing/nginxConfig';
import type { RoutingService } from '../../routing/ui/routingService';
import { flaggerCanary } from '../rolloutExport';
import type { RolloutPlan } from '../rolloutPlan';

export interface ExportOutcome {
  readonly uri: vscode.Uri;
  readonly canary: Record<string, unknown>;
  /** Undefined when no cluster was connected. */
  readonly dryRun: ApplyOutcome | undefined;
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);

/** Writes the Canary for `plan` on `view` and dry-runs it; the file is written even when the dry-run refuses it. */
export async function exportRolloutPlan(routing: RoutingService, view: RoutedAppView, plan: RolloutPlan): Promise<ExportOutcome> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new UserError('open a folder first: the Canary is written to fn-mesh/ in the workspace');
  }
  let target: Awaited<ReturnType<RoutingService['resolve']>> | undefined;
  try {
    target = await routing.resolve();
  } catch {
    target = undefined;
  }
  const vs = target && view.route.kind === 'VirtualService' ? await target.resources.get(view.route).catch(() => undefined) : undefined;
  const spec = (vs?.spec ?? {}) as { hosts?: unknown; gateways?: unknown };
  let canary: Record<string, unknown>;
  try {
    canary = flaggerCanary(plan, {
      name: view.appName,
      namespace: view.namespace,
      deployment: `${view.appName}-${plan.newVersion}`,
      port: 80,
      targetPort: proxyPort,
      ...(strings(spec.hosts) ? { hosts: strings(spec.hosts) } : {}),
      ...(strings(spec.gateways) ? { gateways: strings(spec.gateways) } : {}),
    });
  } catch (err) {
    throw new UserError(`the plan cannot be exported to Flagger: ${describeError(err)}`);
  }
  const uri = vscode.Uri.joinPath(folder.uri, 'fn-mesh', `${view.appName}-canary.yaml`);
  const header = `# Flagger Canary for ${view.namespace}/${view.appName}, exported by Fn Mesh: ${plan.newVersion} at ${plan.steps.join(' → ')}%.\n`;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(header + stringify(canary), 'utf8'));
  const dryRun = target ? await target.resources.apply([canary as unknown as ObjectToWrite], { dryRun: true }) : undefined;
  return { uri, canary, dryRun };
}
