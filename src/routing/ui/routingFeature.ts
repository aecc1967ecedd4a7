// Wires the routing feature: the live Traffic Routing view at activation; its commands and Route
// Traffic load on first use (routingBundle.ts, registerRoutingFeatureCommands).
import type * as vscode from 'vscode';
import { UserError } from '../../common/errors';
import type { FnConnectionService } from '../../fn/ui/fnConnectionService';
import { commandIds } from '../../common/commandIds';
import { registerCommand } from '../../common/vscode/commands';
import { exposeOnGateway } from './exposeOnGatewayCommand';
import { registerRouteOptionsCommands } from './routeOptionsCommands';
import { registerRoutingCommands } from './routingCommands';
import type { RoutingService } from './routingService';
import type { YamlDocuments } from './yamlDocuments';

export interface RoutingFeatureDeps {
  readonly log: vscode.LogOutputChannel;
  readonly routing: RoutingService;
  readonly documents: YamlDocuments;
  readonly fn: FnConnectionService;
  readonly memento: vscode.Memento;
}

/** Route Traffic, the weight and route-option commands, Expose on Ingress Gateway. */
export function registerRoutingFeatureCommands({ log, routing, documents, fn, memento }: RoutingFeatureDeps): vscode.Disposable[] {
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
  return [
    ...registerRoutingCommands({ log, routing, documents, fnState: () => fn.state(), listFunctions, memento }),
    ...registerRouteOptionsCommands({ log, routing, documents }),
    registerCommand(log, commandIds.routingExposeOnGateway, (node?: unknown, options?: unknown) => exposeOnGateway({ log, routing, documents }, node, typeof options === 'object' && options !== null ? options : {})),
  ];
}
