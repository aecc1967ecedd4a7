// The routing service, the Traffic Routing view and the read-only YAML documents: what exists from
// activation on. The commands load on first use (routingFeature.ts, through routingBundle.ts).
import * as vscode from 'vscode';
import type { KubeConnectionService } from '../../kube/ui/kubeConnectionService';
import { RoutingService } from './routingService';
import { RoutingTreeProvider, routingViewId } from './routingTreeProvider';
import { YamlDocuments } from './yamlDocuments';

export function createRoutingView(log: vscode.LogOutputChannel, kube: KubeConnectionService): { routing: RoutingService; documents: YamlDocuments; disposables: vscode.Disposable[] } {
  const routing = new RoutingService(log, kube);
  const provider = new RoutingTreeProvider(routing);
  const documents = new YamlDocuments();
  return {
    routing,
    documents,
    disposables: [routing, provider, documents, vscode.window.createTreeView(routingViewId, { treeDataProvider: provider })],
  };
}
