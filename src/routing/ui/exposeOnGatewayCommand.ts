// Expose on Ingress Gateway (right-click a routed app, or the palette): adds an Istio Gateway on
// the `istio: ingressgateway` pods and binds the app's VirtualService to it and to `mesh`, with
// an external host (default `<app>.<namespace>.example`). Weights and route options stay. The
// YAML is shown, then applied after a server-side dry-run, as Route Traffic does.
import * as vscode from 'vscode';
import { UserError } from '../../common/errors';
import type { ApplyOutcome } from '../../kube/objects/applyObjects';
import { ApplyWithRecovery } from '../../kube/objects/applyWithRecovery';
import { previewOf } from '../../kube/objects/preview';
import { describeRef, refOf, type LiveObject } from '../../kube/objects/types';
import { applyWithPrompts } from '../../kube/ui/applyRecoveryPrompts';
import { toYaml } from '../../kube/objects/yaml';
import type { RoutedAppView } from '../cluster/routingView';
import { defaultGatewayHost, planGatewayExposure, routeGatewayItems, type GatewayExposure, type GatewayExposurePlan, type RouteGatewayChoice } from '../gatewayExposure';
import { gatewayName } from '../manifests/istioManifests';
import type { RoutingNode } from '../routingTree';
import type { RoutingService, RoutingTarget } from './routingService';
import type { YamlDocuments } from './yamlDocuments';

export interface ExposeOnGatewayDeps {
  readonly log: vscode.LogOutputChannel;
  readonly routing: RoutingService;
  readonly documents: YamlDocuments;
}

/** Given instead of asked (tests, the sampling view): host, port, and `action` instead of the confirmation. */
export interface ExposeOnGatewayOptions {
  readonly host?: string;
  readonly port?: number;
  readonly action?: 'apply' | 'preview';
}

async function pickApp(routing: RoutingService, node: unknown): Promise<RoutedAppView | undefined> {
  const n = node as RoutingNode | undefined;
  const view = n?.kind === 'routedApp' ? n.view : n?.kind === 'version' ? n.app : undefined;
  if (view) {
    return view;
  }
  const snapshot = routing.snapshot;
  const apps = snapshot.kind === 'ready' ? snapshot.apps.filter((a) => a.route.kind === 'VirtualService') : [];
  if (apps.length === 0) {
    throw new UserError('no app routed with Istio in this namespace: route its traffic first (Route Traffic)');
  }
  const picked = await vscode.window.showQuickPick(
    apps.map((a) => ({ label: a.appName, description: a.versions.map((v) => `${v.version} ${v.weight}%`).join(' · '), view: a })),
    { title: 'Expose which routed app on the ingress gateway?' },
  );
  return picked?.view;
}

/** The external host: given, or asked with the default filled in; undefined when cancelled. */
export async function askGatewayHost(appName: string, namespace: string, given?: string): Promise<string | undefined> {
  if (given !== undefined) {
    return given;
  }
  return vscode.window.showInputBox({
    title: `External host of ${appName} on the ingress gateway`,
    prompt: 'Requests to the gateway with this Host header reach the app (a DNS name; "*." allowed in front)',
    value: defaultGatewayHost({ appName, namespace }),
  });
}

/**
 * Asks Route Traffic's question "where does the app answer?" (and the host), unless `given`
 * answers it. `current` is where it answers now: keeping that is the first (highlighted) choice,
 * and what automation (`automated`, nothing `given`) gets. Undefined when cancelled.
 */
export async function askRouteGateway(
  appName: string,
  namespace: string,
  current: GatewayExposure | undefined,
  given: { readonly host?: string; readonly port?: number } | false | undefined,
  automated: boolean,
): Promise<RouteGatewayChoice | undefined> {
  if (given === false) {
    return false;
  }
  if (given === undefined) {
    if (automated) {
      return 'keep';
    }
    const picked = await vscode.window.showQuickPick(routeGatewayItems(current), { title: `Where ${appName} answers` });
    if (!picked) {
      return undefined;
    }
    if (picked.answer !== 'expose') {
      return picked.answer === 'keep' ? 'keep' : false;
    }
  }
  const host = given?.host ?? (automated ? defaultGatewayHost({ appName, namespace }) : await askGatewayHost(appName, namespace));
  return host ? { host, ...(given?.port !== undefined ? { port: given.port } : {}) } : undefined;
}

/**
 * The one place this command writes: through the one apply path (dry-run, then apply checked
 * against what was read when planning, with Retry / Roll Back after a failure part-way).
 */
async function applyExposure(deps: ExposeOnGatewayDeps, target: RoutingTarget, plan: GatewayExposurePlan, read: readonly LiveObject[]): Promise<ApplyOutcome | undefined> {
  // Each planned object as it was read (undefined: it did not exist, and must not exist now).
  const reads = plan.objects.map((obj) => {
    const ref = refOf(obj);
    return { ref, live: read.find((o) => o.kind === ref.kind && o.metadata.name === ref.name) };
  });
  const session = new ApplyWithRecovery(target.resources.client, plan.objects, previewOf(reads));
  const outcome = await applyWithPrompts(deps.log, `Expose ${plan.app.appName} on the ingress gateway (${plan.exposure.gateway}, host ${plan.exposure.host})`, session);
  if (outcome?.ok) {
    void vscode.window.showInformationMessage(
      `Fn Mesh: ${plan.app.appName} answers on the ingress gateway for Host ${plan.exposure.host} (port ${plan.exposure.port}).`,
    );
  }
  return outcome;
}

export async function exposeOnGateway(deps: ExposeOnGatewayDeps, node: unknown, options: ExposeOnGatewayOptions = {}): Promise<ApplyOutcome | GatewayExposurePlan | undefined> {
  const view = await pickApp(deps.routing, node);
  if (!view) {
    return undefined;
  }
  if (view.route.kind !== 'VirtualService') {
    throw new UserError(`${view.appName} is routed with a ${view.route.kind}: the ingress gateway needs Istio (a VirtualService)`);
  }
  const target = await deps.routing.resolve();
  const virtualService = await target.resources.get(view.route);
  if (!virtualService) {
    throw new UserError(`${describeRef(view.route)} no longer exists: route the app's traffic again`);
  }
  const host = await askGatewayHost(view.appName, view.namespace, options.host);
  if (!host) {
    return undefined;
  }
  const gateway = await target.resources.get({ ...view.route, kind: 'Gateway', name: gatewayName({ appName: view.appName }) });
  const plan = planGatewayExposure({ virtualService, ...(gateway ? { gateway } : {}), host, ...(options.port !== undefined ? { port: options.port } : {}) });
  if (options.action === 'preview') {
    return plan;
  }
  if (options.action !== 'apply') {
    const uri = deps.documents.put(`gateway-${plan.app.appName}`, toYaml(plan.objects), `Expose on Ingress Gateway… on ${plan.app.appName}`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true, preserveFocus: true });
    const choice = await vscode.window.showInformationMessage(
      `Expose ${plan.app.appName} on the ingress gateway as ${host}? This applies ${plan.objects.map((o) => o.kind).join(' and ')} in ${target.namespace}.`,
      { modal: true, detail: `Weights stay ${plan.app.versions.map((v) => `${v.version} ${v.weight}%`).join(', ')}; route options stay. A server-side dry-run runs first.` },
      'Apply',
    );
    if (choice !== 'Apply') {
      return undefined;
    }
  }
  return applyExposure(deps, target, plan, [virtualService, ...(gateway ? [gateway] : [])]);
}
