// The Traffic Routing view: routed apps → versions, updated by Kubernetes watches.
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import { routingContextValue, routingRootNodes, versionDescription, versionNodes, versionTooltip, weightsSummary, type RoutingNode } from '../routingTree';
import type { RoutingService } from './routingService';

export const routingViewId = 'fnMesh.traffic';

export class RoutingTreeProvider implements vscode.TreeDataProvider<RoutingNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RoutingNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly routing: RoutingService) {
    this.subscription = routing.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: RoutingNode): RoutingNode[] {
    if (node) {
      return node.kind === 'routedApp' ? versionNodes(node) : [];
    }
    this.routing.start();
    return routingRootNodes(this.routing.snapshot);
  }

  getTreeItem(node: RoutingNode): vscode.TreeItem {
    const item = new vscode.TreeItem(labelOf(node), node.kind === 'routedApp' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.contextValue = routingContextValue(node);
    switch (node.kind) {
      case 'routedApp':
        item.description = weightsSummary(node.view);
        item.tooltip = [`${node.view.appName} in ${node.view.namespace}${node.view.fnAppName ? ` (Fn app ${node.view.fnAppName})` : ''}`, ...node.view.warnings].join('\n');
        item.iconPath = new vscode.ThemeIcon(node.view.warnings.length > 0 ? 'warning' : 'git-compare');
        break;
      case 'version':
        item.description = versionDescription(node.version);
        item.tooltip = versionTooltip(node.app, node.version);
        item.iconPath = new vscode.ThemeIcon(node.version.readyReplicas > 0 && node.version.sidecar !== 'missing' ? 'pass' : 'circle-large-outline');
        break;
      case 'message':
        item.description = node.detail;
        item.tooltip = node.detail;
        item.iconPath = new vscode.ThemeIcon({ error: 'error', warning: 'warning', info: 'loading~spin' }[node.severity]);
        if (node.retryable) {
          item.command = { command: commandIds.routingRefresh, title: 'Retry' };
        }
        break;
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function labelOf(node: RoutingNode): string {
  switch (node.kind) {
    case 'routedApp':
      return node.view.appName;
    case 'version':
      return node.version.version;
    case 'message':
      return node.label;
  }
}
