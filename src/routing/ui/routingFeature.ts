// Wires the routing feature: the live Traffic Routing view, its commands and Route Traffic.
import * as vscode from 'vscode';
import { UserError } from '../../common/errors';
import type { FnConnectionService } from '../../fn/ui/fnConnectionService';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';
import { commandIds } from '../../common/commandIds';
import { registerCommand } from '../../common/vscode/commands';
import { exposeOnGateway } from './exposeOnGatewayCommand';
import { registerRouteOptionsCommands } from './routeOptionsCommands';
import { registerRoutingCommands } from './routingCommands';
import { RoutingService } from './routingService';
import { RoutingTreeProvider, routingViewId } from './routingTreeProvider';
import { YamlDocuments } from './yamlDocuments';

export function createRoutingFeature(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  kube: KubeConnectionService,
  fn: FnConnectionService,
): { routing: RoutingService; documents: YamlDocuments; disposables: vscode.Disposable[] } {
  const routing = new RoutingService(log, kube);
  const provider = new RoutingTreeProvider(routing);
  const documents = new YamlDocuments();
  const listFunctions = async (appName: string) => {
    const state = await fn.state();
    if (state.kind !== 'connected') {
      throw new UserError('connect to an Fn server first');
    }
    const app = (await state.client.listApps()).items.find((a) => a.name === appName);
    if (!app) {
      throw new UserError(`Fn app ${appName} not found on ${state.endpoint.apiUrl}`);
    }
    return [...(await state.client.listFunctions(app)).items];
  };
  return {
    routing,
    documents,
    disposables: [
      routing,
      provider,
      documents,
      vscode.window.createTreeView(routingViewId, { treeDataProvider: provider }),
      ...registerRoutingCommands({ log, routing, documents, fnState: () => fn.state(), listFunctions, memento: context.workspaceState }),
      ...registerRouteOptionsCommands({ log, routing, documents }),
      registerCommand(log, commandIds.routingExposeOnGateway, (node?: unknown, options?: unknown) => exposeOnGateway({ log, routing, documents }, node, typeof options === 'object' && options !== null ? options : {})),
    ],
  };
}
