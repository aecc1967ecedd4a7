// What Export Rollout Plan… writes for each controller, and the targets filled from the routed app
// as Fn Mesh generated it (the names and labels of routing/manifests): a Flagger Canary or an Argo
// Rollouts Rollout. Also the server-side check of the exported object, which first asks the API
// server whether it serves the kind at all (a missing CRD is said in words, not as a 404).
// Pure (no `vscode`); it lives beside the commands because the rollout core reaches no routing or
// Kubernetes code.
import type { KubeResources } from '../../routing/cluster/kubeResources';
import { readWeightedRoute } from '../../routing/cluster/routeWeights';
import type { RoutedAppView } from '../../routing/cluster/routingView';
import { appLabel, versionLabel } from '../../routing/manifests/kubeObject';
import { weightedRouteName } from '../../routing/manifests/routeOptions';
import { versionObjectName } from '../../routing/names';
import { proxyPort } from '../../routing/nginxConfig';
import type { ApplyOutcome } from '../../kube/objects/applyObjects';
import type { LiveObject, ObjectToWrite } from '../../kube/objects/types';
import { argoRollout, flaggerCanary, type ArgoTarget, type FlaggerTarget } from '../rolloutExport';
import { RolloutPlanError, type RolloutPlan } from '../rolloutPlan';

export type ExportTargetKind = 'flagger' | 'argo';

export interface ExportTargetInfo {
  readonly kind: ExportTargetKind;
  /** For the quick pick and messages. */
  readonly label: string;
  readonly controller: string;
  readonly apiVersion: string;
  readonly objectKind: string;
  /** The file in the workspace's fn-mesh/ folder. */
  fileName(app: string): string;
}

export const exportTargets: Readonly<Record<ExportTargetKind, ExportTargetInfo>> = {
  flagger: { kind: 'flagger', label: 'Flagger Canary', controller: 'Flagger', apiVersion: 'flagger.app/v1beta1', objectKind: 'Canary', fileName: (app) => `${app}-canary.yaml` },
  argo: { kind: 'argo', label: 'Argo Rollouts Rollout', controller: 'Argo Rollouts', apiVersion: 'argoproj.io/v1alpha1', objectKind: 'Rollout', fileName: (app) => `${app}-rollout.yaml` },
};

export function isExportTargetKind(value: unknown): value is ExportTargetKind {
  return value === 'flagger' || value === 'argo';
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);

/** The Canary's target: the new version's proxy Deployment, its Service port, and the VirtualService's hosts and gateways. */
export function flaggerTargetOf(view: RoutedAppView, plan: RolloutPlan, route: LiveObject | undefined): FlaggerTarget {
  const spec = (route?.kind === 'VirtualService' ? route.spec : undefined) as { hosts?: unknown; gateways?: unknown } | undefined;
  const hosts = strings(spec?.hosts);
  const gateways = strings(spec?.gateways);
  return {
    name: view.appName,
    namespace: view.namespace,
    deployment: versionObjectName(view.appName, plan.newVersion),
    port: 80,
    targetPort: proxyPort,
    ...(hosts?.length ? { hosts } : {}),
    ...(gateways?.length ? { gateways } : {}),
  };
}

/**
 * The Rollout's target on the app's VirtualService (read live when `route` is given, else as Fn Mesh
 * generates it): its weighted HTTP route and the subsets it goes to, the DestinationRule of the same
 * name, the stable subset (the other version with the highest weight now, the first of equals) and
 * the canary subset (the new version), the new version's proxy Deployment and its pod labels.
 * @throws RolloutPlanError when the app is not routed by a VirtualService or its route cannot be named.
 */
export function argoTargetOf(view: RoutedAppView, plan: RolloutPlan, route: LiveObject | undefined): ArgoTarget {
  if (view.route.kind !== 'VirtualService') {
    throw new RolloutPlanError(`route: Argo Rollouts' Istio traffic routing needs a VirtualService, and ${view.appName} is routed by ${view.route.kind} "${view.route.name}"`);
  }
  const weighted = route ? readWeightedRoute(route) : undefined;
  const versions = weighted ? weighted.entries.map((e) => ({ version: e.version, weight: e.weight })) : view.versions;
  if (weighted && !weighted.ruleName && weighted.ruleCount > 1) {
    throw new RolloutPlanError(
      `route: VirtualService "${view.route.name}" has ${weighted.ruleCount} HTTP routes and its weighted one has no name; Argo Rollouts needs that name to know which route to adjust`,
    );
  }
  const others = versions.filter((v) => v.version !== plan.newVersion);
  const stable = others.reduce<{ version: string; weight: number } | undefined>((best, v) => (!best || v.weight > best.weight ? v : best), undefined);
  if (!stable) {
    throw new RolloutPlanError(`subsets: ${view.appName} routes no version besides ${plan.newVersion}, so there is no stable subset`);
  }
  const routeName = weighted ? weighted.ruleName : weightedRouteName;
  return {
    name: view.appName,
    namespace: view.namespace,
    virtualService: view.route.name,
    ...(routeName ? { route: routeName } : {}),
    routeSubsets: versions.map((v) => v.version),
    destinationRule: view.route.name,
    stableSubset: stable.version,
    canarySubset: plan.newVersion,
    deployment: versionObjectName(view.appName, plan.newVersion),
    selector: { [appLabel]: view.appName, [versionLabel]: plan.newVersion },
  };
}

/** The object for `target`. @throws RolloutPlanError when the plan or the app cannot be exported to it. */
export function exportObject(kind: ExportTargetKind, view: RoutedAppView, plan: RolloutPlan, route: LiveObject | undefined): Record<string, unknown> {
  return kind === 'argo' ? argoRollout(plan, argoTargetOf(view, plan, route)) : flaggerCanary(plan, flaggerTargetOf(view, plan, route));
}

export type ExportCheck =
  /** The API server's server-side dry-run answered (accepted or refused). */
  | { readonly kind: 'dryRun'; readonly outcome: ApplyOutcome }
  /** Not checked, e.g. the cluster does not serve the kind (its CRD is not installed): the message says why. */
  | { readonly kind: 'unchecked'; readonly message: string };

/** A server-side dry-run of `object`, when the cluster serves its kind. */
export async function checkExport(resources: Pick<KubeResources, 'client' | 'apply'>, object: ObjectToWrite): Promise<ExportCheck> {
  const served = await resources.client.servedKinds(object.apiVersion);
  if (!served?.has(object.kind)) {
    return { kind: 'unchecked', message: `not checked: the cluster does not serve ${object.apiVersion} ${object.kind}` };
  }
  return { kind: 'dryRun', outcome: await resources.apply([object], { dryRun: true }) };
}
