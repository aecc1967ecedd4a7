// The Traffic Routing view as plain data: routed apps → versions with weight, the function each
// forwards to, proxy readiness and sidecar state. Pure: no `vscode`.
import type { RoutedAppView, VersionView } from './cluster/routingView';

export type RoutingNode = RoutedAppNode | VersionNode | RoutingMessageNode;

export interface RoutedAppNode {
  readonly kind: 'routedApp';
  readonly id: string;
  readonly view: RoutedAppView;
}

export interface VersionNode {
  readonly kind: 'version';
  readonly id: string;
  readonly app: RoutedAppView;
  readonly version: VersionView;
}

export interface RoutingMessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly severity: 'error' | 'info';
  readonly label: string;
  readonly detail?: string;
}

export function appNodes(views: readonly RoutedAppView[]): RoutedAppNode[] {
  return [...views]
    .sort((a, b) => a.appName.localeCompare(b.appName))
    .map((view) => ({ kind: 'routedApp', id: `routed/${view.namespace}/${view.appName}`, view }));
}

export function versionNodes(app: RoutedAppNode): VersionNode[] {
  return app.view.versions.map((version) => ({ kind: 'version', id: `${app.id}/${version.version}`, app: app.view, version }));
}

/** `v1 90% · v2 10%` */
export function weightsSummary(view: RoutedAppView): string {
  return view.versions.map((v) => `${v.version} ${v.weight}%`).join(' · ');
}

export function versionDescription(v: VersionView): string {
  const parts = [`${v.weight}%`, `${v.readyReplicas}/${v.desiredReplicas} ready`];
  if (v.sidecar === 'missing') {
    parts.push('no sidecar');
  } else if (v.sidecar === 'injected') {
    parts.push('istio-proxy');
  }
  return parts.join(' · ');
}

export function versionTooltip(app: RoutedAppView, v: VersionView): string {
  const sidecar = {
    injected: 'istio-proxy sidecar injected into every pod',
    missing: 'no istio-proxy sidecar: Istio routing does not apply to this proxy',
    unknown: 'sidecar state unknown (no pod yet)',
  }[v.sidecar];
  return [
    `${app.appName} ${v.version}: ${v.weight}% of traffic`,
    `forwards to Fn function ${v.fnName ?? '(unknown)'}${app.fnAppName ? ` of app ${app.fnAppName}` : ''}`,
    `proxy: ${v.readyReplicas}/${v.desiredReplicas} replicas ready`,
    sidecar,
  ].join('\n');
}

export function routingContextValue(node: RoutingNode): string {
  switch (node.kind) {
    case 'routedApp':
      return node.view.warnings.length > 0 ? 'routedApp adjustable removable hasWarnings' : 'routedApp adjustable removable';
    case 'version':
      return 'routedVersion adjustable';
    case 'message':
      return 'message';
  }
}
