// The routed app a command acts on: the tree node it was invoked on, or a pick among the apps the
// Traffic Routing view currently shows (from the palette).
import * as vscode from 'vscode';
import { UserError } from '../../common/errors';
import type { RoutedAppView } from '../../routing/cluster/routingView';
import type { RoutingNode } from '../../routing/routingTree';
import type { RoutingService } from '../../routing/ui/routingService';
import { findApp } from './routeWeights';

/** The app of a routed-app or version node; undefined for anything else. */
export function appOfNode(node: unknown): RoutedAppView | undefined {
  const n = node as RoutingNode | undefined;
  return n?.kind === 'routedApp' ? n.view : n?.kind === 'version' ? n.app : undefined;
}

/** The node's app (refreshed from the live snapshot), or the user's pick; undefined when cancelled. */
export async function pickRoutedApp(routing: RoutingService, node: unknown, title: string): Promise<RoutedAppView | undefined> {
  const given = appOfNode(node);
  if (given) {
    return findApp(routing, given.namespace, given.appName) ?? given;
  }
  routing.start();
  const snapshot = routing.snapshot;
  if (snapshot.kind !== 'ready') {
    throw new UserError(snapshot.kind === 'error' ? snapshot.message : 'the Traffic Routing view has not loaded yet: open it and try again');
  }
  if (snapshot.apps.length === 0) {
    throw new UserError(`no app is routed by Fn Mesh in namespace ${snapshot.namespace}`);
  }
  const picked = await vscode.window.showQuickPick(
    snapshot.apps.map((app) => ({ label: app.appName, description: app.versions.map((v) => `${v.version}=${v.weight}`).join(', '), app })),
    { title },
  );
  return picked?.app;
}
