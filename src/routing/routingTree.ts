// The Traffic Routing view as plain data: routed apps → versions with weight, the function each
// forwards to, proxy readiness and sidecar state. Pure: no `vscode`.
import type { RoutingState } from './cluster/liveRouting';
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
  readonly severity: 'error' | 'warning' | 'info';
  readonly label: string;
  readonly detail?: string;
  /** Clicking runs Refresh (re-resolve the cluster, restart the watches). */
  readonly retryable?: boolean;
}

/**
 * The top level of the view for `state`: a loading line; one error line with the reason and
 * Retry; or a warning line per kind that could not be read, then the routed apps (none: the
 * welcome view explains how to route).
 */
export function routingRootNodes(state: RoutingState): RoutingNode[] {
  switch (state.kind) {
    case 'idle':
    case 'loading':
      return [{ kind: 'message', id: 'loading', severity: 'info', label: 'Loading routing from the cluster…' }];
    case 'error':
      return [{ kind: 'message', id: 'error', severity: 'error', label: 'Cannot read routing (click to retry)', detail: state.message, retryable: true }];
    case 'ready':
      return [
        ...state.warnings.map((w, i): RoutingMessageNode => ({ kind: 'message', id: `warning/${i}`, severity: 'warning', label: w.split(':')[0] ?? w, detail: w, retryable: true })),
        ...appNodes(state.apps),
      ];
  }
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
      return node.retryable ? 'message retryable' : 'message';
  }
}
