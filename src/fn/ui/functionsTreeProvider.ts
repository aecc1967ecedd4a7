// The Functions view: turns the pure tree model into TreeItems and reloads on demand or by polling.
import * as vscode from 'vscode';
import { commandIds } from '../../common/commandIds';
import { readSettings } from './fnSettings';
import { describeConnection } from '../connection';
import type { FnConnectionService } from './fnConnectionService';
import { contextValueFor } from '../tree/contextValue';
import { errorNode, functionDetails, loadAppNodes, loadFunctionNodes, staticChildren, type FnTreeNode } from '../tree/functionsTree';

export class FunctionsTreeProvider implements vscode.TreeDataProvider<FnTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FnTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly description = new vscode.EventEmitter<string>();
  /** Fires with a line describing the endpoint in use, after each root load. */
  readonly onDidDescribe = this.description.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connection: FnConnectionService) {
    this.subscription = connection.onDidChange(() => this.changed.fire(undefined));
  }

  /** Re-reads everything, including where the endpoint comes from. */
  refresh(): void {
    this.connection.reset();
  }

  /** Re-reads the server without re-resolving the endpoint (used by polling). */
  reload(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: FnTreeNode): Promise<FnTreeNode[]> {
    if (node) {
      if (node.kind === 'app') {
        const state = await this.connection.state();
        if (state.kind !== 'connected') {
          return [];
        }
        return loadFunctionNodes(state.client, node.app, { invokeBase: state.invokeBase, maxFunctionsPerApp: readSettings().maxFunctionsPerApp });
      }
      return staticChildren(node);
    }
    const state = await this.connection.state();
    this.description.fire(describeConnection(state));
    switch (state.kind) {
      case 'none':
        return []; // the welcome view explains how to configure
      case 'invalid':
        return [errorNode('endpoint-error', state.failed === 'cluster discovery' ? 'Cannot look for Fn in the cluster' : 'Fn endpoint is misconfigured', new Error(state.message))];
      case 'connected':
        return loadAppNodes(state.client, { invokeBase: state.invokeBase });
    }
  }

  getTreeItem(node: FnTreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(labelOf(node), collapsibleStateOf(node));
    item.id = node.id;
    item.contextValue = contextValueFor(node);
    switch (node.kind) {
      case 'app':
        item.iconPath = new vscode.ThemeIcon('package');
        item.tooltip = `Fn app ${node.app.name}${node.app.id ? `\nid: ${node.app.id}` : ''}`;
        break;
      case 'function': {
        const details = functionDetails(node);
        item.description = details.description;
        item.tooltip = details.tooltip;
        item.iconPath = new vscode.ThemeIcon('symbol-function');
        break;
      }
      case 'message':
        item.description = node.detail;
        item.tooltip = node.detail ? `${node.label}\n${node.detail}` : node.label;
        item.iconPath = new vscode.ThemeIcon(node.severity === 'error' ? 'error' : 'info');
        break;
      case 'action':
        item.iconPath = new vscode.ThemeIcon(node.action === 'retry' ? 'refresh' : 'gear');
        item.command = {
          title: node.label,
          command: node.action === 'retry' ? commandIds.fnRefresh : commandIds.fnConfigure,
        };
        break;
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.description.dispose();
  }
}

function labelOf(node: FnTreeNode): string {
  switch (node.kind) {
    case 'app':
      return node.app.name;
    case 'function':
      return node.fn.name;
    default:
      return node.label;
  }
}

function collapsibleStateOf(node: FnTreeNode): vscode.TreeItemCollapsibleState {
  if (node.kind === 'app') {
    return vscode.TreeItemCollapsibleState.Collapsed;
  }
  if (node.kind === 'message' && staticChildren(node).length > 0) {
    return vscode.TreeItemCollapsibleState.Expanded; // show Retry / Configure right away
  }
  return vscode.TreeItemCollapsibleState.None;
}
