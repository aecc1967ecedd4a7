// Route traffic (right-click an Fn app or function): pick versions and weights, preview the YAML
// and a diff against the cluster, then apply after a server-side dry-run. Partial failures offer
// Retry and Roll Back (kube/ui/applyRecoveryPrompts.ts).
import * as vscode from 'vscode';
import { UserError } from '../../common/errors';
import type { AppNode, FunctionNode } from '../../fn/tree/functionsTree';
import type { FnConnectionState } from '../../fn/connection';
import type { FnFunction } from '../../fn/model';
import type { ApplyOutcome } from '../../kube/objects/applyObjects';
import { ApplyWithRecovery } from '../../kube/objects/applyWithRecovery';
import type { Preview } from '../../kube/objects/preview';
import { applyWithPrompts } from '../../kube/ui/applyRecoveryPrompts';
import { prepareRoute, readLiveRouting } from '../cluster/routePreparation';
import { carriedExposure } from '../gatewayExposure';
import { gatewayName } from '../manifests/istioManifests';
import type { CarriedOptions } from '../routeOptionsCarry';
import { versionNames, type RoutePlan } from '../routePlan';
import { toKubeName } from '../names';
import { formatWeights, parseWeights, proposedWeights, type Weights } from '../weights';
import { toYaml } from '../../kube/objects/yaml';
import type { RoutingService, RoutingTarget } from './routingService';
import { askRouteGateway } from './exposeOnGatewayCommand';
import { ensureInjection, type InjectionChoice } from './sidecarInjection';
import type { YamlDocuments } from './yamlDocuments';

/** Answers given up front (tests, automation); anything missing is asked. */
export interface RouteTrafficOptions {
  readonly functions?: readonly string[];
  readonly weights?: string;
  readonly action?: 'apply' | 'preview' | 'save';
  readonly lbBaseUrl?: string;
  /** When the namespace is not labelled for injection; default with `action` given: `pod-label`. */
  readonly injection?: InjectionChoice;
  /**
   * Expose on the ingress gateway (host default `<app>.<namespace>.example`), or `false`: mesh
   * only. Left out with `action`: as the route is now (an exposure on the gateway is kept).
   */
  readonly gateway?: { readonly host?: string; readonly port?: number } | false;
}

export interface RouteTrafficDeps {
  readonly log: vscode.LogOutputChannel;
  readonly routing: RoutingService;
  readonly documents: YamlDocuments;
  readonly fnState: () => Promise<FnConnectionState>;
  readonly listFunctions: (appName: string) => Promise<FnFunction[]>;
  readonly memento: vscode.Memento;
}

const lbUrlKey = 'fnMesh.routing.lbBaseUrl';

export async function routeTraffic(deps: RouteTrafficDeps, node: unknown, options: RouteTrafficOptions = {}): Promise<ApplyOutcome | RoutePlan | undefined> {
  const target = await deps.routing.resolve();
  const fn = await deps.fnState();
  if (fn.kind !== 'connected') {
    throw new UserError('connect to an Fn server first: the routes are built from its functions');
  }
  const { appName, preselect } = appOf(node);
  const all = await deps.listFunctions(appName);
  const functions = await chooseFunctions(all, preselect, options.functions);
  if (!functions) {
    return undefined;
  }
  const apis = await target.resources.discoverIstioVersion();
  const useIstio = apis.istio !== undefined;
  if (!useIstio && !apis.httpRoute) {
    throw new UserError(`context ${target.context} serves neither networking.istio.io nor Gateway API HTTPRoute: install Istio (or the Gateway API CRDs) first`);
  }
  const kubeApp = toKubeName(appName, 'Fn app name');
  // The questions start from the route as it is: its weights, and where it answers.
  const live = await readLiveRouting(target.resources.client, apis, target.namespace, kubeApp);
  const weights = options.weights ?? (await askWeights(versionNames(functions), live.weights));
  if (weights === undefined) {
    return undefined;
  }
  const lbBaseUrl = options.lbBaseUrl ?? (await lbUrl(deps, fn));
  if (!lbBaseUrl) {
    return undefined;
  }
  const gateway = useIstio ? await askRouteGateway(kubeApp, target.namespace, live.exposure, options.gateway, options.action !== undefined) : false;
  if (gateway === undefined) {
    return undefined;
  }
  const exposure = carriedExposure(useIstio ? live.exposure : undefined, gateway, `${target.namespace}/${gatewayName({ appName: kubeApp })}`);
  // What the user is shown is the cluster as read now: the apply refuses objects changed since.
  const { plan, preview, options: carried } = await prepareRoute(target.resources.client, {
    fnAppName: appName,
    functions,
    api: await fn.client.apiVersion(),
    namespace: target.namespace,
    lbBaseUrl,
    weights,
    manifest: useIstio ? { istioApiVersion: apis.istio, ...(exposure.gateway ? { gateway: exposure.gateway } : {}) } : { mode: 'httpRoute' },
  });
  const yamlUri = deps.documents.put(`route-${plan.app.appName}`, toYaml(plan.objects), `Route Traffic… on ${plan.app.appName}`);
  const kept = [...carried.kept, ...exposure.kept];
  const dropped = [...carried.dropped, ...exposure.dropped];
  deps.log.info(`route ${plan.app.appName}: options kept: ${kept.join('; ') || 'none'}${dropped.length > 0 ? `; dropped: ${dropped.join('; ')}` : ''}`);
  // Without a confirmation (New Version, automation) nothing is ever dropped that was not asked for
  // (an explicit `gateway` answer is asked for).
  const unasked = [...carried.dropped, ...(options.gateway === undefined ? exposure.dropped : [])];
  if (options.action === 'apply' && unasked.length > 0) {
    throw new UserError(`routing ${plan.app.appName} this way would drop route options (${unasked.join('; ')}): run Route Traffic to review and confirm`);
  }
  const action = options.action ?? (await askAction(deps, target, plan, yamlUri, { kept, dropped }));
  switch (action) {
    case undefined:
      return undefined;
    case 'preview':
      return plan;
    case 'save':
      await saveToWorkspace(plan);
      return plan;
    case 'apply': {
      const injected = await ensureInjection(deps.log, target, plan, options.injection, options.action !== undefined);
      return injected && applyPlan(deps, target, injected, preview);
    }
  }
}

function appOf(node: unknown): { appName: string; preselect?: string } {
  const n = node as AppNode | FunctionNode | undefined;
  if (n?.kind === 'app') {
    return { appName: n.app.name };
  }
  if (n?.kind === 'function') {
    return { appName: n.fn.appName, preselect: n.fn.name };
  }
  throw new UserError('right-click an Fn app or function in the Functions view to route its traffic');
}

async function chooseFunctions(all: FnFunction[], preselect: string | undefined, given: readonly string[] | undefined): Promise<FnFunction[] | undefined> {
  if (given) {
    const missing = given.filter((name) => !all.some((f) => f.name === name));
    if (missing.length > 0) {
      throw new UserError(`no function ${missing.join(', ')} in this app`);
    }
    return given.map((name) => all.find((f) => f.name === name)!);
  }
  const picked = await vscode.window.showQuickPick(
    all.map((f) => ({ label: f.name, description: f.image, picked: preselect === undefined || f.name === preselect || all.length <= 3, fn: f })),
    { title: 'Versions to route between (each function is a version)', canPickMany: true },
  );
  if (picked?.length === 0) {
    void vscode.window.showInformationMessage('Fn Mesh: no version was picked, so nothing was routed: pick the functions to route between');
  }
  return picked && picked.length > 0 ? picked.map((p) => p.fn) : undefined;
}

function askWeights(versions: string[], current: Weights | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Traffic weights (percent)',
    prompt: `e.g. ${versions.map((v, i) => `${v}=${i === 0 ? 100 : 0}`).join(',')}; they are scaled to total 100`,
    value: formatWeights(proposedWeights(versions, current)),
    validateInput: (text) => {
      const parsed = parseWeights(text, versions);
      return parsed.ok ? undefined : parsed.problem.message;
    },
  });
}

async function lbUrl(deps: RouteTrafficDeps, fn: Extract<FnConnectionState, { kind: 'connected' }>): Promise<string | undefined> {
  const configured = vscode.workspace.getConfiguration('fnMesh').get<string>('routing.fnLbUrl')?.trim();
  if (configured) {
    return configured;
  }
  if (fn.inClusterInvokeUrl) {
    return fn.inClusterInvokeUrl;
  }
  const value = await vscode.window.showInputBox({
    title: 'Where pods reach the Fn lb',
    prompt: 'In-cluster URL of the Fn runner-lb that the proxies forward to (saved for this workspace; setting fnMesh.routing.fnLbUrl)',
    value: deps.memento.get<string>(lbUrlKey) ?? 'http://fn.fn-system.svc.cluster.local:90',
  });
  if (value) {
    await deps.memento.update(lbUrlKey, value);
  }
  return value;
}

/** What the confirmation says the new route keeps or drops: route options, and the ingress gateway exposure. */
type KeptAndDropped = Pick<CarriedOptions, 'kept' | 'dropped'>;

/** The confirmation's detail: the dry-run, and which route options the new route keeps or drops. */
function optionsDetail(carried: KeptAndDropped): string {
  const kept = carried.kept.length > 0 ? `Route options kept:\n${carried.kept.join('\n')}` : 'No route options are set.';
  const dropped = carried.dropped.length > 0 ? `\n\nRoute options DROPPED by this change:\n${carried.dropped.join('\n')}` : '';
  return `A server-side dry-run of every object runs first; nothing is written if any is refused.\n\n${kept}${dropped}`;
}

async function askAction(deps: RouteTrafficDeps, target: RoutingTarget, plan: RoutePlan, yamlUri: vscode.Uri, carried: KeptAndDropped): Promise<'apply' | 'save' | undefined> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(yamlUri), { preview: true, preserveFocus: true });
  for (;;) {
    const choice = await vscode.window.showInformationMessage(
      `Route ${plan.app.appName}: ${plan.app.versions.map((v) => `${v.version} ${v.weight}%`).join(', ')}. Apply ${plan.objects.length} objects to namespace ${target.namespace} (context ${target.context})?`,
      { modal: true, detail: optionsDetail(carried) },
      'Apply',
      'Show Diff',
      'Save to Workspace',
    );
    if (choice === 'Show Diff') {
      await showDiff(deps, target, plan);
      continue;
    }
    return choice === 'Apply' ? 'apply' : choice === 'Save to Workspace' ? 'save' : undefined;
  }
}

async function showDiff(deps: RouteTrafficDeps, target: RoutingTarget, plan: RoutePlan): Promise<void> {
  const diffs = await target.resources.diff(plan.objects);
  const failed = diffs.filter((d) => d.change === 'error');
  if (failed.length > 0) {
    void vscode.window.showWarningMessage(`The server's dry-run refused: ${failed.map((d) => d.error).join('; ')}`);
  }
  const live = deps.documents.put(`live-${plan.app.appName}`, diffs.map((d) => d.live).join('---\n'), `Route Traffic… on ${plan.app.appName}`);
  const proposed = deps.documents.put(`proposed-${plan.app.appName}`, diffs.map((d) => d.proposed).join('---\n'), `Route Traffic… on ${plan.app.appName}`);
  await vscode.commands.executeCommand('vscode.diff', live, proposed, `${plan.app.appName}: cluster ↔ after apply`);
}

async function saveToWorkspace(plan: RoutePlan): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new UserError('open a folder to save route files into');
  }
  const uri = vscode.Uri.joinPath(folder.uri, 'fn-mesh', `${plan.app.appName}.yaml`);
  try {
    await vscode.workspace.fs.stat(uri);
    const overwrite = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(uri)} exists. Replace it?`, { modal: true }, 'Replace');
    if (overwrite !== 'Replace') {
      return uri;
    }
  } catch {
    // does not exist yet
  }
  await vscode.workspace.fs.writeFile(uri, Buffer.from(toYaml(plan.objects), 'utf8'));
  await vscode.window.showTextDocument(uri);
  return uri;
}

function applyPlan(deps: RouteTrafficDeps, target: RoutingTarget, plan: RoutePlan, preview: Preview): Promise<ApplyOutcome | undefined> {
  return applyWithPrompts(deps.log, `Route ${plan.app.appName}`, new ApplyWithRecovery(target.resources.client, plan.objects, preview));
}
