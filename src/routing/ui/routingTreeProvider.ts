// The Traffic Routing view: routed apps → versions, updated by Kubernetes watches.
import * as vscode from 'vscode';
import { appNodes, routingContextValue, versionDescription, versionNodes, versionTooltip, weightsSummary, type RoutingNode } from '../routingTree';
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
    const snapshot = this.routing.snapshot;
    switch (snapshot.kind) {
      case 'idle':
      case 'loading':
        return [{ kind: 'message', id: 'loading', severity: 'info', label: 'Loading routing from the cluster…' }];
      case 'error':
        return [{ kind: 'message', id: 'error', severity: 'error', label: 'Cannot read routing', detail: snapshot.message }];
      case 'ready':
        return appNodes(snapshot.apps); // empty: the welcome view explains how to route
    }
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
        item.iconPath = new vscode.ThemeIcon(node.severity === 'error' ? 'error' : 'loading~spin');
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
